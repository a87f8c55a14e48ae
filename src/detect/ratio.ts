// "ratio": the window against one earlier window — the previous one, the same window 24 hours ago, or
// the same window 7 days ago. O(1) per window: a HistoryRing as long as the lag, read at index - lag.
// Excluded windows keep the ring position as it was, which is exactly the value they were compared
// against: during an alert the comparison stays anchored to the last normal window (learning the
// expected value in place of the anomaly). Level: factor × the baseline (floored at zero_baseline, as
// the factor is), or min_count if higher.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { factorOf, firstBreaching, notReady, windowsIn } from "./estimate.js";
import { minCount, zeroBaseline } from "./fields.js";
import { HistoryRing } from "./history-ring.js";
import { windowIndex } from "./slots.js";

const LAG_MS = { yesterday: 86_400_000, last_week: 604_800_000 } as const;

const schema = z.strictObject({
  baseline: z
    .enum(["previous", "yesterday", "last_week"])
    .default("yesterday")
    .describe(
      "What the window is compared with: the previous window, the same window 24 hours ago, or the same window 7 days ago.",
    ),
  factor: z
    .number()
    .positive()
    .default(3)
    .describe("Breach when observed / baseline is at least this, e.g. 3 for three times the baseline."),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type RatioConfig = z.output<typeof schema>;

export const ratioDetector: DetectorDefinition<typeof schema> = {
  type: "ratio",
  description:
    "Ratio to a baseline window (previous, yesterday or last week): breaches when observed / baseline >= `factor`.",
  schema,
  thresholdKeys: ["factor", "min_count"],
  create(config, { windowMs }) {
    const lag = config.baseline === "previous" ? 1 : windowsIn(LAG_MS[config.baseline], windowMs);
    const ring = new HistoryRing(lag, { add() {}, remove() {} });
    const judged = (value: number, expected: number): Estimate => {
      const factor = factorOf(value, expected, config.zero_baseline);
      return { observed: value, expected, factor, score: factor, ready: true };
    };
    const breaches = (estimate: Estimate, thresholds: RatioConfig) =>
      estimate.ready && estimate.factor >= thresholds.factor && estimate.observed >= thresholds.min_count;
    return {
      evaluate(time, value): Estimate {
        const expected = ring.get(windowIndex(time, windowMs) - lag);
        if (expected === undefined) return notReady(value, 0, config.zero_baseline);
        return judged(value, expected);
      },
      breaches,
      levelFor(estimate, thresholds) {
        if (!estimate.ready) return undefined;
        const { expected } = estimate;
        const level = thresholds.factor * Math.max(expected, config.zero_baseline);
        return firstBreaching(Math.max(level, thresholds.min_count), (value) =>
          breaches(judged(value, expected), thresholds),
        );
      },
      learn(time, value, excluded) {
        ring.push(windowIndex(time, windowMs), excluded ? undefined : value);
      },
    };
  },
};
