// The `seasonality` and `slot` keys of the count detectors (poisson, negative_binomial), and the slot
// layout they describe.
import { z } from "zod";
import { duration } from "./fields.js";
import { type Period, slotLayout, type SlotLayout } from "./slots.js";

const PERIOD_OF = { none: undefined, daily: "day", weekly: "week" } as const satisfies Record<
  string,
  Period | undefined
>;

export const seasonalityKeys = () => ({
  baseline: duration("a baseline span")
    .prefault("7d")
    .describe(
      "History the expected rate is learned from, e.g. 7d (rounded up to whole days or weeks when seasonal). Judging starts once half of it is learned (per slot when seasonal).",
    ),
  seasonality: z
    .enum(["none", "daily", "weekly"])
    .default("none")
    .describe(
      "none: the mean of the whole baseline; daily / weekly: the mean of the same slot (time of day / of week, UTC) over the baseline.",
    ),
  slot: duration("a slot width")
    .prefault("1h")
    .describe(
      "Width of a seasonal slot, e.g. 1h (hour of day or of week); at least one window. Ignored when seasonality is none.",
    ),
});

export const layoutFor = (
  config: { baseline: number; seasonality: keyof typeof PERIOD_OF; slot: number },
  windowMs: number,
): SlotLayout => {
  const period = PERIOD_OF[config.seasonality];
  return period === undefined
    ? slotLayout(windowMs, config.baseline)
    : slotLayout(windowMs, config.baseline, period, config.slot);
};
