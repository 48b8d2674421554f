import { Type } from '@sinclair/typebox';
import { DomainError } from '../domain-error';
import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition } from './definition';
import { Data, Text } from './fields';

/** Removes its target from every asOf, for knownAt from the retraction's recording on. */
export const DevelopmentRetractedData = Data({
  targetEventId: Type.String({
    format: 'uuid',
    description: 'The eventId of the development whose report was false.',
    message: 'must be a UUID',
  }),
  reason: Text(LIMITS.longText),
});

export const developmentRetracted = {
  data: DevelopmentRetractedData,
  partiesNamed: () => [],
  timeFields: [],
  decide: ({ targetEventId }, situation) => {
    const refuse = (rule: DomainError['rule'], message: string) =>
      new DomainError(rule, 'rejected', message, 'data.targetEventId');
    const target = situation.recordedEvent(targetEventId);
    if (!target) {
      throw refuse('retraction-target-unknown', `no event ${targetEventId} in this negotiation`);
    }
    if (target.type === 'NegotiationOpened' || target.type === 'DevelopmentRetracted') {
      throw refuse('retraction-target-not-retractable', `a ${target.type} cannot be retracted`);
    }
    if (target.retracted) {
      throw refuse(
        'retraction-target-already-retracted',
        `event ${targetEventId} is already retracted`,
      );
    }
  },
  decisionKeys: (data) => ({ retracts: data.targetEventId }),
  example: {
    targetEventId: '0b8f3c1e-6a8e-4a47-9a52-8d7d2f0c1a11',
    reason: 'The report was denied by both governments',
  },
} satisfies DevelopmentDefinition<typeof DevelopmentRetractedData>;
