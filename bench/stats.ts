/** Small helpers for measurements: clocks, percentiles, formatting. */

export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Nearest-rank percentile of unsorted samples (p in 0..100). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

export interface Latency {
  p50: number;
  p99: number;
  samples: number;
}

export function latency(samples: readonly number[]): Latency {
  return {
    p50: round(percentile(samples, 50), 4),
    p99: round(percentile(samples, 99), 4),
    samples: samples.length,
  };
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** 12345.6 -> "12,346"; small values keep some decimals. */
export function fmt(value: number | undefined | null, digits?: number): string {
  if (value === undefined || value === null || Number.isNaN(value)) return '-';
  const d =
    digits ??
    (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** Runs `step` until `count` runs or `budgetMs` elapsed (at least `min` runs); returns each run's duration in ms. */
export function timeEach(
  step: (i: number) => void,
  count: number,
  budgetMs: number,
  min = 20,
): number[] {
  const durations: number[] = [];
  const start = nowMs();
  for (let i = 0; i < count; i++) {
    const t = nowMs();
    step(i);
    durations.push(nowMs() - t);
    if (i + 1 >= min && nowMs() - start > budgetMs) break;
  }
  return durations;
}

export function table(title: string, header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    '| ' +
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') +
    ' |';
  return [
    `\n${title}`,
    line(header),
    '|' +
      widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') +
      '|',
    ...rows.map(line),
  ].join('\n');
}

/** A seeded random source for workloads (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
