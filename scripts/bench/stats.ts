// Small statistics for the benchmark: every figure keeps its raw samples and reports the median with the
// spread (min–max and the relative half-range), so a reader can tell a real change from noise.

export interface Summary {
  /** Raw samples, in the order they were taken. */
  readonly samples: number[];
  readonly n: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max − min) / 2 / median: ±x of the median. 0 with one sample. */
  readonly spreadPct: number;
}

export function median(values: readonly number[]): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i]!;
}

export function summarize(samples: readonly number[], digits = 1): Summary {
  const finite = samples.filter((v) => Number.isFinite(v));
  const m = median(finite);
  const min = finite.length ? Math.min(...finite) : Number.NaN;
  const max = finite.length ? Math.max(...finite) : Number.NaN;
  return {
    samples: [...samples],
    n: finite.length,
    median: round(m, digits),
    min: round(min, digits),
    max: round(max, digits),
    spreadPct: finite.length > 1 && m ? round(((max - min) / 2 / m) * 100, 1) : 0,
  };
}

/** Median of per-run ratios a[i]/b[i] (pairs measured in the same run cancel the run's noise). */
export function ratioSummary(a: readonly number[], b: readonly number[]): Summary {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && b[i]) ratios.push(round(a[i]! / b[i]!, 3));
  }
  return summarize(ratios, 2);
}

export function round(v: number, digits = 0): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** `123 ms (110–140, ±12%)` */
export function fmt(s: Summary | undefined, unit: string, digits = 0): string {
  if (!s || !s.n) return 'n/a';
  const f = (v: number) => v.toFixed(digits);
  const u = unit ? ` ${unit}` : '';
  return s.n > 1 ? `${f(s.median)}${u} (${f(s.min)}–${f(s.max)}, ±${s.spreadPct}%)` : `${f(s.median)}${u}`;
}
