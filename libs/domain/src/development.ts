import type { Instant, OccurredPrecision } from './time';
import { parseInstant, parseOccurredAt } from './time';
import type { Modality } from './vocabulary';
import type { Static, TObject } from '@sinclair/typebox';
import type { DefinedData, DefinedType, DevelopmentDefinition } from './developments';
import { DEVELOPMENTS, Party as PartySchema, Source as SourceSchema } from './developments';

export type Party = Static<typeof PartySchema>;
export type Source = Static<typeof SourceSchema>;

/**
 * The `data` of each development type, named in the past tense as the facts they record: each
 * from its schema in its module under ./developments, plus DevelopmentUnreadable.
 */
export interface DevelopmentData extends DefinedData {
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
export const RECORDABLE_TYPES = (Object.keys(DEVELOPMENTS) as DefinedType[]).filter(
  (type): type is Exclude<DefinedType, 'NegotiationOpened'> => type !== 'NegotiationOpened',
);
export type RecordableType = Exclude<DefinedType, 'NegotiationOpened'>;

/** One reported development: what happened, when, and who said so. JSON-safe. */
export type Development = {
  [T in DevelopmentType]: {
    type: T;
    eventId: string;
    /** The start of the period it happened in, when only its day, month or year is known. */
    occurredAt: Instant;
    /** How precisely occurredAt is known; absent: to the instant given. */
    occurredPrecision?: Exclude<OccurredPrecision, 'instant'>;
    /** What kind of act it reports; absent: it occurred. */
    modality?: Exclude<Modality, 'occurred'>;
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

/** A development as it arrives, its times still text: a validated request body, or what a store holds. */
export interface DevelopmentText {
  type: DefinedType;
  eventId: string;
  occurredAt: string;
  /** `approximate` from a client; any precision from a store. */
  occurredPrecision?: OccurredPrecision;
  modality?: Modality;
  reportedAt?: string;
  source?: Source;
  summary?: string;
  data: object;
}

/**
 * Reads the times of a development whose fields are otherwise checked (by the schema of its
 * type): occurredAt (with its precision), reportedAt and the time fields of its data, each parsed
 * into a canonical instant, a date-only value meaning the start of that day, a month or a year
 * the start of that period. The one place a development gets its Instants. Gives the path of the
 * first time that is not a real one instead.
 */
export function withParsedTimes(
  text: DevelopmentText,
): { development: Development } | { invalidTime: string } {
  const occurred = parseOccurredAt(text.occurredAt);
  if (occurred === undefined) return { invalidTime: 'occurredAt' };
  const occurredAt = occurred.instant;
  // A client says only `approximate`; a store keeps what was read (a canonical time reads as instant).
  const occurredPrecision = text.occurredPrecision ?? occurred.precision;
  const reportedAt =
    text.reportedAt === undefined ? undefined : parseInstant(text.reportedAt, 'start-of-day');
  if (text.reportedAt !== undefined && reportedAt === undefined) {
    return { invalidTime: 'reportedAt' };
  }
  const data: Record<string, unknown> = { ...text.data };
  for (const field of DEVELOPMENTS[text.type].timeFields as readonly string[]) {
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
    ...(occurredPrecision !== 'instant' ? { occurredPrecision } : {}),
    ...(text.modality !== undefined && text.modality !== 'occurred'
      ? { modality: text.modality }
      : {}),
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
export function partiesNamedBy(development: Development): readonly string[] {
  if (development.type === 'DevelopmentUnreadable') return [];
  // TypeScript cannot relate a development's type to its own definition's data.
  const definition = DEVELOPMENTS[development.type] as DevelopmentDefinition<TObject>;
  return definition.partiesNamed(development.data);
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
