// "negative_binomial": Poisson surprise for over-dispersed counts (buzz is burstier than Poisson).
// Mean m of the baseline, or of the same slot (daily, weekly), as in poisson.ts; variance m + α·m²
// with the dispersion α fitted by the method of moments and pooled over every slot
// (α = Σ(n-1)(s² - m) / Σ(n-1)m²; with seasonality none this is the plain (s² - m)/m²). Pooling keeps
// α stable when a slot holds only a few values. When the variance does not exceed the mean (α ≤ 0)
// the test falls back to Poisson. pValue = P(X >= observed) via the incomplete beta (tails.ts).
// Zero baseline: the test uses max(m, zero_baseline); `expected` quotes the learned m.
// Incremental and excluded windows: as poisson.ts (SlotHistory keeps the pooled sums too, O(1)).
import { countSurpriseDetector } from "./count-surprise.js";
import type { CountSurpriseConfig } from "./count-surprise.js";
import { logNegativeBinomialTail } from "./tails.js";

export type NegativeBinomialConfig = CountSurpriseConfig;

export const negativeBinomialDetector = countSurpriseDetector(
  "negative_binomial",
  "Negative-binomial surprise for over-dispersed counts: breaches when P(X >= observed | baseline mean and variance) <= `p_value`.",
  (observed, mean, history) => logNegativeBinomialTail(observed, mean, history.dispersion()),
);
