import type { Static, TObject } from '@sinclair/typebox';
import { agreementReached } from './agreement-reached';
import type { DevelopmentDefinition } from './definition';
import { demandMade } from './demand-made';
import { demandResolved } from './demand-resolved';
import { developmentRetracted } from './development-retracted';
import { developmentConfirmed, developmentDisputed } from './judgement';
import { negotiationOpened } from './negotiation-opened';
import { partyJoined } from './party-joined';
import { proposalMade } from './proposal-made';
import { proposalResponded } from './proposal-responded';
import { statementMade } from './statement-made';
import { talksHeld } from './talks-held';
import { talksScheduled } from './talks-scheduled';
import { talksStatusChanged } from './talks-status-changed';
import { tariffChanged } from './tariff-changed';
import { tariffScopeChanged } from './tariff-scope-changed';
import { tradeMeasureChanged } from './trade-measure-changed';

export type { DecisionKeys, DevelopmentDefinition } from './definition';
export { Party, Source, TIME_MESSAGE, Time } from './fields';
export type { DecisionContext, EnvelopeFault } from './definition';
export { envelopeFaults, envelopeSchema } from './envelope';
export type { EnvelopeForm } from './envelope';

/**
 * The registry: every development type and its definition, one module each. A type is added by
 * writing its module and its line here; the union of types, the data types, validation, the
 * OpenAPI document, the store decoder, the parties named, the time fields and the rules follow.
 */
export const DEVELOPMENTS = {
  NegotiationOpened: negotiationOpened,
  PartyJoined: partyJoined,
  TariffChanged: tariffChanged,
  TariffScopeChanged: tariffScopeChanged,
  TradeMeasureChanged: tradeMeasureChanged,
  ProposalMade: proposalMade,
  ProposalResponded: proposalResponded,
  TalksScheduled: talksScheduled,
  TalksHeld: talksHeld,
  TalksStatusChanged: talksStatusChanged,
  StatementMade: statementMade,
  DemandMade: demandMade,
  DemandResolved: demandResolved,
  AgreementReached: agreementReached,
  DevelopmentRetracted: developmentRetracted,
  DevelopmentConfirmed: developmentConfirmed,
  DevelopmentDisputed: developmentDisputed,
} satisfies Record<string, DevelopmentDefinition<TObject>>;

/** A type with a definition: every type but DevelopmentUnreadable, which only decoding makes. */
export type DefinedType = keyof typeof DEVELOPMENTS;

/** The `data` of each defined type, from its schema. */
export type DefinedData = { [T in DefinedType]: Static<(typeof DEVELOPMENTS)[T]['data']> };
