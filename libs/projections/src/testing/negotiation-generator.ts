import {
  PROPOSAL_SUBJECTS,
  TALKS_LEVELS,
  TALKS_STATUSES,
  TRADE_MEASURE_ACTIONS,
  toInstant,
} from '@parley/domain';
import type {
  Development,
  DevelopmentData,
  DevelopmentType,
  Instant,
  Party,
  RecordedDevelopment,
} from '@parley/domain';

/**
 * A seeded generator of one realistic negotiation, for the benchmark and for property tests:
 * every development type, a share of late reports (recorded after developments that happened
 * later) and of retractions. The same options always give the same stream, byte for byte.
 *
 * Every generated development passes `decide` when posted in the order given, and also when up
 * to `dependencyDistance` - 1 neighbours overtake each other on the way (concurrent clients):
 * a development that depends on an earlier one (a response to a proposal, the resolution of a
 * demand, a retraction, anything naming a party that joined) comes at least that many
 * revisions after it.
 */
export interface GeneratorOptions {
  /** Developments in the stream, `NegotiationOpened` included. */
  events: number;
  seed?: number;
  negotiationId?: string;
  /** The `occurredAt` of `NegotiationOpened`; the stream's valid time starts there. */
  start?: Instant;
  /** Mean time between two on-time developments. */
  meanGapMinutes?: number;
  /** Share of developments reported late: they happened up to `maxLatenessDays` before the others of their time. */
  lateFraction?: number;
  maxLatenessDays?: number;
  /** Share of developments that retract an earlier one. */
  retractionFraction?: number;
  dependencyDistance?: number;
}

const DEFAULTS = {
  seed: 1,
  negotiationId: 'bench-negotiation',
  // 1M developments at 15 minutes apart end in 2023, so they can all be posted today.
  start: toInstant(Date.UTC(1995, 0, 2)),
  meanGapMinutes: 15,
  lateFraction: 0.05,
  maxLatenessDays: 30,
  retractionFraction: 0.01,
  dependencyDistance: 1,
} satisfies Omit<Required<GeneratorOptions>, 'events'>;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** mulberry32: small, fast, good enough for workloads, and the same everywhere. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FOUNDERS: Party[] = [
  { code: 'US', name: 'United States' },
  { code: 'CN', name: 'China' },
  { code: 'HK', name: 'Hong Kong' },
];
const JOINERS: Party[] = [
  { code: 'EU', name: 'European Union' },
  { code: 'JP', name: 'Japan' },
  { code: 'KR', name: 'South Korea' },
  { code: 'MX', name: 'Mexico' },
  { code: 'CA', name: 'Canada' },
  { code: 'GB', name: 'United Kingdom' },
  { code: 'IN', name: 'India' },
  { code: 'VN', name: 'Vietnam' },
];
const TARIFF_MEASURES = [
  'reciprocal',
  'fentanyl-ieepa',
  'section-301',
  'steel-232',
  'aluminium-232',
  'autos-232',
  'retaliatory',
  'semiconductors',
];
const TARIFF_RATES = [0, 10, 10, 20, 25, 25, 34, 50, 84, 125, 145];
const TRADE_MEASURES: Array<[string, DevelopmentData['TradeMeasureChanged']['kind']]> = [
  ['de-minimis-exemption', 'exemption'],
  ['chip-export-controls', 'export-control'],
  ['rare-earth-export-controls', 'export-control'],
  ['entity-list', 'sanction'],
  ['soybean-quota', 'quota'],
  ['anti-dumping-solar', 'investigation'],
  ['port-fees', 'other'],
];
const ISSUES = [
  'fentanyl-precursors',
  'market-access',
  'rare-earths',
  'tech-transfer',
  'currency',
  'subsidies',
  'soybean-purchases',
  'export-controls',
  'tiktok',
  'ip-protection',
  'state-enterprises',
  'steel-overcapacity',
];
/** The vocabulary's talks statuses, 'none' last (the order seeded streams were drawn in). */
const STATUS_CHANGES = [...TALKS_STATUSES.filter((s) => s !== 'none'), 'none' as const];
const OUTCOMES = [
  undefined,
  'progress',
  'progress',
  'no-result',
  'agreement',
  'breakdown',
] as const;
const STANCES = [undefined, 'conciliatory', 'neutral', 'hardline', 'hardline'] as const;
const VENUES = ['Geneva', 'London', 'Stockholm', 'Madrid', 'Kuala Lumpur', 'Beijing', 'Washington'];
const SPEAKERS = [
  'the President',
  'the Trade Representative',
  'the Commerce Secretary',
  'a ministry spokesperson',
  'the Vice Premier',
  'the Treasury Secretary',
];
const OUTLETS = [
  'Reuters',
  'Bloomberg',
  'Financial Times',
  'Xinhua',
  'The White House',
  'Nikkei Asia',
  'South China Morning Post',
];
const ATTRIBUTIONS = [
  'official-statement',
  'named-official',
  'unnamed-sources',
  'media-report',
  'document',
  'other',
] as const;
const WORDS =
  'tariffs talks officials said trade deal sides agreed framework exports imports duties review pause escalation truce negotiators week statement ministry goods sectors relief'.split(
    ' ',
  );

/** Types a late report may have: ones whose effect on later rules is nil (only founding parties named). */
const LATE_TYPES: DevelopmentType[] = [
  'StatementMade',
  'StatementMade',
  'TariffChanged',
  'TariffChanged',
  'TradeMeasureChanged',
  'TalksHeld',
  'TalksScheduled',
  'TalksStatusChanged',
  'AgreementReached',
];
/** Types a retraction may target: those of late reports, and ProposalMade (retracting one also closes the proposal for the generator). */
const RETRACTABLE = new Set<DevelopmentType>([...LATE_TYPES, 'ProposalMade']);

/** Relative weights of on-time developments. */
const WEIGHTS: Array<[DevelopmentType, number]> = [
  ['StatementMade', 27],
  ['TariffChanged', 12],
  ['TradeMeasureChanged', 7],
  ['TalksHeld', 7],
  ['TalksScheduled', 5],
  ['TalksStatusChanged', 4],
  ['ProposalMade', 3],
  ['ProposalResponded', 4],
  ['DemandMade', 5],
  ['DemandResolved', 3],
  ['AgreementReached', 0.7],
  ['PartyJoined', 0.3],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);

interface OpenProposal {
  proposalId: string;
  by: string;
  to: string[];
  /** Revision of the last development about it (made, or under review). */
  lastRevision: number;
  proposedRevision: number;
  eventId: string;
  reviewed: boolean;
}

export function generateNegotiation(options: GeneratorOptions): RecordedDevelopment[] {
  const o = { ...DEFAULTS, ...options };
  const rnd = random(o.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const chance = (p: number): boolean => rnd() < p;
  const distance = Math.max(1, o.dependencyDistance);
  const seedHex = (o.seed >>> 0).toString(16).padStart(8, '0');
  const eventId = (revision: number): string =>
    `${seedHex}-${(revision >>> 16).toString(16).padStart(4, '0').slice(-4)}-4${(revision & 0xfff).toString(16).padStart(3, '0')}-8${Math.floor(
      rnd() * 0xfff,
    )
      .toString(16)
      .padStart(3, '0')}-${revision.toString(16).padStart(12, '0')}`;
  const iso = (ms: number): Instant => toInstant(ms);
  const sentence = (min: number, max: number): string => {
    const n = min + Math.floor(rnd() * (max - min + 1));
    const words: string[] = [];
    for (let i = 0; i < n; i++) words.push(pick(WORDS));
    const text = words.join(' ');
    return text[0]!.toUpperCase() + text.slice(1);
  };

  const stream: RecordedDevelopment[] = [];
  let frontier = Date.parse(o.start);
  let lastRecorded = frontier;
  /** Parties and the revision from which they may be named. */
  const usable: Array<{ code: string; from: number }> = FOUNDERS.map((p) => ({
    code: p.code,
    from: 0,
  }));
  const joiners = [...JOINERS];
  const openProposals: OpenProposal[] = [];
  let proposalNumber = 0;
  /** Open demands by key, with the revision they were (re)made at. */
  const openDemands = new Map<
    string,
    { by: string; of: string; issue: string; madeRevision: number }
  >();
  const retracted = new Set<string>();
  const retractableRevisions: number[] = [];

  const push = (development: Development, occurredAt: number): void => {
    const revision = stream.length;
    lastRecorded = Math.max(lastRecorded + 1000, frontier + 30 * MINUTE);
    const recorded = {
      ...development,
      occurredAt: iso(occurredAt),
      negotiationId: o.negotiationId,
      revision,
      recordedAt: iso(lastRecorded),
    };
    stream.push(recorded);
    if (RETRACTABLE.has(recorded.type)) retractableRevisions.push(revision);
  };
  const common = (revision: number, at: number) => ({
    eventId: eventId(revision),
    occurredAt: iso(at),
    source: {
      name: pick(OUTLETS),
      url: `https://example.org/news/${o.seed}/${revision}`,
      attribution: pick(ATTRIBUTIONS),
    },
    summary: sentence(8, 18),
  });
  const partiesAt = (revision: number, lateReport: boolean): string[] =>
    lateReport
      ? FOUNDERS.map((p) => p.code)
      : usable.filter((p) => p.from <= revision).map((p) => p.code);
  const two = (parties: string[]): [string, string] => {
    const a = pick(parties);
    let b = pick(parties);
    while (b === a) b = pick(parties);
    return [a, b];
  };
  const some = (parties: string[], min: number, without?: string): string[] => {
    const pool = parties.filter((p) => p !== without);
    const count = Math.min(pool.length, min + Math.floor(rnd() * 2));
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(pick(pool));
    return [...chosen];
  };

  /** A development of `type` at `revision`, or undefined when the type is not possible now. */
  const build = (
    type: DevelopmentType,
    revision: number,
    at: number,
    late: boolean,
  ): Development | undefined => {
    const parties = partiesAt(revision, late);
    const base = common(revision, at);
    switch (type) {
      case 'StatementMade':
        return {
          ...base,
          type,
          data: {
            party: pick(parties),
            speaker: pick(SPEAKERS),
            ...(chance(0.5) ? { role: 'spokesperson' } : {}),
            ...(chance(0.6) ? { quote: sentence(6, 24) } : {}),
            ...((): { stance?: 'conciliatory' | 'neutral' | 'hardline' } => {
              const stance = pick(STANCES);
              return stance ? { stance } : {};
            })(),
          },
        };
      case 'TariffChanged': {
        const [imposedBy, appliedTo] = chance(0.8)
          ? two(FOUNDERS.slice(0, 2).map((p) => p.code))
          : two(parties);
        return {
          ...base,
          type,
          data: {
            imposedBy,
            appliedTo,
            measure: pick(TARIFF_MEASURES),
            rate: pick(TARIFF_RATES),
            effectiveAt: iso(at + (chance(0.5) ? 0 : Math.floor(rnd() * 30) * DAY)),
            coverage: chance(0.8) ? 'all-goods' : 'selected-goods',
            ...(chance(0.3) ? { description: sentence(6, 14) } : {}),
          },
        };
      }
      case 'TradeMeasureChanged': {
        const [measure, kind] = pick(TRADE_MEASURES);
        const imposedBy = chance(0.7) ? 'US' : pick(parties);
        return {
          ...base,
          type,
          data: {
            imposedBy,
            appliedTo: some(parties, 1, imposedBy),
            measure,
            kind,
            action: pick(TRADE_MEASURE_ACTIONS),
            effectiveAt: iso(at + (chance(0.5) ? 0 : Math.floor(rnd() * 60) * DAY)),
            ...(chance(0.3) ? { description: sentence(6, 14) } : {}),
          },
        };
      }
      case 'TalksHeld':
        return {
          ...base,
          type,
          data: {
            participants: some(parties, 2),
            ...(chance(0.7) ? { venue: pick(VENUES) } : {}),
            ...(chance(0.7) ? { level: pick(TALKS_LEVELS) } : {}),
            ...((): { outcome?: 'progress' | 'no-result' | 'agreement' | 'breakdown' } => {
              const outcome = pick(OUTCOMES);
              return outcome ? { outcome } : {};
            })(),
          },
        };
      case 'TalksScheduled':
        return {
          ...base,
          type,
          data: {
            scheduledFor: iso(at + (1 + Math.floor(rnd() * 21)) * DAY),
            ...(chance(0.7) ? { venue: pick(VENUES) } : {}),
            ...(chance(0.5) ? { participants: some(parties, 2) } : {}),
          },
        };
      case 'TalksStatusChanged':
        return {
          ...base,
          type,
          data: { status: pick(STATUS_CHANGES), ...(chance(0.4) ? { note: sentence(5, 12) } : {}) },
        };
      case 'AgreementReached':
        return {
          ...base,
          type,
          data: {
            parties: some(parties, 2),
            summary: sentence(10, 20),
            ...(chance(0.6) ? { terms: [sentence(5, 10), sentence(5, 10)] } : {}),
            ...(chance(0.5) ? { effectiveAt: iso(at + Math.floor(rnd() * 30) * DAY) } : {}),
          },
        };
      case 'PartyJoined': {
        if (joiners.length === 0) return undefined;
        const party = joiners.shift()!;
        usable.push({ code: party.code, from: revision + distance });
        return { ...base, type, data: { party } };
      }
      case 'ProposalMade': {
        proposalNumber += 1;
        const proposalId = `proposal-${proposalNumber}`;
        const by = pick(parties);
        const to = some(parties, 1, by);
        openProposals.push({
          proposalId,
          by,
          to,
          lastRevision: revision,
          proposedRevision: revision,
          eventId: base.eventId,
          reviewed: false,
        });
        return {
          ...base,
          type,
          data: {
            proposalId,
            by,
            to,
            subject: pick(PROPOSAL_SUBJECTS),
            summary: sentence(8, 16),
            ...(chance(0.5) ? { terms: [sentence(4, 10), sentence(4, 10), sentence(4, 10)] } : {}),
          },
        };
      }
      case 'ProposalResponded': {
        const ready = openProposals.filter(
          (p) => p.lastRevision + distance <= revision && !retracted.has(p.eventId),
        );
        if (ready.length === 0) return undefined;
        const proposal = pick(ready);
        const withdraw = chance(0.1);
        const review = !withdraw && !proposal.reviewed && chance(0.3);
        const response = withdraw
          ? 'withdrawn'
          : review
            ? 'under-review'
            : pick(['accepted', 'rejected', 'countered'] as const);
        if (review) {
          proposal.reviewed = true;
          proposal.lastRevision = revision;
        } else {
          openProposals.splice(openProposals.indexOf(proposal), 1);
        }
        return {
          ...base,
          type,
          data: {
            proposalId: proposal.proposalId,
            by: withdraw ? proposal.by : pick(proposal.to),
            response,
            ...(chance(0.4) ? { note: sentence(5, 12) } : {}),
          },
        };
      }
      case 'DemandMade': {
        const [by, of] = two(parties);
        const issue = pick(ISSUES);
        const key = `${by}/${of}/${issue}`;
        openDemands.set(key, { by, of, issue, madeRevision: revision });
        return { ...base, type, data: { by, of, issue, summary: sentence(6, 14) } };
      }
      case 'DemandResolved': {
        const ready = [...openDemands.entries()].filter(
          ([, d]) => d.madeRevision + distance <= revision,
        );
        if (ready.length === 0) return undefined;
        const [key, demand] = pick(ready);
        openDemands.delete(key);
        return {
          ...base,
          type,
          data: {
            by: demand.by,
            of: demand.of,
            issue: demand.issue,
            ...(chance(0.5) ? { summary: sentence(5, 10) } : {}),
          },
        };
      }
      case 'DevelopmentRetracted': {
        // Misreports are retracted soon: pick among the latest few hundred retractable ones.
        for (let attempt = 0; attempt < 8; attempt++) {
          const window = retractableRevisions.length;
          const index = window - 1 - Math.floor(rnd() * Math.min(window, 400));
          const targetRevision = retractableRevisions[index];
          if (targetRevision === undefined || targetRevision + distance > revision) continue;
          const target = stream[targetRevision]!;
          if (retracted.has(target.eventId)) continue;
          if (target.type === 'ProposalMade') {
            // Only a proposal nobody answered yet; it is then out of play.
            const open = openProposals.findIndex((p) => p.eventId === target.eventId);
            if (open < 0 || openProposals[open]!.reviewed) continue;
            openProposals.splice(open, 1);
          }
          retracted.add(target.eventId);
          return {
            ...base,
            type,
            data: { targetEventId: target.eventId, reason: sentence(5, 12) },
          };
        }
        return undefined;
      }
      default:
        return undefined;
    }
  };

  push(
    {
      type: 'NegotiationOpened',
      eventId: eventId(0),
      occurredAt: iso(frontier),
      data: {
        title: 'Trade and fentanyl talks (generated)',
        parties: FOUNDERS.map((p) => ({ ...p })),
        description: `seed ${o.seed}`,
      },
    },
    frontier,
  );

  const maxLateness = o.maxLatenessDays * DAY;
  while (stream.length < o.events) {
    const revision = stream.length;
    frontier += Math.max(1000, Math.round(-Math.log(1 - rnd()) * o.meanGapMinutes * MINUTE));
    const roll = rnd();
    let development: Development | undefined;
    let at = frontier;
    if (roll < o.retractionFraction) {
      development = build('DevelopmentRetracted', revision, at, false);
    } else if (roll < o.retractionFraction + o.lateFraction) {
      // Lateness between an hour and maxLatenessDays, most of it short (log-uniform).
      const lateness = Math.exp(
        Math.log(3_600_000) +
          rnd() * (Math.log(Math.max(maxLateness, 3_600_001)) - Math.log(3_600_000)),
      );
      at = Math.max(Date.parse(o.start) + 1000, frontier - Math.round(lateness));
      development = build(pick(LATE_TYPES), revision, at, true);
    } else {
      let r = rnd() * TOTAL_WEIGHT;
      let type: DevelopmentType = 'StatementMade';
      for (const [candidate, weight] of WEIGHTS) {
        r -= weight;
        if (r < 0) {
          type = candidate;
          break;
        }
      }
      development = build(type, revision, at, false);
    }
    push(
      development ?? build('StatementMade', revision, frontier, false)!,
      development ? at : frontier,
    );
  }
  return stream;
}

/** A development as a client posts it: the recorded one without its place in the stream. */
export function unrecordedDevelopment(development: RecordedDevelopment): Development {
  const rest: Record<string, unknown> = { ...development };
  delete rest.negotiationId;
  delete rest.revision;
  delete rest.recordedAt;
  return rest as unknown as Development;
}
