import type {
  DevelopmentData,
  DevelopmentType,
  Instant,
  RecordedDevelopment,
} from '@parley/domain';
import { instantMs, parseInstant, toInstant } from '@parley/domain';
import { NegotiationTimeline } from '../timeline';

/**
 * A builder of timelines for the history specifications: developments are recorded in the order
 * they are given (revision 1, 2, …), each a minute after the previous one in transaction time,
 * whatever their `occurredAt`: a development given after a later-dated one is a late report.
 */

/** An event time: a date means the start of that day. */
export function at(text: string): Instant {
  const instant = parseInstant(text, 'start-of-day');
  if (instant === undefined) throw new Error(`not a time: ${text}`);
  return instant;
}

/** A bound: a date means the end of that day, as `asOf`, `knownAt` and `to` do. */
export function endOf(text: string): Instant {
  const instant = parseInstant(text, 'end-of-day');
  if (instant === undefined) throw new Error(`not a time: ${text}`);
  return instant;
}

const RECORDING_STARTS = instantMs('2030-01-01T00:00:00.000Z');

export interface TariffLineInput {
  measure: string;
  rate: number;
  /** Defaults to the development's `occurredAt`. */
  effectiveAt?: string;
  imposedBy?: string;
  appliedTo?: string;
  coverage?: 'all-goods' | 'selected-goods';
}

export class GivenTimeline {
  private readonly developments: RecordedDevelopment[] = [];

  constructor(
    readonly negotiationId = 'us-china-trade',
    openedAt = '2025-01-01',
    parties: string[] = ['US', 'CN', 'EU'],
  ) {
    this.add('NegotiationOpened', openedAt, {
      title: 'US-China trade',
      parties: parties.map((code) => ({ code, name: code })),
    });
  }

  /** When revision `revision` was recorded: a `knownAt` that sees it and nothing after it. */
  static recordedAt(revision: number): Instant {
    return toInstant(RECORDING_STARTS + revision * 60_000);
  }

  get lastEventId(): string {
    return this.developments[this.developments.length - 1]!.eventId;
  }

  get revision(): number {
    return this.developments.length - 1;
  }

  add<T extends DevelopmentType>(
    type: T,
    occurredAt: string,
    data: DevelopmentData[T],
    eventId?: string,
  ): this {
    const revision = this.developments.length;
    this.developments.push({
      type,
      eventId: eventId ?? `event-${revision}`,
      occurredAt: at(occurredAt),
      data,
      negotiationId: this.negotiationId,
      revision,
      recordedAt: GivenTimeline.recordedAt(revision),
    } as RecordedDevelopment);
    return this;
  }

  tariff(occurredAt: string, line: TariffLineInput, eventId?: string): this {
    return this.add(
      'TariffChanged',
      occurredAt,
      {
        imposedBy: line.imposedBy ?? 'US',
        appliedTo: line.appliedTo ?? 'CN',
        measure: line.measure,
        rate: line.rate,
        effectiveAt: at(line.effectiveAt ?? occurredAt),
        coverage: line.coverage ?? 'all-goods',
      },
      eventId,
    );
  }

  talks(occurredAt: string, status: DevelopmentData['TalksStatusChanged']['status']): this {
    return this.add('TalksStatusChanged', occurredAt, { status });
  }

  proposal(occurredAt: string, proposalId: string, by = 'US', to = ['CN']): this {
    return this.add('ProposalMade', occurredAt, {
      proposalId,
      by,
      to,
      subject: 'tariffs',
      summary: proposalId,
    });
  }

  response(
    occurredAt: string,
    proposalId: string,
    response: DevelopmentData['ProposalResponded']['response'],
    by = 'CN',
  ): this {
    return this.add('ProposalResponded', occurredAt, { proposalId, by, response });
  }

  retract(occurredAt: string, targetEventId: string): this {
    return this.add('DevelopmentRetracted', occurredAt, { targetEventId, reason: 'misreported' });
  }

  build(): NegotiationTimeline {
    const timeline = new NegotiationTimeline(this.negotiationId);
    timeline.append(this.developments);
    return timeline;
  }
}

export const givenTimeline = (openedAt?: string): GivenTimeline =>
  new GivenTimeline(undefined, openedAt);
