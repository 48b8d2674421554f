import type { RecordableType } from '@parley/domain';
import {
  ATTRIBUTIONS,
  COVERAGES,
  LIMITS,
  PROPOSAL_RESPONSES,
  PROPOSAL_SUBJECTS,
  RECORDABLE_TYPES,
  STANCES,
  TALKS_LEVELS,
  TALKS_OUTCOMES,
  TALKS_STATUSES,
  TRADE_MEASURE_ACTIONS,
  TRADE_MEASURE_KINDS,
} from '@parley/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  Equals,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoTime, IsPartyCode, IsSlug } from '../../http/validators';

/** A required, non-empty string of at most `max` characters. */
function Text(max: number): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    IsNotEmpty()(target, key);
    MaxLength(max)(target, key);
  };
}

/** An optional string of at most `max` characters. */
function OptionalText(max: number): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsString()(target, key);
    MaxLength(max)(target, key);
  };
}

/** A list of distinct party codes, at least `min` of them. */
function PartyCodes(min: number): PropertyDecorator {
  return (target, key) => {
    IsArray()(target, key);
    ArrayMinSize(min)(target, key);
    ArrayMaxSize(100)(target, key);
    ArrayUnique()(target, key);
    IsPartyCode({ each: true })(target, key);
  };
}

function Terms(): PropertyDecorator {
  return (target, key) => {
    IsOptional()(target, key);
    IsArray()(target, key);
    ArrayMaxSize(LIMITS.termsItems)(target, key);
    IsString({ each: true })(target, key);
    MaxLength(LIMITS.termLength, { each: true })(target, key);
  };
}

export class PartyDto {
  @IsPartyCode() code!: string;
  @Text(LIMITS.name) name!: string;
}

export class SourceDto {
  @OptionalText(LIMITS.name) name?: string;
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true },
    { message: 'url must be an http(s) URL' },
  )
  @MaxLength(LIMITS.url)
  url?: string;
  @IsOptional() @IsIn(ATTRIBUTIONS) attribution?: (typeof ATTRIBUTIONS)[number];
}

// ---- data of each development type ----

export class PartyJoinedData {
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PartyDto) party!: PartyDto;
}

export class TariffChangedData {
  @IsPartyCode() imposedBy!: string;
  @IsPartyCode() appliedTo!: string;
  @IsSlug() measure!: string;
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(LIMITS.tariffRateMax)
  rate!: number;
  @IsIsoTime() effectiveAt!: string;
  @IsIn(COVERAGES) coverage!: (typeof COVERAGES)[number];
  @OptionalText(LIMITS.longText) description?: string;
}

export class TradeMeasureChangedData {
  @IsPartyCode() imposedBy!: string;
  @PartyCodes(1) appliedTo!: string[];
  @IsSlug() measure!: string;
  @IsIn(TRADE_MEASURE_KINDS) kind!: (typeof TRADE_MEASURE_KINDS)[number];
  @IsIn(TRADE_MEASURE_ACTIONS) action!: (typeof TRADE_MEASURE_ACTIONS)[number];
  @IsIsoTime() effectiveAt!: string;
  @OptionalText(LIMITS.longText) description?: string;
}

export class ProposalMadeData {
  @IsSlug() proposalId!: string;
  @IsPartyCode() by!: string;
  @PartyCodes(1) to!: string[];
  @IsIn(PROPOSAL_SUBJECTS) subject!: (typeof PROPOSAL_SUBJECTS)[number];
  @Text(LIMITS.longText) summary!: string;
  @Terms() terms?: string[];
}

export class ProposalRespondedData {
  @IsSlug() proposalId!: string;
  @IsPartyCode() by!: string;
  @IsIn(PROPOSAL_RESPONSES) response!: (typeof PROPOSAL_RESPONSES)[number];
  @IsOptional() @IsSlug() counterProposalId?: string;
  @OptionalText(LIMITS.longText) note?: string;
}

export class TalksScheduledData {
  @IsIsoTime() scheduledFor!: string;
  @OptionalText(LIMITS.name) venue?: string;
  @IsOptional() @PartyCodes(1) participants?: string[];
}

export class TalksHeldData {
  @PartyCodes(2) participants!: string[];
  @OptionalText(LIMITS.name) venue?: string;
  @IsOptional() @IsIn(TALKS_LEVELS) level?: (typeof TALKS_LEVELS)[number];
  @IsOptional() @IsIn(TALKS_OUTCOMES) outcome?: (typeof TALKS_OUTCOMES)[number];
}

export class TalksStatusChangedData {
  @IsIn(TALKS_STATUSES) status!: (typeof TALKS_STATUSES)[number];
  @OptionalText(LIMITS.longText) note?: string;
}

export class StatementMadeData {
  @IsPartyCode() party!: string;
  @Text(LIMITS.name) speaker!: string;
  @OptionalText(LIMITS.name) role?: string;
  @OptionalText(LIMITS.longText) quote?: string;
  @IsOptional() @IsIn(STANCES) stance?: (typeof STANCES)[number];
}

export class DemandMadeData {
  @IsPartyCode() by!: string;
  @IsPartyCode() of!: string;
  @IsSlug() issue!: string;
  @Text(LIMITS.longText) summary!: string;
}

export class DemandResolvedData {
  @IsPartyCode() by!: string;
  @IsPartyCode() of!: string;
  @IsSlug() issue!: string;
  @OptionalText(LIMITS.longText) summary?: string;
}

export class AgreementReachedData {
  @PartyCodes(2) parties!: string[];
  @Text(LIMITS.longText) summary!: string;
  @Terms() terms?: string[];
  @IsOptional() @IsIsoTime() effectiveAt?: string;
}

export class DevelopmentRetractedData {
  @IsUUID('all') targetEventId!: string;
  @Text(LIMITS.longText) reason!: string;
}

// ---- the envelope, one class per development type ----

export abstract class DevelopmentEnvelopeDto {
  abstract type: RecordableType;
  abstract data: object;
  @IsOptional() @IsUUID('all', { message: 'eventId must be a UUID' }) eventId?: string;
  @IsIsoTime() occurredAt!: string;
  @IsOptional() @IsIsoTime() reportedAt?: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => SourceDto) source?: SourceDto;
  @OptionalText(LIMITS.envelopeSummary) summary?: string;
  @IsOptional() @IsInt() @Min(0) expectedRevision?: number;
}

type DataClass = new () => object;

/** The envelope DTO for one development type: `type` fixed, `data` validated by that type's class. */
function envelopeFor<T extends RecordableType>(type: T, dataClass: DataClass) {
  class Envelope extends DevelopmentEnvelopeDto {
    @Equals(type) type!: T;
    @IsDefined() @IsObject() @ValidateNested() @Type(() => dataClass) data!: object;
  }
  Object.defineProperty(Envelope, 'name', { value: `${type}Development` });
  return Envelope;
}

/** One class-validator DTO per development type, selected by `type`. */
export const DEVELOPMENT_DTOS: Record<RecordableType, new () => DevelopmentEnvelopeDto> = {
  PartyJoined: envelopeFor('PartyJoined', PartyJoinedData),
  TariffChanged: envelopeFor('TariffChanged', TariffChangedData),
  TradeMeasureChanged: envelopeFor('TradeMeasureChanged', TradeMeasureChangedData),
  ProposalMade: envelopeFor('ProposalMade', ProposalMadeData),
  ProposalResponded: envelopeFor('ProposalResponded', ProposalRespondedData),
  TalksScheduled: envelopeFor('TalksScheduled', TalksScheduledData),
  TalksHeld: envelopeFor('TalksHeld', TalksHeldData),
  TalksStatusChanged: envelopeFor('TalksStatusChanged', TalksStatusChangedData),
  StatementMade: envelopeFor('StatementMade', StatementMadeData),
  DemandMade: envelopeFor('DemandMade', DemandMadeData),
  DemandResolved: envelopeFor('DemandResolved', DemandResolvedData),
  AgreementReached: envelopeFor('AgreementReached', AgreementReachedData),
  DevelopmentRetracted: envelopeFor('DevelopmentRetracted', DevelopmentRetractedData),
};

export const isRecordableType = (value: unknown): value is RecordableType =>
  typeof value === 'string' && (RECORDABLE_TYPES as readonly string[]).includes(value);
