import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { NegotiationsModule } from '../negotiations/negotiations.module';
import { SearchController } from './search.controller';
import { SearchIndex } from './search-index';
import { SearchDevelopmentsHandler } from './search.queries';

/** Full-text search over the read model's developments (GET /search, GET …/search). */
@Module({
  imports: [CqrsModule, NegotiationsModule],
  controllers: [SearchController],
  providers: [SearchIndex, SearchDevelopmentsHandler],
})
export class SearchModule {}
