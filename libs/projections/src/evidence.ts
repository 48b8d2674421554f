import type { Development, EvidenceStatus, MinEvidence, Source } from '@parley/domain';

/**
 * How well a report is supported, as known at some revision (contract v1.1, Evidence): the
 * distinct originating sources of the report and of its confirmations, the parties that confirm
 * it, the parties (or, without a party, the sources) that dispute it, and the status they add up to.
 */
export interface Evidence {
  readonly status: EvidenceStatus;
  readonly sources: readonly string[];
  readonly confirmedBy: readonly string[];
  readonly disputedBy: readonly string[];
}

/** A development that judges another report rather than reports: a confirmation or a dispute. */
export type Judgement = Development & { type: 'DevelopmentConfirmed' | 'DevelopmentDisputed' };

/** Developments that are not reports: they are never judged, never carry evidence, and every fold takes them. */
const NOT_REPORTS: ReadonlySet<string> = new Set([
  'NegotiationOpened',
  'DevelopmentRetracted',
  'DevelopmentConfirmed',
  'DevelopmentDisputed',
  // Stored but unreadable: no fold reads it, so nothing it could be held to.
  'DevelopmentUnreadable',
]);

/** Whether `development` is a report, something a confirmation or a dispute can judge. */
export const isReport = (development: Development): boolean => !NOT_REPORTS.has(development.type);

export const isJudgement = <D extends Development>(development: D): development is D & Judgement =>
  development.type === 'DevelopmentConfirmed' || development.type === 'DevelopmentDisputed';

/** The outlet a report comes from: the one its source credits (`via`), else the source itself. */
export function originatingSource(source: Source | undefined): string | undefined {
  const name = source?.via ?? source?.name;
  const trimmed = name?.trim();
  return trimmed ? trimmed : undefined;
}

/** Attributions that make a report confirmed on their own: the party said it, or the document shows it. */
const CONFIRMING_ATTRIBUTIONS: ReadonlySet<string> = new Set(['official-statement', 'document']);

/**
 * The evidence for `report` given the judgements of it that count (known, not retracted), in
 * order of recording. Sources are told apart regardless of case ("Reuters" and "REUTERS" are one
 * outlet); each is shown as first written.
 */
export function evidenceOf(report: Development, judgements: readonly Judgement[]): Evidence {
  const sources = new DistinctNames();
  const confirmedBy = new DistinctNames();
  const disputedBy = new DistinctNames();
  sources.add(originatingSource(report.source));
  let partyConfirms = false;
  for (const judgement of judgements) {
    if (judgement.type === 'DevelopmentConfirmed') {
      sources.add(originatingSource(judgement.source));
      if (judgement.data.by !== undefined) {
        partyConfirms = true;
        confirmedBy.add(judgement.data.by);
      }
    } else {
      disputedBy.add(judgement.data.by ?? originatingSource(judgement.source));
    }
  }
  const status: EvidenceStatus = judgements.some((j) => j.type === 'DevelopmentDisputed')
    ? 'disputed'
    : partyConfirms || CONFIRMING_ATTRIBUTIONS.has(report.source?.attribution ?? '')
      ? 'confirmed'
      : sources.size >= 2
        ? 'corroborated'
        : 'reported';
  return {
    status,
    sources: sources.names,
    confirmedBy: confirmedBy.names,
    disputedBy: disputedBy.names,
  };
}

/** The status of a report nothing judges (the common case, without building the lists). */
export function unjudgedStatus(report: Development): EvidenceStatus {
  return CONFIRMING_ATTRIBUTIONS.has(report.source?.attribution ?? '') ? 'confirmed' : 'reported';
}

/** reported < corroborated < confirmed; disputed is below them all. */
const RANK: Readonly<Record<EvidenceStatus, number>> = {
  disputed: 0,
  reported: 1,
  corroborated: 2,
  confirmed: 3,
};

/** Whether a report of this status is folded under `minEvidence`. */
export const meetsMinEvidence = (status: EvidenceStatus, minEvidence: MinEvidence): boolean =>
  RANK[status] >= RANK[minEvidence];

class DistinctNames {
  readonly names: string[] = [];
  private readonly seen = new Set<string>();

  get size(): number {
    return this.names.length;
  }

  add(name: string | undefined): void {
    if (name === undefined) return;
    const key = name.toLowerCase();
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.names.push(name);
  }
}

/**
 * Decorated copies kept between answers: for an item (a frozen object carrying an `eventId`), its
 * copy with `evidenceStatus` added, valid for as long as the keeper says (see
 * NegotiationTimeline.withEvidenceStatusAt).
 */
export type DecoratedItems = WeakMap<object, object>;

/**
 * A copy of `value` in which every object carrying an `eventId` also carries `evidenceStatus`
 * (null when its eventId is null), however deep in lists or objects it sits: tariff lines under `measures`,
 * `scheduled`, `threatened`, `considered`, trade measure items and their entries, and any list of
 * entries a slice adds later. The original is not touched (the snapshots share it, frozen or not);
 * objects and lists with nothing to add are shared, not copied. With `shared`, a frozen item
 * decorated before is not decorated again: its copy (frozen, as answers share it) is taken from
 * there, and new ones are kept there; the caller vouches that `statusOf` gives what it gave then.
 */
export function withEvidenceStatus<T>(
  value: T,
  statusOf: (eventId: string) => EvidenceStatus | null,
  shared?: DecoratedItems,
): T {
  // The same shape with one field more on some items: still a T to every reader of it.
  return decorate(value, statusOf, shared) as T;
}

function decorate(
  value: unknown,
  statusOf: (eventId: string) => EvidenceStatus | null,
  shared: DecoratedItems | undefined,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Only what cannot change after is shared: slices freeze what they make for answers.
  const sharable = shared !== undefined && Object.isFrozen(value);
  if (sharable) {
    const known = shared.get(value);
    if (known) return known;
  }
  if (Array.isArray(value)) {
    // Lists are of one kind: a list of codes or times holds no item to mark.
    if (value.length === 0 || value[0] === null || typeof value[0] !== 'object') {
      if (sharable) shared.set(value, value);
      return value;
    }
    let copy: unknown[] | undefined;
    let stable = sharable;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const decorated = decorate(item, statusOf, shared);
      if (decorated !== item) {
        copy ??= value.slice();
        copy[i] = decorated;
      }
      stable &&= isShared(item, shared);
    }
    return keep(value, copy, stable, shared);
  }
  const record = value as Record<string, unknown>;
  const isItem = 'eventId' in record;
  let copy: Record<string, unknown> | undefined;
  let stable = sharable;
  for (const key in record) {
    const field = record[key];
    // Items with an eventId sit in lists, or in objects (a /changes line's `before` and `after`).
    if (field === null || typeof field !== 'object') continue;
    const decorated = decorate(field, statusOf, shared);
    if (decorated !== field) {
      copy ??= { ...record };
      copy[key] = decorated;
    }
    stable &&= isShared(field, shared);
  }
  if (isItem) {
    const eventId = record.eventId;
    copy ??= { ...record };
    copy.evidenceStatus = typeof eventId === 'string' ? statusOf(eventId) : null;
    // An item is kept once frozen, as it always was (slices freeze items whole).
    stable = sharable;
  }
  return keep(value, copy, stable, shared);
}

/** Whether `value` is a plain value, or an object whose decoration `shared` keeps. */
const isShared = (value: unknown, shared: DecoratedItems | undefined): boolean =>
  value === null || typeof value !== 'object' || shared?.has(value) === true;

/**
 * The decoration of `value` (its `copy`, or itself when nothing was added), kept in `shared` when
 * `stable`: frozen, and everything it holds frozen and kept too, so it can never change after. A
 * kept copy is frozen, as answers share it; a kept `value` is not walked again.
 */
function keep(
  value: object,
  copy: object | undefined,
  stable: boolean,
  shared: DecoratedItems | undefined,
): unknown {
  const decorated = copy === undefined ? value : stable ? Object.freeze(copy) : copy;
  if (stable) shared!.set(value, decorated);
  return decorated;
}
