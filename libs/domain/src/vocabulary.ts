/** The words of the contract: patterns and the closed sets of values a development may carry. */

export const NEGOTIATION_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
export const PARTY_CODE = /^[A-Z][A-Z0-9-]{1,15}$/;
export const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** A product code (contract v1.1): digits with optional dots between them, 2 to 10 digits. */
export const PRODUCT_CODE = /^(?=(?:\.?\d){2,10}$)\d+(?:\.\d+)*$/;

export const ATTRIBUTIONS = [
  'official-statement',
  'named-official',
  'unnamed-sources',
  'media-report',
  'document',
  'other',
] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

export const COVERAGES = ['all-goods', 'selected-goods'] as const;
export type Coverage = (typeof COVERAGES)[number];

export const TRADE_MEASURE_KINDS = [
  'exemption',
  'export-control',
  'sanction',
  'quota',
  'investigation',
  'other',
] as const;
export type TradeMeasureKind = (typeof TRADE_MEASURE_KINDS)[number];

export const TRADE_MEASURE_ACTIONS = [
  'imposed',
  'lifted',
  'suspended',
  'revoked',
  'granted',
  'reinstated',
] as const;
export type TradeMeasureAction = (typeof TRADE_MEASURE_ACTIONS)[number];

export const PROPOSAL_SUBJECTS = [
  'talks',
  'meeting',
  'tariffs',
  'trade-measures',
  'fentanyl',
  'deal',
  'other',
] as const;
export type ProposalSubject = (typeof PROPOSAL_SUBJECTS)[number];

export const PROPOSAL_RESPONSES = [
  'under-review',
  'accepted',
  'rejected',
  'countered',
  'withdrawn',
] as const;
export type ProposalResponse = (typeof PROPOSAL_RESPONSES)[number];
/** `considered`: a party is reported to be weighing it (contract v1.1 modality); not yet made, not open. */
export type ProposalStatus = 'considered' | 'proposed' | ProposalResponse;
/** A proposal is open while it is proposed or under review; every other response closes it. */
export const OPEN_PROPOSAL_STATUSES: readonly ProposalStatus[] = ['proposed', 'under-review'];

export const TALKS_STATUSES = [
  'none',
  'exploratory',
  'proposed',
  'scheduled',
  'ongoing',
  'stalled',
  'suspended',
  'agreement-reached',
  'collapsed',
] as const;
export type TalksStatus = (typeof TALKS_STATUSES)[number];

export const TALKS_LEVELS = [
  'leaders',
  'ministerial',
  'senior-officials',
  'working-level',
  'embassy',
] as const;
export type TalksLevel = (typeof TALKS_LEVELS)[number];

export const TALKS_OUTCOMES = ['progress', 'no-result', 'agreement', 'breakdown'] as const;
export type TalksOutcome = (typeof TALKS_OUTCOMES)[number];

export const STANCES = ['conciliatory', 'neutral', 'hardline'] as const;
export type Stance = (typeof STANCES)[number];

/**
 * What kind of act a development reports (contract v1.1): it happened, a party says it will act
 * (a coercive signal, not an order), or a party is reported to be weighing it.
 */
export const MODALITIES = ['occurred', 'threatened', 'considered'] as const;
export type Modality = (typeof MODALITIES)[number];

/**
 * How well a report is supported, as known at a time (contract v1.1): the first that holds of
 * disputed, confirmed, corroborated, reported.
 */
export const EVIDENCE_STATUSES = ['reported', 'corroborated', 'confirmed', 'disputed'] as const;
export type EvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

/** The thresholds `minEvidence` takes; `reported` would select everything but disputed reports. */
export const MIN_EVIDENCE_LEVELS = ['corroborated', 'confirmed'] as const;
export type MinEvidence = (typeof MIN_EVIDENCE_LEVELS)[number];

/** Size limits of the contract, in characters or items. */
export const LIMITS = {
  envelopeSummary: 500,
  longText: 2000,
  name: 200,
  termsItems: 50,
  termLength: 500,
  url: 2000,
  tariffRateMax: 1000,
  /** Product codes on one tariff line or scope change. */
  productCodes: 500,
  /** Lines one tariff line displaces. */
  displacedLines: 50,
  batchMax: 1000,
} as const;
