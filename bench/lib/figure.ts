// What every benchmark of `npm run bench` reports: figures, each with the command that reproduces it
// and, for comparisons, the other side measured in the same run (ratios travel across noisy machines;
// absolute speeds do not).
export interface Target {
  /** The figure meets the target when `value op target`. */
  op: ">=" | "<=";
  value: number;
  unit: string;
}

export interface Comparison {
  /** What the figure is compared with, e.g. "JSON.parse floor" or "Prometheus + Alertmanager". */
  against: string;
  /** The other side's figure, in the same unit, from the same run. */
  value: number;
  /** value / other (for rates) or other / value (for times): above 1 means Tocsin is ahead. */
  ratio: number;
}

export interface Figure {
  /** Stable id, e.g. "pipeline.provider" or "rules.tick.100k". */
  id: string;
  /** For the RESULTS.md table, e.g. "Pipeline throughput, provider sentiment". */
  title: string;
  value: number;
  unit: string;
  target?: Target;
  comparison?: Comparison;
  /** A second target on the comparison ratio (e.g. ≥ 0.5 of the floor). */
  ratioTarget?: Target;
  /** The command that reproduces this figure. */
  command: string;
  /** Sizes, intervals, sample counts… shown beside the figure. */
  details?: Record<string, number | string>;
  notes?: string;
}

/** "small" runs in CI so the benchmarks never rot (no timing assertions); "full" is the real measure. */
export type BenchSize = "small" | "full";

export function meets(value: number, target: Target): boolean {
  return target.op === ">=" ? value >= target.value : value <= target.value;
}
