import { describeSeedArticleV11 } from './scenarios/seed-article-v11.scenario';
import { onSqlite } from './support/apps-on-store';

// On the embedded store; test/event-store/postgres.e2e.spec.ts and eventstoredb.e2e.spec.ts run it on those.
describeSeedArticleV11(onSqlite);
