import type { EvidenceStatus, MinEvidence } from '@parley/domain';
import { EVIDENCE_STATUSES, RECORDABLE_TYPES } from '@parley/domain';
import {
  IsBooleanString,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { IsDecimalInteger, IsIsoTime, IsPartyCode } from '../http/validators';
import { IsMinEvidence } from '../negotiations/reading/reading.request.dto';

const DEVELOPMENT_TYPES: readonly string[] = ['NegotiationOpened', ...RECORDABLE_TYPES];

/** The longest `q`: a search is a few words, not a document. */
export const MAX_QUERY_LENGTH = 200;

const listOf = (name: string, allowed: readonly string[], what: string): PropertyDecorator =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && value.split(',').every((item) => allowed.includes(item)),
      defaultMessage: (args) =>
        `${args?.property} must be ${what} (or several, comma-separated): ${allowed.join(', ')}`,
    },
  });

/** `GET /negotiations/:id/search` and, with `negotiation`, `GET /search`. */
export class SearchQueryDto {
  /** The words to find: 1 to 200 characters. */
  @IsString()
  @MinLength(1, { message: 'q must not be empty: give the words to search for' })
  @MaxLength(MAX_QUERY_LENGTH)
  q!: string;
  /** One type, or several separated by commas. */
  @IsOptional()
  @listOf('isDevelopmentTypeList', DEVELOPMENT_TYPES, 'a development type')
  type?: string;
  /** Only developments naming this party. */
  @IsOptional() @IsPartyCode() party?: string;
  /** occurredAt at or after this (a date: its start). */
  @IsOptional() @IsIsoTime() from?: string;
  /** occurredAt at or before this (a date: its end). */
  @IsOptional() @IsIsoTime() to?: string;
  /** Transaction time: only what the tracker had recorded by then, retracted and judged as then. */
  @IsOptional() @IsIsoTime() knownAt?: string;
  @IsOptional() @IsMinEvidence() minEvidence?: MinEvidence;
  /** Only reports of this evidence status, or of these separated by commas. */
  @IsOptional()
  @listOf('isEvidenceStatusList', EVIDENCE_STATUSES, 'an evidence status')
  evidence?: string;
  @IsOptional() @IsBooleanString() includeRetracted?: string;
  @IsOptional() @IsDecimalInteger() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsString() @MaxLength(400) cursor?: string;
}

export const evidenceStatuses = (
  value: string | undefined,
): ReadonlySet<EvidenceStatus> | undefined =>
  value === undefined ? undefined : new Set(value.split(',') as EvidenceStatus[]);

export const SEARCH_QUERY_DOCS = {
  examples: { q: 'fentanyl', type: 'TariffChanged,StatementMade', party: 'CN' },
  descriptions: {
    q: 'The words to find (1 to 200 characters; at least one word). Every word must be found, in any searched field: the summary, source name and via, and the free text of the development’s data (summary, quote, description, note, reason, terms, speaker, role, venue, title, party names). Case and accents do not matter; a word of 3 or more characters also finds words it begins (`tarif` finds `tariffs`), one of 5 or more also close misspellings (`fentanil`).',
    type: 'Only developments of this type, or of these types separated by commas',
    party: 'Only developments naming this party (as GET …/events filters by party)',
    from: 'Only developments whose occurredAt is at or after this; a date means its start',
    to: 'Only developments whose occurredAt is at or before this; a date means the end of that day',
    knownAt:
      'Transaction time: only developments recorded by then, their retraction and evidence as known then',
    minEvidence:
      'Only reports at least this well supported (as known at knownAt); developments that are not reports (the opening, retractions, confirmations, disputes) are kept, as in a fold',
    evidence:
      'Only reports whose evidence status (as known at knownAt) is this one, or one of these separated by commas; developments that are not reports are left out',
    includeRetracted:
      'true: retracted developments are listed too, with `retracted: true` (by default they are left out, as in GET …/events)',
    limit: 'Results per page, 1 to 1000 (default 20)',
    cursor: 'The nextCursor of the previous page (opaque)',
  },
};
