export * from './negotiation-state';
export * from './evolve';
export * from './timeline';
export * from './read-model';
export * from './developments-recorded.event';
export * from './developments-recorded.handler';
export * from './projections.module';
export * from './history';
