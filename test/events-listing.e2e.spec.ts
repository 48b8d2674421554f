import { describeEventsListing } from './scenarios/events-listing.scenario';
import { onSqlite } from './support/apps-on-store';

// On the embedded store; test/event-store/eventstoredb.e2e.spec.ts runs the same scenario on EventStoreDB.
describeEventsListing(onSqlite);
