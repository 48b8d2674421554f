// The Parley API, as the page uses it. Same origin; JSON in, JSON or problem+json out.

export class ApiError extends Error {
  /** @param {number} status @param {any} problem */
  constructor(status, problem) {
    super(problem?.detail ?? `The server answered ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The problem's rule name (`/problems/negotiation-not-known-yet` → `negotiation-not-known-yet`). */
  get rule() {
    const type = this.problem?.type;
    return typeof type === 'string' && type.startsWith('/problems/')
      ? type.slice('/problems/'.length)
      : undefined;
  }
}

/**
 * GET a path with query parameters (undefined and null ones left out).
 * @param {string} path
 * @param {Record<string, string | number | boolean | null | undefined>} [query]
 * @param {AbortSignal} [signal]
 */
export async function get(path, query = {}, signal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const url = params.size ? `${path}?${params}` : path;
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

const negotiationPath = (id) => `/negotiations/${encodeURIComponent(id)}`;

export const listNegotiations = () => get('/negotiations');

export const getNegotiation = (id) => get(negotiationPath(id));

/**
 * The state on `asOf` (a date: the end of that day) as known at `knownAt` (null: everything),
 * folding only reports at least as well supported as `minEvidence` (null: all of them).
 */
export const getState = (id, { asOf, effectiveOn, knownAt, minEvidence, product }, signal) =>
  get(`${negotiationPath(id)}/state`, { asOf, effectiveOn, knownAt, minEvidence, product }, signal);

/** The tariffs alone (`state.tariffs`), for a first screen that shows only them. */
export const getTariffs = (id, { asOf, effectiveOn, knownAt, minEvidence, product }, signal) =>
  get(
    `${negotiationPath(id)}/tariffs`,
    { asOf, effectiveOn, knownAt, minEvidence, product },
    signal,
  );

/**
 * What falls due after the chosen day, as announced by then (contract v1.1, deadlines): `[{at,
 * kind, …}]` ordered by `at`, then `kind`.
 */
export const getDeadlines = (id, { asOf, knownAt, minEvidence }, signal) =>
  get(`${negotiationPath(id)}/deadlines`, { asOf, knownAt, minEvidence }, signal);

/** Every negotiation's tariff pairs (contract v1.1, Across negotiations). */
export const getAllTariffs = (query, signal) => get('/tariffs', query, signal);

/** Every negotiation's deadlines, each with its `negotiationId`. */
export const getAllDeadlines = (query, signal) => get('/deadlines', query, signal);

/** The whole log, retracted reports included, following the pages. */
export async function getLog(id, knownAt) {
  const items = [];
  let cursor = null;
  do {
    const page = await get(`${negotiationPath(id)}/events`, {
      includeRetracted: true,
      limit: 1000,
      knownAt,
      cursor,
    });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** One pair's step series: `[{at, total, measures}]`, oldest first. */
export const getTariffHistory = (id, imposedBy, appliedTo, { knownAt, minEvidence }) =>
  get(`${negotiationPath(id)}/tariffs/history`, { imposedBy, appliedTo, knownAt, minEvidence });

/** What happened in (from, to]: developments and the differences of the state. */
export const getChanges = (id, from, to, { minEvidence }) =>
  get(`${negotiationPath(id)}/changes`, { from, to, minEvidence });
