export * from './negotiation-state';
export * from './evolve';
export * from './timeline';
export * from './read-model';
export * from './history';
export * from './evidence';
export * from './applicable';
export * from './deadlines';
