export * from './projection';
export * from './snapshot-fold';
