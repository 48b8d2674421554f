import type { RecordedDevelopment } from '@parley/domain';
import { NegotiationTimeline } from './timeline';

/**
 * The read model of every negotiation on this instance. The app keeps it current from the store
 * (catch-up at start, then the subscription) and from its own writes (apps/api/src/store).
 */
export class NegotiationReadModel {
  private readonly byId = new Map<string, NegotiationTimeline>();
  /** The highest global store position applied, so following the store resumes where it left. */
  checkpoint: bigint = -1n;

  timeline(negotiationId: string): NegotiationTimeline | undefined {
    const timeline = this.byId.get(negotiationId);
    return timeline && !timeline.isEmpty ? timeline : undefined;
  }

  /** The negotiations holding a development, by id. */
  timelines(): NegotiationTimeline[] {
    return this.negotiationIds().map((id) => this.byId.get(id)!);
  }

  negotiationIds(): string[] {
    return [...this.byId.keys()].filter((id) => !this.byId.get(id)!.isEmpty).sort();
  }

  /** Applies developments of one negotiation in revision order; false on a gap (see NegotiationTimeline.append). */
  apply(negotiationId: string, developments: readonly RecordedDevelopment[]): boolean {
    let timeline = this.byId.get(negotiationId);
    if (!timeline)
      this.byId.set(negotiationId, (timeline = new NegotiationTimeline(negotiationId)));
    return timeline.append(developments);
  }
}
