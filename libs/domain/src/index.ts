export * from './time';
export * from './vocabulary';
export * from './development';
export * from './domain-error';
export * from './decide';
export * from './decision-model';
