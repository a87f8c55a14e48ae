// The shape shared by the count-surprise detectors (poisson, negative_binomial): a mean per slot
// from SlotHistory, a tail probability P(X >= observed) from the detector's own distribution,
// score = -log10 p, breach when p <= p_value and the count reaches min_count. Zero baseline: the
// tail is taken at max(mean, zero_baseline), so one stray mention on a silent series is never
// p ≈ 0; `expected` still quotes the learned mean. Excluded windows keep their ring position as it
// was, so the slot mean does not move and slots stay filled through a long crisis.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { factorOf, notReady } from "./estimate.js";
import { minCount, pValue, zeroBaseline } from "./fields.js";
import { layoutFor, seasonalityKeys } from "./seasonality.js";
import { SlotHistory } from "./slot-history.js";
import { scoreOf } from "./tails.js";

const schema = z.strictObject({
  ...seasonalityKeys(),
  p_value: pValue(),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type CountSurpriseConfig = z.output<typeof schema>;

/** log P(X >= observed) given the mean and the history (for a dispersion, say). */
export type LogTail = (observed: number, mean: number, history: SlotHistory) => number;

export function countSurpriseDetector(
  type: string,
  description: string,
  logTail: LogTail,
): DetectorDefinition<typeof schema> {
  return {
    type,
    description,
    schema,
    thresholdKeys: ["p_value", "min_count"],
    create(config, { windowMs }) {
      const history = new SlotHistory(layoutFor(config, windowMs));
      return {
        evaluate(time, value): Estimate {
          const slot = history.slotAt(time);
          const mean = history.mean(slot);
          if (!history.ready(slot)) return notReady(value, mean, config.zero_baseline);
          const logP = logTail(value, Math.max(mean, config.zero_baseline), history);
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
}
