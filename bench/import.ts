import type { RecordedDevelopment } from '@parley/domain';
import { toInstant } from '@parley/domain';
import { Agent, request } from 'node:http';
import type { ClientRequest } from 'node:http';
import { send, startServer } from './http';
import { nowMs, round, seeded } from './stats';
import { envelopeBody, generateNegotiation, openingBody, scratchDir } from './workload';

/** One import of a whole negotiation, `batchSize` developments per POST …/events/batch. */
export interface ImportRun {
  order: 'random' | 'valid-time' | 'random, one /live follower';
  /** Developments posted (NegotiationOpened excluded); fewer than asked when the run hit its budget. */
  events: number;
  finished: boolean;
  totalMs: number;
  eventsPerSec: number;
  /** Every batch's time, in posting order. */
  batchMs: number[];
  /** Median of the first ten batches after the first (which runs cold code) and of the last ten, and last / first. */
  firstBatchesMs: number;
  lastBatchesMs: number;
  lastToFirst: number;
  /** With a /live follower: what it received, and how long after the last batch's answer the state with every development came. */
  follower?: FollowerTally;
}

/** What a /live follower received during an import. */
export interface FollowerTally {
  developments: number;
  states: number;
  /** The revision of the last state received. */
  lastStateRevision: number;
  /** From the last batch's answer to the state at the last revision (-1: none within 10 s). */
  finalStateAfterMs: number;
}

export interface ImportResult {
  events: number;
  batchSize: number;
  spreadYears: number;
  random: ImportRun;
  validTime: ImportRun;
  /** The random order again with one follower of GET …/live open (the timeline page during an import). */
  randomFollowed: ImportRun;
}

const YEAR = 365.25 * 86_400_000;
const SPREAD_YEARS = 25;
const FROM = Date.UTC(2000, 0, 1);
/** Types whose record depends on no other development once every party is declared. */
const INDEPENDENT = new Set([
  'TariffChanged',
  'TradeMeasureChanged',
  'StatementMade',
  'TalksHeld',
  'TalksScheduled',
  'TalksStatusChanged',
  'ProposalMade',
  'AgreementReached',
]);

/**
 * A generated negotiation of tariff changes, trade measures, statements, talks, proposals and
 * status changes whose `occurredAt` are spread at random over 25 years (their effective and
 * scheduled dates move with them), in the order drawn: an archive merged from several sources.
 */
export function outOfOrderNegotiation(
  events: number,
  negotiationId: string,
): RecordedDevelopment[] {
  const generated = generateNegotiation({
    events: Math.ceil(events * 1.3) + 100,
    seed: 15,
    negotiationId,
  });
  const rnd = seeded(1515);
  const shift = (instant: string, by: number) => toInstant(Date.parse(instant) + by);
  const opening = {
    ...generated[0]!,
    occurredAt: toInstant(FROM - 86_400_000),
  };
  // The parties that join are declared the day the negotiation opens, so every development may
  // name them whenever it happened.
  const joins = generated
    .filter((d) => d.type === 'PartyJoined')
    .map((d) => ({ ...d, occurredAt: opening.occurredAt }));
  const picked: RecordedDevelopment[] = [opening, ...joins];
  for (const development of generated) {
    if (picked.length > events) break;
    if (!INDEPENDENT.has(development.type)) continue;
    const by = Math.floor(FROM + rnd() * SPREAD_YEARS * YEAR) - Date.parse(development.occurredAt);
    const data: Record<string, unknown> = { ...development.data };
    for (const field of ['effectiveAt', 'scheduledFor'])
      if (typeof data[field] === 'string') data[field] = shift(data[field], by);
    picked.push({
      ...development,
      occurredAt: shift(development.occurredAt, by),
      data,
    } as RecordedDevelopment);
  }
  return picked;
}

/**
 * (6) Batch import over HTTP of the same developments in the order drawn (random valid time) and
 * sorted in valid time, each into a fresh server on a fresh SQLite file, `batchSize` per POST.
 * A run stops once it has taken `budgetMs` (reported as not finished).
 */
export async function benchImport(
  events: number,
  batchSize = 1000,
  budgetMs = 300_000,
  log: (text: string) => void = () => {},
): Promise<ImportResult> {
  const drawn = outOfOrderNegotiation(events, 'import');
  const sorted = [
    drawn[0]!,
    ...drawn
      .slice(1)
      .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0)),
  ];
  const random = await importRun('random', drawn, batchSize, budgetMs, log);
  const validTime = await importRun('valid-time', sorted, batchSize, budgetMs, log);
  const randomFollowed = await importRun(
    'random, one /live follower',
    drawn,
    batchSize,
    budgetMs,
    log,
  );
  return {
    events: drawn.length - 1,
    batchSize,
    spreadYears: SPREAD_YEARS,
    random,
    validTime,
    randomFollowed,
  };
}

/** One import into a fresh server (exported to profile one order alone). */
export async function importRun(
  order: ImportRun['order'],
  stream: RecordedDevelopment[],
  batchSize: number,
  budgetMs: number,
  log: (text: string) => void,
): Promise<ImportRun> {
  const scratch = scratchDir(`import-${order.replace(/\W+/g, '-')}`);
  const server = await startServer(`${scratch.dir}/parley.db`);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const negotiationId = stream[0]!.negotiationId;
  const batchMs: number[] = [];
  let posted = 0;
  let following: ClientRequest | undefined;
  const tally: FollowerTally = {
    developments: 0,
    states: 0,
    lastStateRevision: -1,
    finalStateAfterMs: -1,
  };
  const began = nowMs();
  let imported = began;
  try {
    const opened = await send(
      agent,
      server.baseUrl,
      'POST',
      '/negotiations',
      JSON.stringify(openingBody(stream[0]!)),
    );
    if (opened.status !== 201) throw new Error(`opening failed: ${opened.status} ${opened.body}`);
    if (order === 'random, one /live follower') {
      // A follower that reads everything it is sent, as the page does, and counts the events.
      const live = request(`${server.baseUrl}/negotiations/${negotiationId}/live`, (res) =>
        res.on('data', countEvents(tally)),
      );
      live.on('error', () => undefined);
      live.end();
      following = live;
      await new Promise((settle) => setTimeout(settle, 300));
    }
    for (let i = 1; i < stream.length; i += batchSize) {
      if (nowMs() - began > budgetMs) break;
      const members = stream.slice(i, i + batchSize);
      const body = JSON.stringify({ events: members.map(envelopeBody) });
      const t = nowMs();
      const answer = await send(
        agent,
        server.baseUrl,
        'POST',
        `/negotiations/${negotiationId}/events/batch`,
        body,
      );
      batchMs.push(round(nowMs() - t, 1));
      if (answer.status !== 201)
        throw new Error(
          `${order} batch at ${i} failed: ${answer.status} ${answer.body.slice(0, 500)}`,
        );
      posted += members.length;
      if (batchMs.length % 10 === 0)
        log(`  ${order}: ${posted} posted, last batch ${batchMs[batchMs.length - 1]} ms`);
    }
    imported = nowMs();
    if (following) {
      // States may be paced while batches arrive: the last follows the last batch shortly.
      const answered = nowMs();
      while (tally.lastStateRevision < posted && nowMs() - answered < 10_000)
        await new Promise((settle) => setTimeout(settle, 5));
      if (tally.lastStateRevision >= posted) tally.finalStateAfterMs = round(nowMs() - answered, 0);
    }
  } finally {
    following?.destroy();
    agent.destroy();
    await server.stop();
    scratch.remove();
  }
  // The import's time, without the wait for the follower's last state after it.
  const totalMs = imported - began;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  // The very first batch runs code the JIT has not optimised yet: the first ten after it.
  const first = median(batchMs.slice(1, 11));
  const last = median(batchMs.slice(-10));
  return {
    order,
    events: posted,
    finished: posted === stream.length - 1,
    totalMs: round(totalMs, 0),
    eventsPerSec: round(posted / (totalMs / 1000), 0),
    batchMs,
    firstBatchesMs: first,
    lastBatchesMs: last,
    lastToFirst: round(last / first, 2),
    ...(following ? { follower: tally } : {}),
  };
}

/** Counts a /live stream's development and state events into `tally`, chunk by chunk. */
function countEvents(tally: FollowerTally): (chunk: Buffer) => void {
  let carry = '';
  let type = '';
  let id = -1;
  return (chunk) => {
    const lines = (carry + chunk.toString('utf8')).split('\n');
    carry = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('event: ')) type = line.slice(7);
      else if (line.startsWith('id: ')) id = Number(line.slice(4));
      else if (line === '') {
        if (type === 'development') tally.developments++;
        if (type === 'state') {
          tally.states++;
          tally.lastStateRevision = id;
        }
        type = '';
      }
    }
  };
}
