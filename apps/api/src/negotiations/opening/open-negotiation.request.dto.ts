import { LIMITS, NEGOTIATION_ID } from '@parley/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsObject,
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
  // Without it an array in place of a party passes ValidateNested (it validates the inner array's
  // items instead) and `[[]]` opened a negotiation with a party `{}`.
  @IsObject({ each: true, message: 'each of parties must be an object {code, name}' })
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  parties!: PartyDto[];

  @IsOptional() @IsIsoTime() openedAt?: string;

  @IsOptional() @IsString() @MaxLength(LIMITS.longText) description?: string;
}
