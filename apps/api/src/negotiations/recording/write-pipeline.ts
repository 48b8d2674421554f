import type { RecordedDevelopment } from '@parley/domain';
import { DecisionModel } from '@parley/domain';
import type { NegotiationTimeline } from '@parley/projections';

/** An append decided on this instance and not yet settled. */
export interface Flight {
  /** The developments as decided, with their expected revisions; given their `recordedAt` on commit. */
  readonly developments: RecordedDevelopment[];
  /** Revision of the first of them. */
  readonly first: number;
  /** Resolves once the append has settled and its outcome has been applied here. */
  readonly landed: Promise<void>;
  land(): void;
}

/**
 * The write side of one negotiation on this instance: the decision model of what is committed
 * (as the read model holds it) plus the developments decided here whose appends are still in flight,
 * oldest first. Decisions are taken against it, so a development can be decided, appended and
 * the lock released before the previous append has committed: appends that arrive together
 * then share one group commit. When an append fails, it and everything decided on top of it
 * are forgotten (the store refuses those too: they expect a stream that ends with it).
 */
export class WritePipeline {
  private model: DecisionModel | undefined;
  private readonly flights: Flight[] = [];
  private readonly pendingIds = new Set<string>();
  private pending = 0;

  get inFlight(): number {
    return this.flights.length;
  }

  isPending(eventId: string): boolean {
    return this.pendingIds.has(eventId);
  }

  /** Resolves when nothing is in flight (call while holding the negotiation's lock). */
  async drained(): Promise<void> {
    while (this.flights.length > 0) await Promise.all(this.flights.map((f) => f.landed));
  }

  /**
   * The decision model to decide on, given what is committed; undefined when the committed
   * history moved under appends still in flight (another instance wrote): drain, then ask again.
   */
  decisionModel(committed: NegotiationTimeline): DecisionModel | undefined {
    const own = this.model;
    if (
      own &&
      own.revision - this.pending === committed.revision &&
      sameAt(own, committed, committed.revision)
    ) {
      return own;
    }
    if (this.flights.length > 0) return undefined;
    if (own && own.revision <= committed.revision && sameAt(own, committed, own.revision)) {
      own.append(committed.developmentsAfter(own.revision));
      return own;
    }
    this.model = new DecisionModel();
    this.model.append(committed.developmentsAfter(-1));
    return this.model;
  }

  /** Records an append just made of `developments`, already appended to the decision model. */
  launch(developments: RecordedDevelopment[]): Flight {
    let land!: () => void;
    const landed = new Promise<void>((resolve) => (land = resolve));
    const flight: Flight = { developments, first: developments[0]!.revision, landed, land };
    this.flights.push(flight);
    this.pending += developments.length;
    for (const d of developments) this.pendingIds.add(d.eventId);
    return flight;
  }

  /** Whether the flight is still one of those in flight (not voided by an earlier failure). */
  holds(flight: Flight): boolean {
    return this.flights.includes(flight);
  }

  /** The flight committed. */
  committed(flight: Flight): void {
    if (!this.remove(flight)) {
      // Committed although an append it was decided on top of failed: the store did not check
      // the chain. What this side holds is no longer what was committed: rebuild it.
      this.model = undefined;
    }
  }

  /** The flight failed: forget it and everything decided on top of it (the store refuses those too). */
  failed(flight: Flight): void {
    const index = this.flights.indexOf(flight);
    if (index < 0) return;
    this.model?.dropAfter(flight.first - 1);
    for (const voided of this.flights.slice(index)) this.remove(voided);
  }

  private remove(flight: Flight): boolean {
    const index = this.flights.indexOf(flight);
    if (index < 0) return false;
    this.flights.splice(index, 1);
    this.pending -= flight.developments.length;
    for (const d of flight.developments) this.pendingIds.delete(d.eventId);
    return true;
  }
}

/** Whether the model and the timeline hold the same development at `revision` (both none below 0). */
function sameAt(a: DecisionModel, b: NegotiationTimeline, revision: number): boolean {
  return (
    revision < 0 ||
    (a.at(revision) !== undefined && a.at(revision)?.eventId === b.at(revision)?.eventId)
  );
}
