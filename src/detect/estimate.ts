// Small helpers every detector uses to fill an Estimate the same way.
import type { Estimate } from "./detector.js";
import type { SortedValues } from "./sorted-values.js";

/** observed / max(expected, floor): the zero-baseline policy of detector.ts. */
export const factorOf = (observed: number, expected: number, floor: number): number =>
  observed / Math.max(expected, floor);

/** The estimate of a detector that lacks history: never breaches, quotes what it has. */
export const notReady = (observed: number, expected: number, floor: number): Estimate => ({
  observed,
  expected,
  factor: factorOf(observed, expected, floor),
  score: 0,
  ready: false,
});

/** Number of windows of width `windowMs` needed to cover `spanMs` (at least one). */
export const windowsIn = (spanMs: number, windowMs: number): number =>
  Math.max(1, Math.ceil(spanMs / windowMs));

/** Scales the MAD to estimate σ under normality: 1 / Φ⁻¹(3/4). */
export const MAD_SCALE = 1.4826;

/**
 * A robust z estimate against the median and MAD of `values` (robust_z over a window, seasonal over a
 * slot): not ready below `needed` values; the scale never falls below `mad_floor`.
 */
export function robustEstimate(
  values: SortedValues,
  needed: number,
  observed: number,
  config: { zero_baseline: number; mad_floor: number },
): Estimate {
  const median = values.size > 0 ? values.median() : 0;
  if (values.size < needed) return notReady(observed, median, config.zero_baseline);
  const scale = Math.max(MAD_SCALE * values.mad(median), config.mad_floor);
  return {
    observed,
    expected: median,
    factor: factorOf(observed, median, config.zero_baseline),
    score: (observed - median) / scale,
    ready: true,
  };
}
