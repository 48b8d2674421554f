import type { Instant } from './time';
import { parseInstant } from './time';
import type {
  Attribution,
  Coverage,
  ProposalResponse,
  ProposalSubject,
  Stance,
  TalksLevel,
  TalksOutcome,
  TalksStatus,
  TradeMeasureAction,
  TradeMeasureKind,
} from './vocabulary';

export interface Party {
  code: string;
  name: string;
}

export interface Source {
  name?: string;
  url?: string;
  attribution?: Attribution;
}

/** The `data` of each development type, named in the past tense as the facts they record. */
export interface DevelopmentData {
  NegotiationOpened: {
    title: string;
    parties: Party[];
    description?: string;
  };
  PartyJoined: { party: Party };
  TariffChanged: {
    imposedBy: string;
    appliedTo: string;
    measure: string;
    rate: number;
    effectiveAt: Instant;
    coverage: Coverage;
    description?: string;
  };
  TradeMeasureChanged: {
    imposedBy: string;
    appliedTo: string[];
    measure: string;
    kind: TradeMeasureKind;
    action: TradeMeasureAction;
    effectiveAt: Instant;
    description?: string;
  };
  ProposalMade: {
    proposalId: string;
    by: string;
    to: string[];
    subject: ProposalSubject;
    summary: string;
    terms?: string[];
  };
  ProposalResponded: {
    proposalId: string;
    by: string;
    response: ProposalResponse;
    counterProposalId?: string;
    note?: string;
  };
  TalksScheduled: { scheduledFor: Instant; venue?: string; participants?: string[] };
  TalksHeld: {
    participants: string[];
    venue?: string;
    level?: TalksLevel;
    outcome?: TalksOutcome;
  };
  TalksStatusChanged: { status: TalksStatus; note?: string };
  StatementMade: {
    party: string;
    speaker: string;
    role?: string;
    quote?: string;
    stance?: Stance;
  };
  DemandMade: { by: string; of: string; issue: string; summary: string };
  DemandResolved: { by: string; of: string; issue: string; summary?: string };
  AgreementReached: {
    parties: string[];
    summary: string;
    terms?: string[];
    effectiveAt?: Instant;
  };
  DevelopmentRetracted: { targetEventId: string; reason: string };
  /**
   * A stored development no fold can read: its type is unknown, or its fields break the contract
   * (written by an older version that let them through, or by hand). Decoded so at the store
   * boundary; folds skip it, the log lists it as stored, and it can be retracted. Never posted.
   */
  DevelopmentUnreadable: {
    /** The type it was stored under. */
    storedType: string;
    /** Everything stored besides type and eventId, nulls read as absent. */
    stored: Readonly<Record<string, unknown>>;
    /** Which fields break the contract, and how. */
    reason: string;
  };
}

export type DevelopmentType = keyof DevelopmentData;

/** Every type a client may post; `NegotiationOpened` is written only by opening a negotiation. */
export const RECORDABLE_TYPES = [
  'PartyJoined',
  'TariffChanged',
  'TradeMeasureChanged',
  'ProposalMade',
  'ProposalResponded',
  'TalksScheduled',
  'TalksHeld',
  'TalksStatusChanged',
  'StatementMade',
  'DemandMade',
  'DemandResolved',
  'AgreementReached',
  'DevelopmentRetracted',
] as const satisfies readonly DevelopmentType[];
export type RecordableType = (typeof RECORDABLE_TYPES)[number];

/** One reported development: what happened, when, and who said so. JSON-safe. */
export type Development = {
  [T in DevelopmentType]: {
    type: T;
    eventId: string;
    occurredAt: Instant;
    reportedAt?: Instant;
    source?: Source;
    summary?: string;
    data: DevelopmentData[T];
  };
}[DevelopmentType];

export type DevelopmentOf<T extends DevelopmentType> = Extract<Development, { type: T }>;

/** A development as the tracker holds it: with its place in the stream and when it was learned. */
export type RecordedDevelopment = Development & {
  negotiationId: string;
  revision: number;
  recordedAt: Instant;
};

/** The time fields inside each type's `data` (besides the envelope's occurredAt and reportedAt). */
export const DATA_TIME_FIELDS = {
  NegotiationOpened: [],
  PartyJoined: [],
  TariffChanged: ['effectiveAt'],
  TradeMeasureChanged: ['effectiveAt'],
  ProposalMade: [],
  ProposalResponded: [],
  TalksScheduled: ['scheduledFor'],
  TalksHeld: [],
  TalksStatusChanged: [],
  StatementMade: [],
  DemandMade: [],
  DemandResolved: [],
  AgreementReached: ['effectiveAt'],
  DevelopmentRetracted: [],
  DevelopmentUnreadable: [],
} as const satisfies { [T in DevelopmentType]: readonly (keyof DevelopmentData[T])[] };

/** A development as it arrives, its times still text: a validated request body, or what a store holds. */
export interface DevelopmentText {
  type: Exclude<DevelopmentType, 'DevelopmentUnreadable'>;
  eventId: string;
  occurredAt: string;
  reportedAt?: string;
  source?: Source;
  summary?: string;
  data: object;
}

/**
 * Reads the times of a development whose fields are otherwise checked (by the schema of its
 * type): occurredAt, reportedAt and the time fields of its data, each parsed into a canonical
 * instant, a date-only value meaning the start of that day. The one place a development gets its
 * Instants. Gives the path of the first time that is not a real one instead.
 */
export function withParsedTimes(
  text: DevelopmentText,
): { development: Development } | { invalidTime: string } {
  const occurredAt = parseInstant(text.occurredAt, 'start-of-day');
  if (occurredAt === undefined) return { invalidTime: 'occurredAt' };
  const reportedAt =
    text.reportedAt === undefined ? undefined : parseInstant(text.reportedAt, 'start-of-day');
  if (text.reportedAt !== undefined && reportedAt === undefined) {
    return { invalidTime: 'reportedAt' };
  }
  const data: Record<string, unknown> = { ...text.data };
  for (const field of DATA_TIME_FIELDS[text.type] as readonly string[]) {
    const value = data[field];
    if (value === undefined) continue;
    const instant = typeof value === 'string' ? parseInstant(value, 'start-of-day') : undefined;
    if (instant === undefined) return { invalidTime: `data.${field}` };
    data[field] = instant;
  }
  // Every other field was checked against the type's schema by the caller.
  const development = {
    type: text.type,
    eventId: text.eventId,
    occurredAt,
    ...(reportedAt !== undefined ? { reportedAt } : {}),
    ...(text.source !== undefined ? { source: text.source } : {}),
    ...(text.summary !== undefined ? { summary: text.summary } : {}),
    data,
  } as Development;
  return { development };
}

/** The type a development was stored as: an unreadable one's own, not DevelopmentUnreadable. */
export const storedTypeOf = (development: Development): string =>
  development.type === 'DevelopmentUnreadable' ? development.data.storedType : development.type;

/** Party codes a development names; each must have been declared before it. */
export function partiesNamedBy(development: Development): string[] {
  switch (development.type) {
    case 'NegotiationOpened':
      return development.data.parties.map((p) => p.code);
    case 'PartyJoined':
      return [];
    case 'TariffChanged':
      return [development.data.imposedBy, development.data.appliedTo];
    case 'TradeMeasureChanged':
      return [development.data.imposedBy, ...development.data.appliedTo];
    case 'ProposalMade':
      return [development.data.by, ...development.data.to];
    case 'ProposalResponded':
      return [development.data.by];
    case 'TalksScheduled':
      return development.data.participants ?? [];
    case 'TalksHeld':
      return development.data.participants;
    case 'TalksStatusChanged':
    case 'DevelopmentUnreadable':
      return [];
    case 'StatementMade':
      return [development.data.party];
    case 'DemandMade':
    case 'DemandResolved':
      return [development.data.by, development.data.of];
    case 'AgreementReached':
      return development.data.parties;
    case 'DevelopmentRetracted':
      return [];
    default:
      return assertNever(development);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
