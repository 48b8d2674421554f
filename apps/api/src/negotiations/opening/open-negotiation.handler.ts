import { Inject } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import { CommandHandler } from '@nestjs/cqrs';
import type { Development } from '@parley/domain';
import { DomainError, NOTHING_RECORDED, decide, instantOf } from '@parley/domain';
import type { EventStore } from '@parley/event-store';
import { EVENT_STORE, WrongExpectedRevisionError } from '@parley/event-store';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { CLOCK } from '../../clock';
import { streamOf, toNewEvent, toRecorded } from '../../store/development-envelope';
import { ReadModelSync } from '../../store/read-model-sync.service';
import { OpenNegotiation } from './open-negotiation.command';

@CommandHandler(OpenNegotiation)
export class OpenNegotiationHandler implements ICommandHandler<OpenNegotiation> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly sync: ReadModelSync,
  ) {}

  async execute(command: OpenNegotiation): Promise<{ id: string; revision: 0 }> {
    const now = instantOf(this.clock());
    const opened: Development = {
      type: 'NegotiationOpened',
      eventId: randomUUID(),
      occurredAt: command.openedAt ?? now,
      ...(command.openedAt !== undefined && command.openedPrecision !== undefined
        ? { occurredPrecision: command.openedPrecision }
        : {}),
      data: {
        title: command.title,
        parties: command.parties.map(({ code, name }) => ({ code, name })),
        ...(command.description !== undefined ? { description: command.description } : {}),
      },
    };
    const events = decide({ development: opened, now }, NOTHING_RECORDED);
    try {
      const appended = await this.store.append(
        streamOf(command.id),
        events.map(toNewEvent),
        'no-stream',
      );
      this.sync.apply(command.id, appended.events.map(toRecorded));
      return { id: command.id, revision: 0 };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        throw new DomainError(
          'negotiation-exists',
          'conflict',
          `negotiation ${command.id} already exists`,
          'id',
        );
      }
      throw error;
    }
  }
}
