import { Type } from '@sinclair/typebox';
import { DomainError } from '../domain-error';
import { LIMITS } from '../vocabulary';
import type { DevelopmentDefinition, EnvelopeFields } from './definition';
import { Data, OptionalText, PartyCode } from './fields';

/**
 * What confirmations and disputes share (contract v1.1, Evidence): they judge one recorded
 * report, named by `targetEventId`, as another source or a party does. Like retractions they
 * judge the report, not the world: they apply at every asOf, for knownAt from their recording.
 */
const JudgementData = (verb: 'confirms' | 'disputes') =>
  Data({
    targetEventId: Type.String({
      format: 'uuid',
      description: `The eventId of the development it ${verb}.`,
      message: 'must be a UUID',
    }),
    by: Type.Optional(PartyCode(`The party that ${verb} it, when a party does.`)),
    note: OptionalText(LIMITS.longText),
  });

export const DevelopmentConfirmedData = JudgementData('confirms');
export const DevelopmentDisputedData = JudgementData('disputes');

/** Types that judge reports rather than report: never the target of a confirmation or dispute. */
const NOT_REPORTS = [
  'NegotiationOpened',
  'DevelopmentRetracted',
  'DevelopmentConfirmed',
  'DevelopmentDisputed',
] as const;

/**
 * A judgement without a party stands on its source: it must name one (`source.name` or
 * `source.via`), or it would add no originating source to count.
 */
function sourceUnlessParty(envelope: EnvelopeFields<{ by?: string }>) {
  if (envelope.data.by !== undefined) return [];
  if (envelope.source?.name || envelope.source?.via) return [];
  return [
    {
      path: envelope.source === undefined ? 'source' : 'source.name',
      message:
        'source (with a name or via) is required unless data.by names the party that confirms or disputes',
    },
  ];
}

function judgement(verb: 'confirmed' | 'disputed') {
  const data = verb === 'confirmed' ? DevelopmentConfirmedData : DevelopmentDisputedData;
  return {
    data,
    partiesNamed: (d) => (d.by === undefined ? [] : [d.by]),
    timeFields: [],
    envelopeFaults: sourceUnlessParty,
    decide: ({ targetEventId }, situation) => {
      const refuse = (rule: DomainError['rule'], message: string) =>
        new DomainError(rule, 'rejected', message, 'data.targetEventId');
      const target = situation.recordedEvent(targetEventId);
      if (!target) {
        throw refuse('evidence-target-unknown', `no event ${targetEventId} in this negotiation`);
      }
      if ((NOT_REPORTS as readonly string[]).includes(target.type)) {
        throw refuse(
          'evidence-target-not-a-report',
          `a ${target.type} is not a report, so it cannot be ${verb}`,
        );
      }
      if (target.retracted) {
        throw refuse(
          'evidence-target-retracted',
          `event ${targetEventId} is retracted, so it cannot be ${verb}`,
        );
      }
    },
    example:
      verb === 'confirmed'
        ? {
            targetEventId: '0b8f3c1e-6a8e-4a47-9a52-8d7d2f0c1a11',
            by: 'US',
            note: 'The White House confirmed the meeting',
          }
        : {
            targetEventId: '0b8f3c1e-6a8e-4a47-9a52-8d7d2f0c1a11',
            by: 'CN',
            note: 'The Commerce Ministry said no talks had taken place',
          },
  } satisfies DevelopmentDefinition<typeof data>;
}

/** Another report, or the party `by`, confirms the target; the source is required unless `by` is given. */
export const developmentConfirmed = judgement('confirmed');
/** A party or a source says the target is wrong; the target stays in every projection. */
export const developmentDisputed = judgement('disputed');
