import { Injectable } from '@nestjs/common';

/**
 * Serialises decisions on one negotiation within this instance, so that concurrent posts do not
 * keep losing optimistic-concurrency races to each other. Across instances the store's expected
 * revision still decides who wins.
 */
@Injectable()
export class NegotiationLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(negotiationId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(negotiationId) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(negotiationId, tail);
    void tail.then(() => {
      if (this.tails.get(negotiationId) === tail) this.tails.delete(negotiationId);
    });
    return result;
  }
}
