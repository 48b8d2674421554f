import { IsDefined, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { MinEvidence } from '@parley/domain';
import { IsDecimalInteger, IsIsoTime, IsPartyCode } from '../../http/validators';
import { IsMinEvidence, IsProductCode } from '../reading/reading.request.dto';

/**
 * Every time in these queries is a bound: a date-only value means the END of that day, as `asOf`
 * does (CONTRACT.md), so `from=2025-04-01` is the state as of the end of 1 April and the range
 * `(from, to]` starts with the developments of 2 April.
 */
export class HistoryRangeQueryDto {
  /** Compare with the state as of this time; omitted: from the beginning. */
  @IsOptional() @IsIsoTime() from?: string;
  /** Up to this time (inclusive); omitted: now. */
  @IsOptional() @IsIsoTime() to?: string;
  /** Transaction time: only what the tracker had recorded by then. */
  @IsOptional() @IsIsoTime() knownAt?: string;
  /** Only the reports at least this well supported, as known at knownAt (contract v1.1). */
  @IsOptional() @IsMinEvidence() minEvidence?: MinEvidence;
}

export class ChangesQueryDto extends HistoryRangeQueryDto {}

export class TariffHistoryQueryDto extends HistoryRangeQueryDto {
  @IsDefined({ message: 'imposedBy is required' }) @IsPartyCode() imposedBy!: string;
  @IsDefined({ message: 'appliedTo is required' }) @IsPartyCode() appliedTo!: string;
  @IsOptional() @IsProductCode() product?: string;
}

export class ReplayQueryDto extends HistoryRangeQueryDto {
  @IsOptional() @IsDecimalInteger() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

/** A stream revision, as SSE event ids carry it. */
export const REVISION_ID = /^\d{1,15}$/;

export class LiveQueryDto {
  /** For clients that cannot send the `Last-Event-ID` header on their first connection; the header wins. */
  @IsOptional()
  @Matches(REVISION_ID, {
    message: 'lastEventId must be a revision (a non-negative integer) from this stream',
  })
  lastEventId?: string;
}
