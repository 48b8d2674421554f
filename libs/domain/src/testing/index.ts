export * from './specification';
export * from './developments';
