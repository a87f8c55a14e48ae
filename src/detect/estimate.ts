// Small helpers every detector uses to fill an Estimate the same way.
import type { Estimate } from "./detector.js";

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
