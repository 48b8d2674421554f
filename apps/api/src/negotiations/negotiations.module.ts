import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NegotiationReadModel } from '@parley/projections';
import { ReadModelSync } from '../store/read-model-sync.service';
import { HistoryController } from './history/history.controller';
import { HISTORY_QUERY_HANDLERS } from './history/history.handlers';
import { LiveUpdates } from './history/live-updates.service';
import { NegotiationLock } from './negotiation-lock';
import { NegotiationsController } from './negotiations.controller';
import { TariffsAndDeadlinesController } from './deadlines/tariffs-and-deadlines.controller';
import { OpenNegotiationHandler } from './opening/open-negotiation.handler';
import { QUERY_HANDLERS } from './reading/negotiation-queries.handlers';
import { RecordDevelopmentsHandler } from './recording/record-developments.handler';

const COMMAND_HANDLERS = [OpenNegotiationHandler, RecordDevelopmentsHandler];

@Module({
  imports: [CqrsModule],
  controllers: [NegotiationsController, HistoryController, TariffsAndDeadlinesController],
  providers: [
    ...COMMAND_HANDLERS,
    ...QUERY_HANDLERS,
    ...HISTORY_QUERY_HANDLERS,
    LiveUpdates,
    NegotiationLock,
    NegotiationReadModel,
    ReadModelSync,
  ],
  // Search (apps/api/src/search) indexes the same read model.
  exports: [NegotiationReadModel],
})
export class NegotiationsModule {}
