import type { IEventHandler } from '@nestjs/cqrs';
import { EventsHandler } from '@nestjs/cqrs';
import { DevelopmentsRecorded } from './developments-recorded.event';
import { NegotiationReadModel } from './read-model';

/**
 * Keeps the read model current. Runs synchronously inside EventBus.publish, so a write's
 * response is sent only after the write is visible to reads on this instance.
 */
@EventsHandler(DevelopmentsRecorded)
export class DevelopmentsRecordedHandler implements IEventHandler<DevelopmentsRecorded> {
  constructor(private readonly readModel: NegotiationReadModel) {}

  handle(event: DevelopmentsRecorded): void {
    this.readModel.apply(event.negotiationId, event.developments);
    if (event.position !== undefined && event.position > this.readModel.checkpoint) {
      this.readModel.checkpoint = event.position;
    }
  }
}
