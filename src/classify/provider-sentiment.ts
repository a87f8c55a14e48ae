// Turns the sentiment a data provider attached to a mention (a number or a label) into our label and score.
import type { SentimentLabel } from "../model/index.js";
import { DEFAULT_THRESHOLDS, labelForScore, type SentimentThresholds } from "./thresholds.js";

export interface Sentiment {
  label: SentimentLabel;
  /** In [-1, 1]. */
  score: number;
}

const LABEL_SCORES: Readonly<Record<SentimentLabel, number>> = { negative: -1, neutral: 0, positive: 1 };

/**
 * Numbers are cut with the thresholds (default ±0.05, VADER's compound convention, see thresholds.ts);
 * labels are kept and scored -1 / 0 / 1. Ingest already refuses numbers outside [-1, 1]; we clamp anyway
 * (and read NaN as neutral) because a field-mapped provider's scale is only as good as its mapping, and
 * one bad score must not poison a window's sums.
 */
export function normaliseProviderSentiment(
  value: number | SentimentLabel,
  thresholds: Partial<SentimentThresholds> = DEFAULT_THRESHOLDS,
): Sentiment {
  if (typeof value === "string") return { label: value, score: LABEL_SCORES[value] };
  const score = Number.isNaN(value) ? 0 : Math.max(-1, Math.min(1, value));
  return { label: labelForScore(score, thresholds), score };
}
