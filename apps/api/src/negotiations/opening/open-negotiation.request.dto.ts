import { LIMITS, NEGOTIATION_ID } from '@parley/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsIsoTime } from '../../http/validators';
import { PartyDto } from '../recording/development.request.dto';

export class OpenNegotiationRequestDto {
  @Matches(NEGOTIATION_ID, {
    message: 'id must be a slug: lower-case letters, digits and inner hyphens, 1-64 characters',
  })
  id!: string;

  @IsString() @IsNotEmpty() @MaxLength(LIMITS.name) title!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  parties!: PartyDto[];

  @IsOptional() @IsIsoTime() openedAt?: string;

  @IsOptional() @IsString() @MaxLength(LIMITS.longText) description?: string;
}
