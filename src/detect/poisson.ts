// "poisson": how surprising the window's count is if counts were Poisson around the usual rate.
// λ = mean of the baseline (seasonality none) or of the same slot over the baseline (daily, weekly);
// pValue = P(X >= observed | λ) computed exactly in log space (tails.ts), score = -log10 pValue; a
// fractional value counts as its ceiling (the test is meant for count metrics, not shares).
// Zero baseline: the test uses max(λ, zero_baseline), so a near-silent series (λ = 0.05) is judged as
// if it usually had zero_baseline per window, and one stray mention is never p ≈ 0; `expected` still
// quotes the learned λ. Incremental: SlotHistory keeps per-slot sums, O(1) per window; the tail is
// O(√observed) at worst. Excluded windows keep the ring position as it was: the slot mean does not
// move and slots stay filled through a long crisis.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { factorOf, notReady } from "./estimate.js";
import { minCount, pValue, zeroBaseline } from "./fields.js";
import { layoutFor, seasonalityKeys } from "./seasonality.js";
import { SlotHistory } from "./slot-history.js";
import { logPoissonTail, scoreOf } from "./tails.js";

const schema = z.strictObject({
  ...seasonalityKeys(),
  p_value: pValue(),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type PoissonConfig = z.output<typeof schema>;

export const poissonDetector: DetectorDefinition<typeof schema> = {
  type: "poisson",
  description:
    "Poisson surprise: breaches when P(X >= observed | usual rate) <= `p_value`, optionally per time-of-day or time-of-week slot.",
  schema,
  thresholdKeys: ["p_value", "min_count"],
  create(config, { windowMs }) {
    const history = new SlotHistory(layoutFor(config, windowMs));
    return {
      evaluate(time, value): Estimate {
        const slot = history.slotAt(time);
        const lambda = history.mean(slot);
        if (!history.ready(slot)) return notReady(value, lambda, config.zero_baseline);
        const logP = logPoissonTail(value, Math.max(lambda, config.zero_baseline));
        return {
          observed: value,
          expected: lambda,
          factor: factorOf(value, lambda, config.zero_baseline),
          score: scoreOf(logP),
          pValue: Math.exp(logP),
          ready: true,
        };
      },
      breaches(estimate, thresholds) {
        return (
          estimate.ready &&
          (estimate.pValue ?? 1) <= thresholds.p_value &&
          estimate.observed >= thresholds.min_count
        );
      },
      learn(time, value, excluded) {
        history.learn(time, excluded ? undefined : value);
      },
    };
  },
};
