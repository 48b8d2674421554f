// Words and dates for the page. Every date is shown in UTC, as the API gives it.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
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

/** `1 Dec 2025 22:11:37.991 UTC`, for transaction times: to the millisecond, as the API cuts `knownAt`. */
export function formatMoment(instant) {
  if (!instant) return '';
  const iso = new Date(instant).toISOString();
  return `${formatDay(iso)} ${iso.slice(11, 23)} UTC`;
}

/**
 * When a development occurred, as precisely as it is known (contract v1.1, "Dates known roughly"):
 * the API gives the START of the period and says how precise it is. `instant` (or absent, as in
 * v1 answers that predate it): `10 April 2025 04:01 UTC`; `day`: `10 April 2025`; `month`:
 * `April 2025`; `year`: `2025`; `approximate`: `around 15 March 2025`.
 */
export function formatOccurred(instant, precision = 'instant') {
  if (!instant) return '';
  const [y, m, d] = dayOf(instant).split('-').map(Number);
  const day = `${d} ${MONTH_NAMES[m - 1]} ${y}`;
  switch (precision) {
    case 'year':
      return String(y);
    case 'month':
      return `${MONTH_NAMES[m - 1]} ${y}`;
    case 'day':
      return day;
    case 'approximate':
      return `around ${day}`;
    default:
      return `${day} ${String(instant).slice(11, 16)} UTC`;
  }
}

/** The `datetime` of a `<time>` for that: `2025-04` for a month, `2025` for a year. */
export function occurredDatetime(instant, precision = 'instant') {
  if (precision === 'year') return String(instant).slice(0, 4);
  if (precision === 'month') return String(instant).slice(0, 7);
  if (precision === 'day' || precision === 'approximate') return dayOf(instant);
  return instant;
}

export const percent = (rate) => `${Number.isInteger(rate) ? rate : Number(rate).toFixed(1)}%`;

const TYPE_LABELS = {
  NegotiationOpened: 'Negotiation opened',
  PartyJoined: 'Party joined',
  TariffChanged: 'Tariff',
  TariffScopeChanged: 'Tariff scope',
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
  DevelopmentConfirmed: 'Confirmation',
  DevelopmentDisputed: 'Dispute',
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

/** What kind of act a development reports (absent: it occurred). */
const MODALITY_LABELS = { threatened: 'Threatened', considered: 'Under consideration' };

export const modalityLabel = (modality) => MODALITY_LABELS[modality] ?? null;

/** How well a report is supported, in the order `minEvidence` ranks them (disputed lowest). */
export const EVIDENCE_RANK = { disputed: 0, reported: 1, corroborated: 2, confirmed: 3 };

const EVIDENCE_LABELS = {
  reported: 'Reported',
  corroborated: 'Corroborated',
  confirmed: 'Confirmed',
  disputed: 'Disputed',
};

export const evidenceLabel = (status) => EVIDENCE_LABELS[status] ?? status;

/** Abbreviations a slug writes in lower case, written in capitals: `usmca` → `USMCA`. */
const ACRONYMS = new Set(['ieepa', 'usmca', 'wto', 'hs', 'ev', 'evs', 'ai', 'mfn', 'vat', 'ustr']);
/** Legal bases, named last in brackets: `fentanyl-ieepa` → `fentanyl (IEEPA)`. */
const LEGAL_BASES = new Set(['ieepa']);

/**
 * A slug in words (the page's rule for measure names without a `label`, README "The timeline
 * page"): hyphens become spaces, known abbreviations capitals, `section-232` "Section 232", and a
 * legal basis (IEEPA) goes last in brackets: `fentanyl-ieepa` → `fentanyl (IEEPA)`,
 * `section-232-autos` → `Section 232 autos`, `all-goods` → `all goods`.
 */
export function humanize(slug) {
  const words = String(slug ?? '')
    .split('-')
    .filter(Boolean);
  const out = [];
  const bases = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (LEGAL_BASES.has(word)) bases.push(word.toUpperCase());
    else if (word === 'section' && /^\d+$/.test(words[i + 1] ?? ''))
      out.push(`Section ${words[++i]}`);
    else out.push(ACRONYMS.has(word) ? word.toUpperCase() : word);
  }
  if (!out.length) return bases.join(', ');
  return bases.length ? `${out.join(' ')} (${bases.join(', ')})` : out.join(' ');
}

/** The first letter in capitals, for a name that begins a line: `fentanyl (IEEPA)` → `Fentanyl (IEEPA)`. */
export const capitalise = (text) => (text ? text[0].toUpperCase() + text.slice(1) : text);

/** A one-line account of a development from its data, for when it has no summary and as its detail line. */
export function describeDevelopment(development, partyName = (code) => code) {
  const account = describeAct(development, partyName);
  const d = development.data ?? {};
  // A threat at rate 0 withdraws the threat (contract v1.1): nothing is lifted.
  if (development.modality === 'threatened' && d.rate === 0)
    return `Threat withdrawn: ${d.imposedBy} → ${d.appliedTo}: ${humanize(d.measure)}`;
  const modality = modalityLabel(development.modality);
  return modality ? `${modality}: ${account}` : account;
}

/** ` from 1 Nov 2025`, or nothing when the date is not given (a considered change may lack one). */
const from = (effectiveAt) => (effectiveAt ? ` from ${formatInstant(effectiveAt)}` : '');

function describeAct(development, partyName) {
  const d = development.data ?? {};
  switch (development.type) {
    case 'NegotiationOpened':
      return `${d.title}: ${(d.parties ?? []).map((p) => p.name).join(', ')}`;
    case 'PartyJoined':
      return `${d.party?.name} (${d.party?.code}) joins`;
    case 'TariffChanged':
      return d.rate === 0
        ? `${d.imposedBy} → ${d.appliedTo}: ${humanize(d.measure)} lifted${from(d.effectiveAt)}`
        : `${d.imposedBy} → ${d.appliedTo}: ${humanize(d.measure)} ${percent(d.rate)} on ${humanize(d.coverage)}${from(d.effectiveAt)}${
            d.until ? ` until ${formatInstant(d.until)}, then ${percent(d.thenRate ?? 0)}` : ''
          }`;
    case 'TariffScopeChanged':
      return `${d.imposedBy} → ${d.appliedTo}: ${humanize(d.measure)}${
        d.exclude?.length ? ` no longer on ${d.exclude.join(', ')}` : ''
      }${d.exclude?.length && d.include?.length ? ';' : ''}${
        d.include?.length ? ` again on ${d.include.join(', ')}` : ''
      }${from(d.effectiveAt)}`;
    case 'TradeMeasureChanged':
      return `${d.imposedBy} → ${(d.appliedTo ?? []).join(', ')}: ${humanize(d.measure)} ${d.action}${from(d.effectiveAt)}`;
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
    case 'DevelopmentConfirmed':
      return `Confirms a report${d.by ? ` (${partyName(d.by)})` : ''}${d.note ? `: ${d.note}` : ''}`;
    case 'DevelopmentDisputed':
      return `Disputes a report${d.by ? ` (${partyName(d.by)})` : ''}${d.note ? `: ${d.note}` : ''}`;
    default:
      return development.type;
  }
}

/**
 * A product code as the API takes it (contract v1.1, PRODUCT_CODE): 2 to 10 digits, groups
 * separated by single dots (`72`, `8517.13`, `8517.13.00`).
 */
export const PRODUCT_CODE = /^(?=(?:\.?\d){2,10}$)\d+(?:\.\d+)*$/;

/** The tariff kinds' sentence subject: `US reciprocal tariff on CN`. */
const tariffSubject = (d) => `${d.imposedBy} ${humanize(d.measure)} tariff on ${d.appliedTo}`;

const onGoods = (coverage) =>
  coverage && coverage !== 'all-goods' ? ` on ${humanize(coverage)}` : '';

/**
 * A deadline (GET …/deadlines) in words, without its date: `US reciprocal tariff on CN reverts
 * to 34% (the temporary rate expires)`.
 */
export function describeDeadline(d) {
  switch (d.kind) {
    case 'tariff-change':
      if (d.reversion)
        return `${tariffSubject(d)} reverts to ${percent(d.rate)}${onGoods(d.coverage)} (the temporary rate expires)`;
      return d.rate === 0
        ? `${tariffSubject(d)} lifted`
        : `${tariffSubject(d)} becomes ${percent(d.rate)}${onGoods(d.coverage)}`;
    case 'tariff-threat':
      return d.modality === 'considered'
        ? `${d.imposedBy} is weighing ${percent(d.rate)} on goods from ${d.appliedTo}${onGoods(d.coverage)} (${humanize(d.measure)}; under consideration, not decided)`
        : `${d.imposedBy} threatens ${percent(d.rate)} on goods from ${d.appliedTo}${onGoods(d.coverage)} (${humanize(d.measure)}; a threat, not decided)`;
    case 'trade-measure-change':
      return `${d.imposedBy} ${humanize(d.measure)} for ${[].concat(d.appliedTo ?? []).join(', ')}: ${humanize(d.action)}`;
    case 'talks-round':
      return 'Next round of talks';
    case 'agreement-effective':
      return `Agreement of ${(d.parties ?? []).join(' and ')} takes effect: ${d.summary}`;
    default:
      return humanize(d.kind);
  }
}
