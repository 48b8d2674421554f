// Words and dates for the page. Every date is shown in UTC, as the API gives it.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_MS = 86_400_000;

/** `2025-04-10` from an instant or a date. */
export const dayOf = (instant) => String(instant).slice(0, 10);

/** Milliseconds of 00:00Z of a `YYYY-MM-DD` day. */
export const dayMs = (day) => Date.parse(`${day}T00:00:00.000Z`);

/** The `YYYY-MM-DD` day `n` days after `day`. */
export const addDays = (day, n) => new Date(dayMs(day) + n * DAY_MS).toISOString().slice(0, 10);

/** Whole days from `a` to `b` (both `YYYY-MM-DD`). */
export const daysBetween = (a, b) => Math.round((dayMs(b) - dayMs(a)) / DAY_MS);

/** The last millisecond of a day, as the API reads a date-only bound. */
export const endOfDay = (day) => `${day}T23:59:59.999Z`;

/** `10 Apr 2025` */
export function formatDay(instant) {
  if (!instant) return '';
  const [y, m, d] = dayOf(instant).split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** `10 Apr 2025`, or `10 Apr 2025 04:01 UTC` when the time is not midnight. */
export function formatInstant(instant) {
  if (!instant) return '';
  const time = String(instant).slice(11, 16);
  return time && time !== '00:00' ? `${formatDay(instant)} ${time} UTC` : formatDay(instant);
}

/** `1 Dec 2025 12:00:05 UTC`, for transaction times. */
export function formatMoment(instant) {
  if (!instant) return '';
  return `${formatDay(instant)} ${String(instant).slice(11, 19)} UTC`;
}

export const percent = (rate) => `${Number.isInteger(rate) ? rate : Number(rate).toFixed(1)}%`;

const TYPE_LABELS = {
  NegotiationOpened: 'Negotiation opened',
  PartyJoined: 'Party joined',
  TariffChanged: 'Tariff',
  TradeMeasureChanged: 'Trade measure',
  ProposalMade: 'Proposal',
  ProposalResponded: 'Response',
  TalksScheduled: 'Talks scheduled',
  TalksHeld: 'Talks held',
  TalksStatusChanged: 'Talks status',
  StatementMade: 'Statement',
  DemandMade: 'Demand',
  DemandResolved: 'Demand resolved',
  AgreementReached: 'Agreement',
  DevelopmentRetracted: 'Retraction',
};

export const typeLabel = (type) => TYPE_LABELS[type] ?? type;

const ATTRIBUTION_LABELS = {
  'official-statement': 'official statement',
  'named-official': 'named official',
  'unnamed-sources': 'unnamed sources',
  'media-report': 'media report',
  document: 'document',
  other: 'other',
};

export const attributionLabel = (value) => ATTRIBUTION_LABELS[value] ?? value;

export const humanize = (slug) => String(slug ?? '').replace(/-/g, ' ');

/** A one-line account of a development from its data, for when it has no summary and as its detail line. */
export function describeDevelopment(development, partyName = (code) => code) {
  const d = development.data ?? {};
  switch (development.type) {
    case 'NegotiationOpened':
      return `${d.title}: ${(d.parties ?? []).map((p) => p.name).join(', ')}`;
    case 'PartyJoined':
      return `${d.party?.name} (${d.party?.code}) joins`;
    case 'TariffChanged':
      return d.rate === 0
        ? `${d.imposedBy} → ${d.appliedTo}: ${humanize(d.measure)} lifted from ${formatInstant(d.effectiveAt)}`
        : `${d.imposedBy} → ${d.appliedTo}: ${humanize(d.measure)} ${percent(d.rate)} on ${humanize(d.coverage)} from ${formatInstant(d.effectiveAt)}`;
    case 'TradeMeasureChanged':
      return `${d.imposedBy} → ${(d.appliedTo ?? []).join(', ')}: ${humanize(d.measure)} ${d.action} from ${formatInstant(d.effectiveAt)}`;
    case 'ProposalMade':
      return `${partyName(d.by)} proposes to ${(d.to ?? []).map(partyName).join(', ')}: ${d.summary}`;
    case 'ProposalResponded':
      return `${partyName(d.by)}: ${humanize(d.response)} (${humanize(d.proposalId)})${d.note ? `: ${d.note}` : ''}`;
    case 'TalksScheduled':
      return `Talks scheduled for ${formatInstant(d.scheduledFor)}${d.venue ? ` in ${d.venue}` : ''}`;
    case 'TalksHeld':
      return `Talks${d.venue ? ` in ${d.venue}` : ''}${d.level ? ` (${humanize(d.level)})` : ''}${d.outcome ? `: ${humanize(d.outcome)}` : ''}`;
    case 'TalksStatusChanged':
      return `Talks ${humanize(d.status)}${d.note ? `: ${d.note}` : ''}`;
    case 'StatementMade':
      return `${d.speaker}${d.role ? `, ${d.role}` : ''} (${d.party})${d.quote ? `: “${d.quote}”` : ''}${d.stance ? ` [${d.stance}]` : ''}`;
    case 'DemandMade':
      return `${partyName(d.by)} demands of ${partyName(d.of)}: ${d.summary}`;
    case 'DemandResolved':
      return `${partyName(d.by)} considers ${humanize(d.issue)} resolved${d.summary ? `: ${d.summary}` : ''}`;
    case 'AgreementReached':
      return `${(d.parties ?? []).join(', ')}: ${d.summary}`;
    case 'DevelopmentRetracted':
      return `Retracts a report: ${d.reason}`;
    default:
      return development.type;
  }
}
