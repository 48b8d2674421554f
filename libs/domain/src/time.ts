/**
 * Times in Parley are ISO 8601: a date (`2025-04-09`) or a date-time with `Z` or an offset.
 * Everything is stored and answered as a full UTC instant (`2025-04-09T00:00:00.000Z`);
 * instants in that one form sort correctly as plain strings, which the folds rely on.
 *
 * `Instant` is that canonical form as a type of its own: only the time parser makes one
 * (parseInstant, toInstant), so a time that was never parsed (a client's text, a stored field
 * not yet decoded) cannot reach a fold or a comparison. Every clock of a development (occurredAt,
 * effectiveAt, reportedAt, recordedAt, asOf, knownAt) is an Instant.
 */
declare const canonical: unique symbol;
export type Instant = string & { readonly [canonical]: true };

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * The forms parseInstant takes, as a pattern for schemas: a date `YYYY-MM-DD`, or a date-time to
 * the minute, second or millisecond with `Z` or an offset (a finer fraction is refused, not cut:
 * instants are kept to the millisecond). A pattern cannot know month lengths:
 * 2025-02-30 matches it, and the parser refuses it. time.unit.spec.ts holds it to parseInstant.
 */
export const TIME_PATTERN =
  '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])' +
  '(T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,3})?)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d))?$';

/** What a date-only value means: an event time is the start of that day, a bound (`asOf`, `knownAt`, `to`) its end. */
export type DateOnlyMeaning = 'start-of-day' | 'end-of-day';

/** Date.UTC, without its mapping of years 0..99 to 1900..1999. */
function utcMs(year: number, monthIndex: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(h, m, s, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month, 0)).getUTCDate();
}

/** The canonical form itself: what toInstant makes for years 0000..9999. */
const CANONICAL_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The canonical form has a four-digit year; an offset may not carry an instant out of 0000..9999. */
const CANONICAL = /^\d{4}-/;

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The number written in `text` from `at`, `length` digits long (the caller has checked they are digits). */
function digitsAt(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/** Days in a month of the proleptic Gregorian calendar (Date's), month 1..12. */
function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Whether a text of the canonical form names a time that exists: what Date's round trip
 * (toInstant(Date.parse(text)) === text) answers, read from its digits without making a Date and
 * a string (start-up reads every stored time this way: 100k developments, 200k times or more).
 */
function existsAsWritten(text: string): boolean {
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(digitsAt(text, 0, 4), month) &&
    digitsAt(text, 11, 2) <= 23 &&
    digitsAt(text, 14, 2) <= 59 &&
    digitsAt(text, 17, 2) <= 59
  );
}

/** Parses an ISO 8601 time into a canonical UTC instant, or undefined when it is malformed or impossible. */
export function parseInstant(text: string, dateOnly: DateOnlyMeaning): Instant | undefined {
  // Already canonical (every stored time, every answer's): it is its own parse, when it exists.
  if (CANONICAL_FORM.test(text)) return existsAsWritten(text) ? (text as Instant) : undefined;
  const date = DATE_ONLY.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    if (!isRealDate(year, month, day)) return undefined;
    const start = utcMs(year, month - 1, day);
    const ms = dateOnly === 'start-of-day' ? start : start + 86_400_000 - 1;
    return toInstant(ms);
  }
  const dt = DATE_TIME.exec(text);
  if (!dt) return undefined;
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(dt[i])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = dt[6] === undefined ? 0 : Number(dt[6]);
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = dt[7] === undefined ? 0 : Math.floor(Number(`0.${dt[7]}`) * 1000);
  let offsetMinutes = 0;
  if (dt[8] !== 'Z') {
    const [oh, om] = [Number(dt[9]), Number(dt[10])];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (dt[8]!.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = utcMs(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const instant = toInstant(ms);
  return CANONICAL.test(instant) ? instant : undefined;
}

/**
 * How precisely a development's `occurredAt` is known (contract v1.1, "Dates known roughly"): the
 * form it was sent in (`instant` a date-time, `day` a date, `month` `2025-04`, `year` `2025`), or
 * `approximate` when the client said so ("around mid-March"), whatever the form.
 */
export const OCCURRED_PRECISIONS = ['instant', 'day', 'month', 'year', 'approximate'] as const;
export type OccurredPrecision = (typeof OCCURRED_PRECISIONS)[number];

/** The rough forms only `occurredAt` takes: a month `YYYY-MM` or a year `YYYY`. */
export const ROUGH_TIME_PATTERN = '^\\d{4}(-(0[1-9]|1[0-2]))?$';
const ROUGH_TIME = /^(\d{4})(?:-(\d{2}))?$/;

/**
 * Reads an `occurredAt`: every form parseInstant takes, plus a month or a year, each meaning the
 * START of its period (as a date means the start of its day), with the precision its form gives.
 */
export function parseOccurredAt(
  text: string,
): { instant: Instant; precision: Exclude<OccurredPrecision, 'approximate'> } | undefined {
  const rough = ROUGH_TIME.exec(text);
  if (rough) {
    const month = rough[2] === undefined ? 1 : Number(rough[2]);
    if (month < 1 || month > 12) return undefined;
    return {
      instant: toInstant(utcMs(Number(rough[1]), month - 1, 1)),
      precision: rough[2] === undefined ? 'year' : 'month',
    };
  }
  const instant = parseInstant(text, 'start-of-day');
  if (instant === undefined) return undefined;
  return { instant, precision: DATE_ONLY.test(text) ? 'day' : 'instant' };
}

export function toInstant(ms: number): Instant {
  return new Date(ms).toISOString() as Instant;
}

/** A clock's reading as an instant. */
export function instantOf(date: Date): Instant {
  return toInstant(date.getTime());
}

/** Milliseconds since the epoch of an instant (or of any text Date.parse reads, in tests). */
export function instantMs(time: string): number {
  return Date.parse(time);
}

/** The later of two instants. */
export function laterOf(a: Instant, b: Instant): Instant {
  return a > b ? a : b;
}
