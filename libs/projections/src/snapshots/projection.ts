import type { DevelopmentType, Instant, RecordedDevelopment } from '@parley/domain';
import type { Slice } from '../slices/slice';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any slice, whatever it holds
type AnySlice = Slice<any, any, any>;
export type Slices = Readonly<Record<string, AnySlice>>;

/** What each slice holds. */
export type StatesOf<S extends Slices> = { [K in keyof S]: ReturnType<S[K]['initial']> };
/** What each slice shows. */
export type ShownOf<S extends Slices> = { [K in keyof S]: ReturnType<S[K]['show']> };

/** A slice that reads a development type, as the dispatch table holds it. */
interface Reader<S extends Slices> {
  readonly name: keyof S & string;
  readonly slice: AnySlice;
}

/**
 * A fold over a list of slices: every development goes to the slices that read its type, and
 * every copy, answer and size goes over all of them, so none can be forgotten. Knows nothing
 * of what the slices hold.
 */
export class Projection<S extends Slices> {
  private readonly names: ReadonlyArray<keyof S & string>;
  /** The dispatch table: the slices that read each type, built once from their `reads`. */
  private readonly readers = new Map<DevelopmentType, ReadonlyArray<Reader<S>>>();

  constructor(readonly slices: S) {
    this.names = Object.keys(slices);
    for (const name of this.names) {
      const slice = slices[name]!;
      for (const type of slice.reads as readonly DevelopmentType[]) {
        this.readers.set(type, [...(this.readers.get(type) ?? []), { name, slice }]);
      }
    }
  }

  initial(): StatesOf<S> {
    return this.map<StatesOf<S>>((slice) => slice.initial());
  }

  /** The slices `development` changes (none for a retraction or an unreadable development). */
  readersOf(development: RecordedDevelopment): ReadonlyArray<Reader<S>> {
    return this.readers.get(development.type) ?? NO_READERS;
  }

  /** Folds `development` into `states`, in place. */
  evolve(states: StatesOf<S>, development: RecordedDevelopment): StatesOf<S> {
    for (const reader of this.readersOf(development)) evolveSlice(states, reader, development);
    return states;
  }

  copy(states: StatesOf<S>): StatesOf<S> {
    return this.map<StatesOf<S>>((slice, name) => slice.copy(states[name]));
  }

  copySlice(states: StatesOf<S>, name: keyof S & string): void {
    states[name] = this.slice(name).copy(states[name]);
  }

  /** Replaces a slice's state with a branch of it (see Slice.branch). */
  branchSlice(states: StatesOf<S>, name: keyof S & string): void {
    const slice = this.slice(name);
    states[name] = slice.branch ? slice.branch(states[name]) : slice.copy(states[name]);
  }

  show(states: StatesOf<S>, asOf: Instant): ShownOf<S> {
    return this.map<ShownOf<S>>((slice, name) => slice.show(states[name], asOf));
  }

  /** What one slice shows at `asOf`. */
  showSlice<K extends keyof S & string>(
    states: StatesOf<S>,
    name: K,
    asOf: Instant,
  ): ShownOf<S>[K] {
    return this.slices[name]!.show(states[name], asOf) as ShownOf<S>[K];
  }

  size(states: StatesOf<S>): number {
    let size = 0;
    for (const name of this.names) size += this.slices[name]!.size(states[name]);
    return size;
  }

  private slice<K extends keyof S & string>(name: K): Slice<StatesOf<S>[K], unknown> {
    return this.slices[name] as Slice<StatesOf<S>[K], unknown>;
  }

  /** Each slice's result of `each`, by slice name. */
  private map<R>(each: (slice: AnySlice, name: keyof S & string) => unknown): R {
    const result: Record<string, unknown> = {};
    for (const name of this.names) result[name] = each(this.slices[name]!, name);
    return result as R;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- none, whatever the slices
const NO_READERS: ReadonlyArray<Reader<any>> = Object.freeze([]);

/** Folds `development` into the state of the slice `reader` names, in place. */
function evolveSlice<S extends Slices>(
  states: StatesOf<S>,
  { name, slice }: Reader<S>,
  development: RecordedDevelopment,
): void {
  const state: unknown = states[name];
  const next: unknown = slice.evolve(state, development);
  // Most slices change their state in place: no store then.
  if (next !== state) states[name] = next as StatesOf<S>[typeof name];
}

/**
 * States folded on from shared ones without changing them: a slice is copied the first time
 * a development changes it, the others stay shared. With `branch`, it is branched instead
 * (see Slice.branch): for states that do not change while these are in use.
 */
export class CopyOnWrite<S extends Slices> {
  private readonly owned = new Set<keyof S>();

  constructor(
    private readonly projection: Projection<S>,
    readonly states: StatesOf<S>,
    private readonly branch: boolean,
    /** Only this slice is folded (an answer that shows only it); the others stay as they were. */
    private readonly only?: keyof S & string,
  ) {}

  evolve(development: RecordedDevelopment): void {
    for (const reader of this.projection.readersOf(development)) {
      const name = reader.name;
      if (this.only !== undefined && name !== this.only) continue;
      if (!this.owned.has(name)) {
        if (this.branch) this.projection.branchSlice(this.states, name);
        else this.projection.copySlice(this.states, name);
        this.owned.add(name);
      }
      evolveSlice(this.states, reader, development);
    }
  }

  /** Which slices were changed (so copied) since these states were taken. */
  changed(): ReadonlySet<keyof S> {
    return this.owned;
  }
}
