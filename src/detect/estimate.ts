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
  return zEstimate(observed, median, scale, config.zero_baseline);
}

/** A ready estimate scored as z = (observed - expected) / scale; levelFor re-scores candidate values with it. */
export const zEstimate = (observed: number, expected: number, scale: number, floor: number): Estimate => ({
  observed,
  expected,
  factor: factorOf(observed, expected, floor),
  score: (observed - expected) / scale,
  scale,
  ready: true,
});

/**
 * levelFor of a z-scored detector: expected + z · scale, or `atLeast` (its other floors: min_count, a
 * factor line) if higher, moved up to where the detector's own `breaches` holds. Undefined until ready.
 */
export function zLevel(
  { ready, expected, scale }: Estimate,
  z: number,
  atLeast: number,
  zeroBaseline: number,
  breaches: (estimate: Estimate) => boolean,
): number | undefined {
  if (!ready || scale === undefined) return undefined;
  return firstBreaching(Math.max(expected + z * scale, atLeast), (value) =>
    breaches(zEstimate(value, expected, scale, zeroBaseline)),
  );
}

/** Ulp steps firstBreaching may take: an inverted formula is off by a rounding or two, never more. */
const MAX_ROUNDING_STEPS = 8;

/**
 * The first value from `level` up at which `breaches` holds. An inverted breach condition such as
 * expected + z·scale can land a rounding below the value whose score computes to exactly z, and a level
 * must breach once reached; so the level is checked against the detector's own arithmetic and moved up
 * by the last bit until it does. Undefined if it still does not (an inversion that is wrong, not rounded).
 */
export function firstBreaching(level: number, breaches: (value: number) => boolean): number | undefined {
  let value = level;
  for (let step = 0; step <= MAX_ROUNDING_STEPS; step++) {
    if (breaches(value)) return value;
    value += Math.max(Math.abs(value) * Number.EPSILON, Number.MIN_VALUE);
  }
  return undefined;
}
