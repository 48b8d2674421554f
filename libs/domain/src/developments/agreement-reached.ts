import { Type } from '@sinclair/typebox';
import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, PartyCodes, Terms, Text, Time } from './fields';

/** Adds an agreement; the talks reach `agreement-reached`. */
export const AgreementReachedData = Data({
  parties: PartyCodes(2),
  summary: Text(LIMITS.longText),
  terms: Terms(),
  effectiveAt: Type.Optional(Time('When the agreement takes effect.')),
});

export const agreementReached = {
  data: AgreementReachedData,
  partiesNamed: (data) => data.parties,
  timeFields: ['effectiveAt'],
  example: {
    parties: ['US', 'CN'],
    summary: 'Both sides cut tariffs by 115 points for 90 days',
    effectiveAt: '2025-05-14',
  },
} satisfies DevelopmentDefinition<typeof AgreementReachedData>;
