export * from './event-store.port';
export * from './sqlite-event-store';
export * from './recording-clock';
export * from './eventstoredb-event-store';
export * from './postgres-event-store';
export * from './postgres-migrations';
export * from './create-event-store';
