// "seasonal": the window against the same slot — hour of day or hour of week (UTC), at `slot` width —
// over the last `periods` days or weeks. expected = median of the slot's learned window values;
// scale = 1.4826 × MAD of the same slot (per slot, not a pooled residual MAD: the slot's own spread is
// what "normal wobble at this hour" means, and a 1h slot of 5m windows over 7 days holds 84 values),
// floored at mad_floor. Breaches only when observed >= factor × expected AND robust z >= z: the factor
// keeps high-volume wobble quiet (1 300 against 1 000 may be many MADs but is only 1.3×), the z keeps
// low-volume noise quiet (6 against 2 is 3× but within the slot's spread).
// Incremental: a HistoryRing of periods × period windows feeds one SortedValues per slot, so a point
// is O(log n) (binary-search insert/remove, median and MAD as in sorted-values.ts).
// Excluded windows keep the ring as it was (the value of the same slot `periods` ago stays), so the
// slot's median and MAD do not move during an alert and never empty.
// Level: the highest of factor × median (floored at zero_baseline), median + z · scale, and min_count.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { robustEstimate, zLevel } from "./estimate.js";
import { duration, madFloor, minCount, zeroBaseline } from "./fields.js";
import { HistoryRing } from "./history-ring.js";
import { PERIOD_MS, slotLayout, windowIndex } from "./slots.js";
import { SortedValues } from "./sorted-values.js";

const schema = z.strictObject({
  period: z
    .enum(["day", "week"])
    .default("day")
    .describe("The seasonal cycle: day (slots are times of day) or week (times of week; weekends differ)."),
  slot: duration("a slot width")
    .prefault("1h")
    .describe(
      "Width of a slot, e.g. 1h: windows in the same slot of each period are pooled. At least one window.",
    ),
  periods: z
    .number()
    .int()
    .positive()
    .default(7)
    .describe(
      "How many past periods (days or weeks) the slot's median and MAD are taken over. Judging starts once half of them are learned.",
    ),
  factor: z
    .number()
    .positive()
    .default(2)
    .describe("Breach only when observed >= factor × the slot's median (keeps high-volume wobble quiet)."),
  z: z
    .number()
    .positive()
    .default(4)
    .describe("… and (observed - median) / (1.4826 · MAD of the slot) >= z (keeps low-volume noise quiet)."),
  mad_floor: madFloor(),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type SeasonalConfig = z.output<typeof schema>;

export const seasonalDetector: DetectorDefinition<typeof schema> = {
  type: "seasonal",
  description:
    "Seasonal profile: breaches when the window is both `factor` times and `z` robust deviations above the median of the same hour over past days or weeks.",
  schema,
  thresholdKeys: ["factor", "z", "min_count"],
  create(config, { windowMs }) {
    const layout = slotLayout(
      windowMs,
      config.periods * PERIOD_MS[config.period],
      config.period,
      config.slot,
    );
    const slots = SortedValues.runs(layout.slots, layout.perSlot);
    const slotValues = (slot: number) => slots[slot] as SortedValues;
    const ring = new HistoryRing(layout.capacity, {
      add: (value, position) => slotValues(layout.slotOf(position)).insert(value),
      remove: (value, position) => void slotValues(layout.slotOf(position)).remove(value),
    });
    const breaches = (estimate: Estimate, thresholds: SeasonalConfig) =>
      estimate.ready &&
      estimate.factor >= thresholds.factor &&
      estimate.score >= thresholds.z &&
      estimate.observed >= thresholds.min_count;
    return {
      evaluate(time, value): Estimate {
        const values = slotValues(layout.slotOf(windowIndex(time, windowMs)));
        return robustEstimate(values, Math.ceil(layout.perSlot / 2), value, config);
      },
      breaches,
      levelFor(estimate, thresholds) {
        const factorLine = thresholds.factor * Math.max(estimate.expected, config.zero_baseline);
        return zLevel(
          estimate,
          thresholds.z,
          Math.max(factorLine, thresholds.min_count),
          config.zero_baseline,
          (candidate) => breaches(candidate, thresholds),
        );
      },
      learn(time, value, excluded) {
        ring.push(windowIndex(time, windowMs), excluded ? undefined : value);
      },
    };
  },
};
