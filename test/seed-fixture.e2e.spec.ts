import { describeSeedFixture } from './scenarios/seed-fixture.scenario';
import { onSqlite } from './support/apps-on-store';

// On the embedded store; test/event-store/eventstoredb.e2e.spec.ts runs the same scenario on EventStoreDB.
describeSeedFixture(onSqlite);
