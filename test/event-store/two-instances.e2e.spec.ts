import { describeTwoInstances } from '../scenarios/two-instances.scenario';
import { onSqlite } from '../support/apps-on-store';

// Two apps over one SQLite file (eventstoredb.e2e.spec.ts and postgres.e2e.spec.ts run it on those stores).
describeTwoInstances(onSqlite);
