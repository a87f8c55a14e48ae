// The shape shared by the count-surprise detectors (poisson, negative_binomial): a mean per slot
// from SlotHistory, a tail probability P(X >= observed) from the detector's own distribution,
// score = -log10 p, breach when p <= p_value and the count reaches min_count. Zero baseline: the
// tail is taken at max(mean, zero_baseline), so one stray mention on a silent series is never
// p ≈ 0; `expected` still quotes the learned mean. Excluded windows keep their ring position as it
// was, so the slot mean does not move and slots stay filled through a long crisis.
// Level: the smallest whole count k with P(X >= k) <= p_value and k >= min_count, under the mean of
// the latest window's slot (and, for negative_binomial, the dispersion learned so far).
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

/** Doublings before the level search gives up: 2^40 per window is no level anyone forecasts. */
const MAX_DOUBLINGS = 40;

/**
 * The smallest whole count at which `breaches` holds, searched over the detector's exact tail (doubling
 * from `from`, then bisection) rather than read off a normal approximation, so that the level agrees
 * with the breach test at its boundary. P(X >= k) falls as k grows, so the breach is monotone in k.
 */
function smallestBreaching(from: number, breaches: (count: number) => boolean): number | undefined {
  let low = 0; // P(X >= 0) = 1 is never surprising
  let high = Math.max(1, Math.ceil(from));
  for (let doubling = 0; !breaches(high); doubling++) {
    if (doubling === MAX_DOUBLINGS) return undefined;
    low = high;
    high *= 2;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (breaches(middle)) high = middle;
    else low = middle;
  }
  return high;
}

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
      /** The estimate of `value` against the slot mean; the tail is taken at the zero-baseline floor. */
      const judged = (value: number, mean: number): Estimate => {
        const logP = logTail(value, Math.max(mean, config.zero_baseline), history);
        return {
          observed: value,
          expected: mean,
          factor: factorOf(value, mean, config.zero_baseline),
          score: scoreOf(logP),
          pValue: Math.exp(logP),
          ready: true,
        };
      };
      const breaches = (estimate: Estimate, thresholds: CountSurpriseConfig) =>
        estimate.ready &&
        (estimate.pValue ?? 1) <= thresholds.p_value &&
        estimate.observed >= thresholds.min_count;
      return {
        evaluate(time, value): Estimate {
          const slot = history.slotAt(time);
          const mean = history.mean(slot);
          if (!history.ready(slot)) return notReady(value, mean, config.zero_baseline);
          return judged(value, mean);
        },
        breaches,
        levelFor({ ready, expected }, thresholds) {
          if (!ready) return undefined;
          return smallestBreaching(Math.max(expected, config.zero_baseline), (count) =>
            breaches(judged(count, expected), thresholds),
          );
        },
        learn(time, value, excluded) {
          history.learn(time, excluded ? undefined : value);
        },
      };
    },
  };
}
