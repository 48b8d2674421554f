export * from './event-store.port';
export * from './sqlite-event-store';
export * from './eventstoredb-event-store';
export * from './create-event-store';
