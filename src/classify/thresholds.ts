// The score → label cut-offs shared by the provider and lexicon paths, so both label alike.
import type { SentimentLabel } from "../model/index.js";

export interface SentimentThresholds {
  /** Scores strictly below this are negative. */
  negativeBelow: number;
  /** Scores strictly above this are positive. */
  positiveAbove: number;
}

/**
 * ±0.05 is VADER's convention for its compound score (Hutto & Gilbert, ICWSM 2014; vaderSentiment
 * README, "About the Scoring"): compound ≤ -0.05 negative, ≥ 0.05 positive. We use strict inequalities,
 * so a score of exactly ±0.05 is neutral.
 */
export const DEFAULT_THRESHOLDS: Readonly<SentimentThresholds> = Object.freeze({
  negativeBelow: -0.05,
  positiveAbove: 0.05,
});

/** Fills in the defaults and refuses cut-offs that would make a score both negative and positive. */
export function resolveThresholds(options: Partial<SentimentThresholds> = {}): SentimentThresholds {
  const negativeBelow = options.negativeBelow ?? DEFAULT_THRESHOLDS.negativeBelow;
  const positiveAbove = options.positiveAbove ?? DEFAULT_THRESHOLDS.positiveAbove;
  if (!(negativeBelow >= -1 && positiveAbove <= 1 && negativeBelow <= positiveAbove)) {
    throw new RangeError(
      `sentiment thresholds need -1 <= negativeBelow <= positiveAbove <= 1, got ${negativeBelow} and ${positiveAbove}`,
    );
  }
  return { negativeBelow, positiveAbove };
}

/** Labels a score in [-1, 1]; missing cut-offs take the defaults. Allocates nothing: it runs per mention. */
export function labelForScore(
  score: number,
  thresholds: Partial<SentimentThresholds> = DEFAULT_THRESHOLDS,
): SentimentLabel {
  if (score < (thresholds.negativeBelow ?? DEFAULT_THRESHOLDS.negativeBelow)) return "negative";
  if (score > (thresholds.positiveAbove ?? DEFAULT_THRESHOLDS.positiveAbove)) return "positive";
  return "neutral";
}
