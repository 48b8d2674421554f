import type { Instant } from './time';
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
