import type { TObject } from '@sinclair/typebox';
import type { Situation } from './decision-model';
import { DecisionModel } from './decision-model';
import type { Development } from './development';
import { partiesNamedBy } from './development';
import type { DevelopmentDefinition } from './developments';
import { DEVELOPMENTS } from './developments';
import { DomainError } from './domain-error';
import type { Instant } from './time';
import { instantMs, toInstant } from './time';

/** The situation of a negotiation not yet opened: nothing declared, nothing recorded. */
export const NOTHING_RECORDED: Situation = new DecisionModel().situationAt(toInstant(0));

export interface RecordDevelopment {
  development: Development;
  /** The tracker's clock when the command is decided; passed in so decisions are deterministic. */
  now: Instant;
}

/** How far ahead of the tracker's clock a development may be dated: a day covers every time zone. */
const FUTURE_TOLERANCE_MS = 86_400_000;

/**
 * Decides whether a development may be recorded against the situation it lands in.
 * Returns the events to append, or throws a DomainError naming the rule that failed.
 */
export function decide(command: RecordDevelopment, situation: Situation): Development[] {
  const { development, now } = command;
  const latestAllowed = toInstant(instantMs(now) + FUTURE_TOLERANCE_MS);
  if (development.occurredAt > latestAllowed) {
    throw new DomainError(
      'occurred-in-future',
      'rejected',
      `occurredAt ${development.occurredAt} is more than one day after the tracker's clock (${now})`,
      'occurredAt',
    );
  }
  if (development.type === 'DevelopmentUnreadable') {
    // Only the store boundary makes one, for what was stored before; no request can carry one.
    throw new Error('an unreadable development is never recorded');
  }
  requireDeclaredParties(development, situation);
  // Its own rule, from its module (./developments). TypeScript cannot relate a development's
  // type to its own definition's data.
  const definition = DEVELOPMENTS[development.type] as DevelopmentDefinition<TObject>;
  definition.decide?.(development.data, situation, {
    occurredAt: development.occurredAt,
    modality: development.modality ?? 'occurred',
  });
  return [development];
}

function requireDeclaredParties(development: Development, situation: Situation): void {
  if (development.type === 'NegotiationOpened') return;
  const named = partiesNamedBy(development);
  const unknown = named.find((code) => !situation.isDeclared(code));
  if (unknown !== undefined) {
    throw new DomainError(
      'party-unknown',
      'rejected',
      `party ${unknown} has not been declared in this negotiation as of ${development.occurredAt}; declare it with PartyJoined first`,
      pathOfParty(development, unknown),
    );
  }
}

/** The request path of the first field naming a party, so the refusal points at it. */
function pathOfParty(development: Development, code: string): string {
  const data = development.data as unknown as Record<string, unknown>;
  for (const [field, value] of Object.entries(data)) {
    if (value === code) return `data.${field}`;
    if (Array.isArray(value)) {
      const index = value.indexOf(code);
      if (index >= 0) return `data.${field}[${index}]`;
    }
  }
  return 'data';
}
