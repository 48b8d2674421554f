import type { Static, TObject } from '@sinclair/typebox';
import type { Situation } from '../decision-model';
import type { Instant } from '../time';
import type { Modality } from '../vocabulary';

/** Under which keys the decision model keeps a development, so the rules find it. */
export interface DecisionKeys {
  /** The founding parties (NegotiationOpened). */
  founding?: readonly string[];
  /** A party it declares. */
  party?: string;
  /** The proposal it makes or answers. */
  proposal?: string;
  /** The demand (by, of, issue) it makes or resolves. */
  demand?: readonly [by: string, of: string, issue: string];
  /** The event it retracts. */
  retracts?: string;
  /** The tariff line (imposedBy, appliedTo, measure) it changes. */
  tariffLine?: readonly [imposedBy: string, appliedTo: string, measure: string];
}

/** What a type's rule reads of the envelope besides `data`. */
export interface DecisionContext {
  readonly occurredAt: Instant;
  readonly modality: Modality;
}

/** A field of an envelope that breaks a rule of its form (a 400 naming `path`). */
export interface EnvelopeFault {
  readonly path: string;
  readonly message: string;
}

/** The parts of an envelope a type's form rule reads. */
export interface EnvelopeFields<Data> {
  readonly modality: Modality;
  readonly source?: { readonly name?: string; readonly via?: string };
  readonly data: Data;
}

/**
 * Everything Parley knows of one development type, in one module: the schema of its `data`
 * (validation, the OpenAPI document and the store decoder are derived from it), the parties it
 * names, its time fields, the rule `decide` applies beyond the common ones, what it feeds the
 * decision model, and an example. See ./index.ts for the registry.
 */
export interface DevelopmentDefinition<Schema extends TObject> {
  /** The schema of `data`. */
  readonly data: Schema;
  /** Party codes it names; each must be declared as of its occurredAt. */
  partiesNamed(data: Static<Schema>): readonly string[];
  /** Its time fields inside `data` (besides the envelope's occurredAt and reportedAt). */
  readonly timeFields: readonly (keyof Static<Schema> & string)[];
  /**
   * The modalities it may report besides `occurred` (contract v1.1): another is 400 naming
   * `modality`. None when absent.
   */
  readonly modalities?: readonly Exclude<Modality, 'occurred'>[];
  /**
   * Rules of its form that one schema cannot say (a field required unless the act is only
   * considered, the source required unless a party confirms): each fault a 400.
   */
  envelopeFaults?(envelope: EnvelopeFields<Static<Schema>>): readonly EnvelopeFault[];
  /** Its own rule, beyond the future date and the declared parties; throws a DomainError. */
  decide?(data: Static<Schema>, situation: Situation, context: DecisionContext): void;
  /** What the decision model keeps of it; undefined when the rules never look at it. */
  decisionKeys?(data: Static<Schema>): DecisionKeys;
  /** A `data` as a client would post it. */
  readonly example: Record<string, unknown>;
}
