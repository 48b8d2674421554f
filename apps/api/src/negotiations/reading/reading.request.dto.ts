import type { MinEvidence } from '@parley/domain';
import { MIN_EVIDENCE_LEVELS, PROPOSAL_RESPONSES, RECORDABLE_TYPES } from '@parley/domain';
import {
  IsBooleanString,
  IsIn,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateBy,
} from 'class-validator';
import { IsDecimalInteger, IsIsoTime, IsPartyCode } from '../../http/validators';

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
