import type { RecordingClock } from '@parley/event-store';
import type { NegotiationReadModel } from '@parley/projections';

/**
 * The tracker's clock for valid time (the `asOf` that means now, how far ahead an `occurredAt`
 * may be), injected so that tests can set the time. `recordedAt` is not taken from it: the
 * store's RecordingClock decides it (README, "Clocks").
 */
export const CLOCK = Symbol('CLOCK');
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/**
 * At start-up, once the read model holds what is stored: the recording clock never stamps before
 * the highest recordedAt there, and says so when the system clock is behind it.
 */
export function anchorToStored(clock: RecordingClock, readModel: NegotiationReadModel): void {
  let highest: { recordedAt: string; negotiationId: string } | undefined;
  for (const negotiationId of readModel.negotiationIds()) {
    const timeline = readModel.timeline(negotiationId);
    const recordedAt = timeline?.at(timeline.revision)?.recordedAt;
    if (recordedAt !== undefined && (!highest || recordedAt > highest.recordedAt)) {
      highest = { recordedAt, negotiationId };
    }
  }
  if (highest) clock.anchor(highest.recordedAt, `negotiation ${highest.negotiationId}`);
}
