// "negative_binomial": Poisson surprise for over-dispersed counts (buzz is burstier than Poisson).
// Mean m of the baseline, or of the same slot (daily, weekly), as in poisson.ts; variance m + α·m²
// with the dispersion α fitted by the method of moments and pooled over every slot
// (α = Σ(n-1)(s² - m) / Σ(n-1)m²; with seasonality none this is the plain (s² - m)/m²). Pooling keeps
// α stable when a slot holds only a few values. When the variance does not exceed the mean (α ≤ 0)
// the test falls back to Poisson. pValue = P(X >= observed) via the incomplete beta (tails.ts).
// Zero baseline: the test uses max(m, zero_baseline); `expected` quotes the learned m.
// Incremental and excluded windows: as poisson.ts (SlotHistory keeps the pooled sums too, O(1)).
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { factorOf, notReady } from "./estimate.js";
import { minCount, pValue, zeroBaseline } from "./fields.js";
import { layoutFor, seasonalityKeys } from "./seasonality.js";
import { SlotHistory } from "./slot-history.js";
import { logNegativeBinomialTail, scoreOf } from "./tails.js";

const schema = z.strictObject({
  ...seasonalityKeys(),
  p_value: pValue(),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type NegativeBinomialConfig = z.output<typeof schema>;

export const negativeBinomialDetector: DetectorDefinition<typeof schema> = {
  type: "negative_binomial",
  description:
    "Negative-binomial surprise for over-dispersed counts: breaches when P(X >= observed | baseline mean and variance) <= `p_value`.",
  schema,
  thresholdKeys: ["p_value", "min_count"],
  create(config, { windowMs }) {
    const history = new SlotHistory(layoutFor(config, windowMs));
    return {
      evaluate(time, value): Estimate {
        const slot = history.slotAt(time);
        const mean = history.mean(slot);
        if (!history.ready(slot)) return notReady(value, mean, config.zero_baseline);
        const logP = logNegativeBinomialTail(
          value,
          Math.max(mean, config.zero_baseline),
          history.dispersion(),
        );
        return {
          observed: value,
          expected: mean,
          factor: factorOf(value, mean, config.zero_baseline),
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
