export * from './specification';
export * from './developments';
export * from './recording';
