/** class-transformer keeps its `@Type` metadata here; its types ship under `types/`, its code under `cjs/`. */
declare module 'class-transformer/cjs/storage' {
  export * from 'class-transformer/types/storage';
}
