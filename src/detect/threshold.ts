// "threshold": a static line with a volume floor. Stateless: evaluate and learn are O(1) and keep
// nothing. expected is the line itself, so factor reads "how many times the threshold" and an
// explanation can say "45 mentions, 1.5x the threshold of 30". Its level is the line or the volume
// floor, whichever is higher: both are plain "at least" comparisons, so no rounding to correct.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { minCount } from "./fields.js";

const schema = z.strictObject({
  above: z
    .number()
    .positive()
    .describe("Breach when the window's value is at least this, e.g. 50 negative mentions in 5 minutes."),
  min_count: minCount(),
});

export type ThresholdConfig = z.output<typeof schema>;

export const thresholdDetector: DetectorDefinition<typeof schema> = {
  type: "threshold",
  description: "Static threshold: breaches when the window's value reaches `above` (and `min_count`).",
  schema,
  thresholdKeys: ["above", "min_count"],
  create(config) {
    return {
      evaluate(_time, value): Estimate {
        const factor = value / config.above;
        return { observed: value, expected: config.above, factor, score: factor, ready: true };
      },
      breaches(estimate, thresholds) {
        return estimate.observed >= thresholds.above && estimate.observed >= thresholds.min_count;
      },
      levelFor(_estimate, thresholds) {
        return Math.max(thresholds.above, thresholds.min_count);
      },
      learn() {},
    };
  },
};
