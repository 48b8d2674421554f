import { describeTariffsAsPaid } from './scenarios/tariffs-as-paid.scenario';
import { onSqlite } from './support/apps-on-store';

// On the embedded store; test/event-store/postgres.e2e.spec.ts and eventstoredb.e2e.spec.ts run the same scenario.
describeTariffsAsPaid(onSqlite);
