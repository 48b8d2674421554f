import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DevelopmentsRecordedHandler } from './developments-recorded.handler';
import { NegotiationReadModel } from './read-model';

@Module({
  imports: [CqrsModule],
  providers: [NegotiationReadModel, DevelopmentsRecordedHandler],
  exports: [NegotiationReadModel],
})
export class ProjectionsModule {}
