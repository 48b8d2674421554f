import type { MinEvidence } from '@parley/domain';
import {
  MIN_EVIDENCE_LEVELS,
  PRODUCT_CODE,
  PROPOSAL_RESPONSES,
  RECORDABLE_TYPES,
  SLUG,
} from '@parley/domain';
import {
  IsBooleanString,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { MIN_EVIDENCE_DESCRIPTION } from '../../docs/openapi.evidence';
import { Problem } from '../../http/problem';
import { IsDecimalInteger, IsIsoTime, IsPartyCode } from '../../http/validators';
import { bound } from '../request-params';
import type { TariffView } from './negotiation-queries';

const DEVELOPMENT_TYPES: readonly string[] = ['NegotiationOpened', ...RECORDABLE_TYPES];

export class PerspectiveQueryDto {
  /** Valid time: the world on this date (a date-only value means the end of that day). */
  @IsOptional() @IsIsoTime() asOf?: string;
  /** Transaction time: only what the tracker had recorded by then. */
  @IsOptional() @IsIsoTime() knownAt?: string;
  /** Fold only the reports at least this well supported, as known at knownAt (contract v1.1). */
  @IsOptional() @IsMinEvidence() minEvidence?: MinEvidence;
}

/**
 * How tariffs are read (contract v1.1): as of a date (`asOf`), or as goods entering on a date owe as
 * finally decided (`effectiveOn`, not with asOf); `product` adds what goods of that code pay.
 */
export class TariffsQueryDto extends PerspectiveQueryDto {
  /** Lines in force on this date by every development known at knownAt, whatever its occurredAt. */
  @IsOptional() @IsIsoTime() effectiveOn?: string;
  /** A product code (HS-based: 8517.13.00): each pair gains `applicable`. */
  @IsOptional() @IsProductCode() product?: string;
}

/** The tariff view a query asks for; 400 naming effectiveOn when asOf is given too. */
export function tariffView(query: TariffsQueryDto): TariffView {
  if (query.effectiveOn !== undefined && query.asOf !== undefined) {
    throw Problem.invalid([
      {
        path: 'effectiveOn',
        message:
          'effectiveOn and asOf cannot be used together: effectiveOn reads the lines in force on that date as finally decided, asOf the world as announced by then',
      },
    ]);
  }
  return {
    ...(query.effectiveOn !== undefined ? { effectiveOn: bound(query.effectiveOn)! } : {}),
    ...(query.product !== undefined ? { product: query.product } : {}),
  };
}

export const TARIFFS_QUERY_EXAMPLES = {
  examples: { asOf: '2025-04-10', effectiveOn: '2025-04-07', product: '8517.13.00' },
  descriptions: {
    minEvidence: MIN_EVIDENCE_DESCRIPTION,
    effectiveOn:
      'Instead of asOf (both: 400): the lines in force on this date by every development known at knownAt, whatever its occurredAt, as goods entering that day owe as finally decided; lines decided after they took effect say `retroactive: true`. A date means the end of that day.',
    product:
      'A product code (HS-based, 2 to 10 digits, dots allowed: 8517.13.00): each pair gains `applicable`, what goods of that code pay.',
  },
};

/** `…/deadlines`: what is due after asOf, up to `to`. */
export class DeadlinesQueryDto extends PerspectiveQueryDto {
  @IsOptional() @IsIsoTime() to?: string;
}

/** `GET /tariffs`: every pair of every negotiation, filtered. */
export class TariffsAcrossQueryDto extends TariffsQueryDto {
  @IsOptional() @IsPartyCode() imposedBy?: string;
  @IsOptional() @IsPartyCode() appliedTo?: string;
  @IsOptional()
  @Matches(SLUG, { message: 'measure must be a slug naming a tariff line' })
  measure?: string;
}

/** `GET /deadlines`: the deadlines of every negotiation, of those naming `party` if given. */
export class DeadlinesAcrossQueryDto {
  @IsOptional() @IsIsoTime() asOf?: string;
  @IsOptional() @IsIsoTime() knownAt?: string;
  @IsOptional() @IsIsoTime() to?: string;
  @IsOptional() @IsPartyCode() party?: string;
}

/** A product code as the contract writes it; 400 naming the field otherwise. */
export function IsProductCode(): PropertyDecorator {
  return Matches(PRODUCT_CODE, {
    message: (args) =>
      `${args.property} must be a product code: 2 to 10 digits, dots allowed between them (72, 8471, 8517.13.00)`,
  });
}

/**
 * `minEvidence=corroborated|confirmed`: only reports whose evidence status (as known at knownAt) is
 * at least that are folded; the opening, PartyJoined, retractions, confirmations and disputes
 * always are. 400 naming minEvidence otherwise.
 */
export function IsMinEvidence(): PropertyDecorator {
  return IsIn(MIN_EVIDENCE_LEVELS, {
    message: `minEvidence must be one of: ${MIN_EVIDENCE_LEVELS.join(', ')}`,
  });
}

/** `open` (the default): proposed or under review; `considered` (contract v1.1): only reported weighed, never open. */
export const PROPOSAL_STATUS_FILTERS = [
  'open',
  'all',
  'considered',
  'proposed',
  ...PROPOSAL_RESPONSES,
] as const;

export class ProposalsQueryDto extends PerspectiveQueryDto {
  @IsOptional() @IsIn(PROPOSAL_STATUS_FILTERS) status?: (typeof PROPOSAL_STATUS_FILTERS)[number];
}

export class DevelopmentsQueryDto {
  @IsOptional() @IsIsoTime() from?: string;
  @IsOptional() @IsIsoTime() to?: string;
  /** One type, or several separated by commas. */
  @IsOptional()
  @ValidateBy({
    name: 'isDevelopmentTypeList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && value.split(',').every((t) => DEVELOPMENT_TYPES.includes(t)),
      defaultMessage: () =>
        `type must be a development type (or several, comma-separated): ${DEVELOPMENT_TYPES.join(', ')}`,
    },
  })
  type?: string;
  @IsOptional() @IsPartyCode() party?: string;
  @IsOptional() @IsIsoTime() knownAt?: string;
  @IsOptional() @IsBooleanString() includeRetracted?: string;
  @IsOptional() @IsDecimalInteger() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
