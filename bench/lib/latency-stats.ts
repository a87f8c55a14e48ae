// Percentiles of latency samples (milliseconds), nearest-rank: the p99 of 200 samples is the 198th
// smallest, a sample that was actually observed.
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** p50, p99 and max, rounded to the microsecond. */
export function summary(samples: readonly number[]): { p50: number; p99: number; max: number } {
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return {
    p50: round(percentile(samples, 50)),
    p99: round(percentile(samples, 99)),
    max: round(Math.max(...samples)),
  };
}
