export * from './fold-from';
export * from './state-summary';
export * from './changes';
export * from './tariff-history';
export * from './replay';
