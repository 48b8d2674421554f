import { describeTwoInstances } from '../scenarios/two-instances.scenario';
import { onSqlite } from '../support/apps-on-store';

// Two apps over one SQLite file (test/event-store/eventstoredb.e2e.spec.ts runs it on EventStoreDB).
describeTwoInstances(onSqlite);
