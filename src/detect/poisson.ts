// "poisson": how surprising the window's count is if counts were Poisson around the usual rate.
// λ = mean of the baseline (seasonality none) or of the same slot over the baseline (daily, weekly);
// pValue = P(X >= observed | λ) computed exactly in log space (tails.ts), score = -log10 pValue; a
// fractional value counts as its ceiling (the test is meant for count metrics, not shares).
// Zero baseline: the test uses max(λ, zero_baseline), so a near-silent series (λ = 0.05) is judged as
// if it usually had zero_baseline per window, and one stray mention is never p ≈ 0; `expected` still
// quotes the learned λ. Incremental: SlotHistory keeps per-slot sums, O(1) per window; the tail is
// O(√observed) at worst. Excluded windows keep the ring position as it was: the slot mean does not
// move and slots stay filled through a long crisis.
import { countSurpriseDetector } from "./count-surprise.js";
import type { CountSurpriseConfig } from "./count-surprise.js";
import { logPoissonTail } from "./tails.js";

export type PoissonConfig = CountSurpriseConfig;

export const poissonDetector = countSurpriseDetector(
  "poisson",
  "Poisson surprise: breaches when P(X >= observed | usual rate) <= `p_value`, optionally per time-of-day or time-of-week slot.",
  (observed, mean) => logPoissonTail(observed, mean),
);
