import type {
  Development,
  DevelopmentData,
  DevelopmentOf,
  DevelopmentType,
  Party,
  RecordedDevelopment,
  Source,
} from '../development';
import { DecisionModel } from '../decision-model';
import type { Instant } from '../time';
import { instantMs, laterOf, parseInstant, parseOccurredAt, toInstant } from '../time';

/**
 * Builders of developments with sensible defaults, for specifications. Every time may be
 * written as a date (`'2025-04-09'`) or a date-time, and is stored in canonical UTC as the
 * app stores it. `recorded(...)` then gives them their place in a stream.
 */

export const NEGOTIATION = 'us-china-trade';

export const US: Party = { code: 'US', name: 'United States' };
export const CN: Party = { code: 'CN', name: 'China' };
export const HK: Party = { code: 'HK', name: 'Hong Kong' };
export const EU: Party = { code: 'EU', name: 'European Union' };

/** An event time: a date means the start of that day, as for `occurredAt`. */
export function at(text: string): Instant {
  const instant = parseInstant(text, 'start-of-day');
  if (instant === undefined) throw new Error(`not a time: ${text}`);
  return instant;
}

/** A bound: a date means the end of that day, as for `asOf`, `knownAt` and `to`. */
export function endOf(text: string): Instant {
  const instant = parseInstant(text, 'end-of-day');
  if (instant === undefined) throw new Error(`not a time: ${text}`);
  return instant;
}

/** A development not yet recorded; `recordedAt` may be given to place it in transaction time. */
export type Draft<T extends DevelopmentType = DevelopmentType> = DevelopmentOf<T> & {
  recordedAt?: Instant;
};

/** A type's data as a specification writes it: its times as text (`'2025-04-09'`), read as the API reads them. */
export type AsWritten<D> = {
  [K in keyof D]: D[K] extends Instant
    ? string
    : D[K] extends Instant | undefined
      ? string | undefined
      : D[K];
};

export interface Overrides<T extends DevelopmentType> {
  eventId?: string;
  /** A date-time, a date, or (contract v1.1) a month `2025-04` or a year `2025`. */
  occurredAt?: string;
  /** Only `approximate` is ever sent; the other precisions follow from occurredAt's form. */
  occurredPrecision?: 'approximate';
  modality?: 'occurred' | 'threatened' | 'considered';
  reportedAt?: string;
  /** When the tracker learned it; by default a minute after the previous event, or its occurredAt if later. */
  recordedAt?: string;
  source?: Source;
  summary?: string;
  data?: Partial<AsWritten<DevelopmentData[T]>>;
}

const DEFAULT_DAY = '2025-04-01';
let eventNumber = 0;

/** A fresh, well-formed UUID; sequential so that failures are easy to read. */
export function nextEventId(): string {
  eventNumber += 1;
  return `00000000-0000-4000-8000-${eventNumber.toString(16).padStart(12, '0')}`;
}

function draft<T extends DevelopmentType>(
  type: T,
  overrides: Overrides<T>,
  defaults: (occurredAt: Instant) => DevelopmentData[T],
  normalise: (data: DevelopmentData[T]) => DevelopmentData[T] = (data) => data,
): Draft<T> {
  const occurred = parseOccurredAt(overrides.occurredAt ?? DEFAULT_DAY);
  if (!occurred) throw new Error(`not an occurredAt: ${overrides.occurredAt}`);
  const occurredAt = occurred.instant;
  const precision = overrides.occurredPrecision ?? occurred.precision;
  const built = {
    type,
    eventId: overrides.eventId ?? nextEventId(),
    occurredAt,
    // A date in a specification is shorthand for its midnight, so `day` is not kept; a month, a
    // year or approximate is, as the API reads them (withParsedTimes).
    ...(precision !== 'instant' && precision !== 'day' && { occurredPrecision: precision }),
    ...(overrides.modality !== undefined &&
      overrides.modality !== 'occurred' && { modality: overrides.modality }),
    ...(overrides.reportedAt !== undefined && { reportedAt: at(overrides.reportedAt) }),
    ...(overrides.source !== undefined && { source: overrides.source }),
    ...(overrides.summary !== undefined && { summary: overrides.summary }),
    ...(overrides.recordedAt !== undefined && { recordedAt: at(overrides.recordedAt) }),
    // Times given as text are made canonical by each type's `normalise`.
    data: normalise({ ...defaults(occurredAt), ...overrides.data }),
  };
  // TypeScript cannot relate a generic `type` to its member of the Development union.
  return built as unknown as Draft<T>;
}

/** Times inside `data` are canonical too; undefined stays undefined, for odd events. */
function canonical(text: string | undefined): Instant {
  return (text === undefined ? text : at(text)) as Instant;
}

export const negotiationOpened = (
  o: Overrides<'NegotiationOpened'> = {},
): Draft<'NegotiationOpened'> =>
  draft('NegotiationOpened', { occurredAt: '2025-02-01', ...o }, () => ({
    title: 'US-China trade and fentanyl talks',
    parties: [US, CN, HK],
  }));

export const partyJoined = (o: Overrides<'PartyJoined'> = {}): Draft<'PartyJoined'> =>
  draft('PartyJoined', o, () => ({ party: EU }));

export const tariffChanged = (o: Overrides<'TariffChanged'> = {}): Draft<'TariffChanged'> =>
  draft(
    'TariffChanged',
    o,
    (occurredAt) => ({
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'reciprocal',
      rate: 125,
      effectiveAt: occurredAt,
      coverage: 'all-goods',
    }),
    (data) => ({
      ...data,
      effectiveAt: canonical(data.effectiveAt),
      ...(data.until !== undefined && { until: canonical(data.until) }),
    }),
  );

/** Excludes computers, smartphones and chips from the US reciprocal tariff on China (11 April 2025). */
export const tariffScopeChanged = (
  o: Overrides<'TariffScopeChanged'> = {},
): Draft<'TariffScopeChanged'> =>
  draft(
    'TariffScopeChanged',
    o,
    (occurredAt) => ({
      imposedBy: 'US',
      appliedTo: 'CN',
      measure: 'reciprocal',
      effectiveAt: occurredAt,
      exclude: ['8471', '8517.13', '8542'],
    }),
    (data) => ({ ...data, effectiveAt: canonical(data.effectiveAt) }),
  );

export const tradeMeasureChanged = (
  o: Overrides<'TradeMeasureChanged'> = {},
): Draft<'TradeMeasureChanged'> =>
  draft(
    'TradeMeasureChanged',
    o,
    (occurredAt) => ({
      imposedBy: 'US',
      appliedTo: ['CN', 'HK'],
      measure: 'de-minimis-exemption',
      kind: 'exemption',
      action: 'revoked',
      effectiveAt: occurredAt,
    }),
    (data) => ({ ...data, effectiveAt: canonical(data.effectiveAt) }),
  );

export const proposalMade = (o: Overrides<'ProposalMade'> = {}): Draft<'ProposalMade'> =>
  draft('ProposalMade', o, () => ({
    proposalId: 'us-offer-tariff-talks',
    by: 'US',
    to: ['CN'],
    subject: 'talks',
    summary: 'Resume discussions over the 145% tariffs',
  }));

export const proposalResponded = (
  o: Overrides<'ProposalResponded'> = {},
): Draft<'ProposalResponded'> =>
  draft('ProposalResponded', o, () => ({
    proposalId: 'us-offer-tariff-talks',
    by: 'CN',
    response: 'under-review',
  }));

export const talksScheduled = (o: Overrides<'TalksScheduled'> = {}): Draft<'TalksScheduled'> =>
  draft(
    'TalksScheduled',
    o,
    (occurredAt) => ({ scheduledFor: toInstant(instantMs(occurredAt) + 7 * 86_400_000) }),
    (data) => ({ ...data, scheduledFor: canonical(data.scheduledFor) }),
  );

export const talksHeld = (o: Overrides<'TalksHeld'> = {}): Draft<'TalksHeld'> =>
  draft('TalksHeld', o, () => ({ participants: ['US', 'CN'] }));

export const talksStatusChanged = (
  o: Overrides<'TalksStatusChanged'> = {},
): Draft<'TalksStatusChanged'> => draft('TalksStatusChanged', o, () => ({ status: 'exploratory' }));

export const statementMade = (o: Overrides<'StatementMade'> = {}): Draft<'StatementMade'> =>
  draft('StatementMade', o, () => ({
    party: 'US',
    speaker: 'Donald Trump',
    stance: 'conciliatory',
  }));

export const demandMade = (o: Overrides<'DemandMade'> = {}): Draft<'DemandMade'> =>
  draft('DemandMade', o, () => ({
    by: 'US',
    of: 'CN',
    issue: 'fentanyl-precursors',
    summary: 'Stop exports of fentanyl precursor chemicals',
  }));

export const demandResolved = (o: Overrides<'DemandResolved'> = {}): Draft<'DemandResolved'> =>
  draft('DemandResolved', o, () => ({ by: 'US', of: 'CN', issue: 'fentanyl-precursors' }));

export const agreementReached = (
  o: Overrides<'AgreementReached'> = {},
): Draft<'AgreementReached'> =>
  draft(
    'AgreementReached',
    o,
    () => ({ parties: ['US', 'CN'], summary: 'Both sides cut tariffs by 115 points for 90 days' }),
    (data) =>
      data.effectiveAt === undefined ? data : { ...data, effectiveAt: canonical(data.effectiveAt) },
  );

/** Retracts `target` (a development or an event id). */
export const developmentRetracted = (
  target: Development | string,
  o: Overrides<'DevelopmentRetracted'> = {},
): Draft<'DevelopmentRetracted'> =>
  draft('DevelopmentRetracted', o, () => ({
    targetEventId: typeof target === 'string' ? target : target.eventId,
    reason: 'The report was false',
  }));

/** Another report, or the party `by`, confirms `target` (contract v1.1). */
export const developmentConfirmed = (
  target: Development | string,
  o: Overrides<'DevelopmentConfirmed'> = {},
): Draft<'DevelopmentConfirmed'> =>
  draft('DevelopmentConfirmed', { source: { name: 'Bloomberg' }, ...o }, () => ({
    targetEventId: typeof target === 'string' ? target : target.eventId,
  }));

/** A party or a source says `target` is wrong (contract v1.1). */
export const developmentDisputed = (
  target: Development | string,
  o: Overrides<'DevelopmentDisputed'> = {},
): Draft<'DevelopmentDisputed'> =>
  draft('DevelopmentDisputed', o, () => ({
    targetEventId: typeof target === 'string' ? target : target.eventId,
    by: 'CN',
  }));

/** The development a client would post: the draft without its place in transaction time. */
export function unrecorded(development: Draft): Development {
  const rest: Draft = { ...development };
  delete rest.recordedAt;
  return rest;
}

const MINUTE = 60_000;

/**
 * Gives drafts their place in the stream, in the order given: revision 0, 1, 2… and a
 * `recordedAt` that never goes back (by default the later of a minute after the previous
 * event and the draft's own `occurredAt`). A stream always starts with `NegotiationOpened`:
 * the default one is put first when the drafts do not start with one.
 */
export function recorded(...drafts: readonly Draft[]): RecordedDevelopment[] {
  const stream =
    drafts[0]?.type === 'NegotiationOpened' ? drafts : [negotiationOpened(), ...drafts];
  let previous: Instant | undefined;
  return stream.map((development, revision) => {
    const recordedAt =
      development.recordedAt ??
      (previous === undefined
        ? development.occurredAt
        : laterOf(toInstant(instantMs(previous) + MINUTE), development.occurredAt));
    if (previous !== undefined && recordedAt < previous) {
      throw new Error(
        `revision ${revision} is recorded at ${recordedAt}, before the previous event (${previous})`,
      );
    }
    previous = recordedAt;
    return { ...unrecorded(development), negotiationId: NEGOTIATION, revision, recordedAt };
  });
}

/** The decision model of one negotiation holding `drafts`, recorded in the order given. */
export function decisionModelOf(...drafts: readonly Draft[]): DecisionModel {
  const model = new DecisionModel();
  if (!model.append(recorded(...drafts))) throw new Error('the recorded stream has a gap');
  return model;
}
