// "cusum": one-sided upper CUSUM for slow-burn growth — many windows each only a little above normal,
// none alarming alone (Page, "Continuous inspection schemes", Biometrika 41, 1954; the tabular form of
// NIST/SEMATECH e-Handbook §6.3.2.3 and Montgomery, Introduction to Statistical Quality Control §9.1,
// standardised): z = (x - mean) / max(sd, sd_floor), S = min(cap, max(0, S + z - k)), breach when S >= h.
// The baseline mean and sd are exponentially weighted with a long half-life (EwStats), O(1) per window:
// one baseline, or with `seasonality` one per slot (time of day / of week), so that busy afternoons
// are not each a little above an all-day mean and do not build S up every day. A slot is updated only
// by its own windows, so its weight per update is set for the same half-life in wall-clock time.
// With k 0.5 the in-control average run length is ≈ (e^{2kb} - 2kb - 1)/(2k²), b = h + 1.166
// (Siegmund 1985): ≈ 940 windows for h 5 (about 3 days of 5m windows), ≈ 19 000 for h 8.
//
// State split: S evolves with every point. evaluate() computes the candidate S from the committed S and
// the current baseline without storing it; learn() recomputes the same candidate and commits it — for
// every window, excluded or not, so S keeps accumulating while the alert fires. Only the baseline mean
// and sd are frozen on excluded windows (the slow burn must not become the new normal). S is capped
// (default 2h) so that once the burn stops, S falls below h within (cap - h)/k windows instead of
// taking as long to drain as the burn took to build.
//
// No levelFor: the one-window inversion (x >= mean + sd·(h + k - S)) exists, but it is a level for
// this window only. S grows with every window above mean + k·sd, so the value that breaches falls as
// the series climbs, and a steady count can reach h with no growth at all; a forecast aimed at today's
// inversion would promise more time than there is.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { factorOf, notReady, windowsIn } from "./estimate.js";
import { EwStats } from "./ew-stats.js";
import { duration, minCount, zeroBaseline } from "./fields.js";
import { PERIOD_MS, slotLayout, windowIndex } from "./slots.js";

const PERIOD_OF = { daily: "day", weekly: "week" } as const;

const schema = z.strictObject({
  k: z
    .number()
    .nonnegative()
    .default(0.5)
    .describe(
      "Reference value in standard deviations: each window adds z - k to S, so only windows more than k sd above the mean build it up (0.5 targets a 1 sd shift).",
    ),
  h: z
    .number()
    .positive()
    .default(5)
    .describe(
      "Breach when the cumulative sum S reaches h (in standard deviations). With k 0.5, h 5 gives about one false alarm per 940 windows of normal noise, h 8 one per 19 000.",
    ),
  cap: z
    .number()
    .positive()
    .optional()
    .describe(
      "Upper bound on S (default 2 × h), so S falls back below h within (cap - h)/k windows once the burn stops. Keep it at least the largest h a level uses.",
    ),
  half_life: duration("a half-life")
    .prefault("3d")
    .describe(
      "Half-life of the exponentially weighted baseline mean and sd: long, so a slow burn is not learned as normal.",
    ),
  warmup: duration("a warm-up span")
    .prefault("1d")
    .describe(
      "History needed before judging (rounded up to whole days or weeks when seasonal; the baseline is a plain running mean until it has about 1.44 half-lives).",
    ),
  seasonality: z
    .enum(["none", "daily", "weekly"])
    .default("none")
    .describe(
      "none: one baseline for every window; daily / weekly: one baseline per slot (time of day / of week, UTC), so busy afternoons are compared with busy afternoons.",
    ),
  slot: duration("a slot width")
    .prefault("1h")
    .describe("Width of a seasonal slot, e.g. 1h; at least one window. Ignored when seasonality is none."),
  sd_floor: z
    .number()
    .positive()
    .default(1)
    .describe(
      "Smallest standard deviation used, in the metric's units (1 mention; use e.g. 0.02 for a share).",
    ),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type CusumConfig = z.output<typeof schema>;

/** One EW baseline per slot: the weight per update and the updates needed before judging. */
function baselines(config: CusumConfig, windowMs: number) {
  if (config.seasonality === "none") {
    return {
      stats: [new EwStats(1 - 2 ** (-windowMs / config.half_life))],
      warmup: windowsIn(config.warmup, windowMs),
      slotOf: () => 0,
    };
  }
  const period = PERIOD_OF[config.seasonality];
  const periodMs = PERIOD_MS[period];
  const layout = slotLayout(windowMs, periodMs, period, config.slot);
  // a slot sees layout.perSlot windows per period: the half-life is half_life/period × perSlot updates
  const alpha = 1 - 2 ** (-periodMs / (config.half_life * layout.perSlot));
  return {
    stats: Array.from({ length: layout.slots }, () => new EwStats(alpha)),
    warmup: Math.max(2, windowsIn(config.warmup, periodMs) * layout.perSlot),
    slotOf: (time: number) => layout.slotOf(windowIndex(time, windowMs)),
  };
}

export const cusumDetector: DetectorDefinition<typeof schema> = {
  type: "cusum",
  description:
    "One-sided upper CUSUM for slow-burn growth: breaches when the cumulative excess over the baseline reaches `h` standard deviations.",
  schema,
  thresholdKeys: ["h", "min_count"],
  create(config, { windowMs }) {
    const { stats, warmup, slotOf } = baselines(config, windowMs);
    const baselineAt = (time: number) => stats[slotOf(time)] as EwStats;
    const cap = config.cap ?? 2 * config.h;
    let sum = 0;
    const candidate = (baseline: EwStats, value: number) => {
      const z = (value - baseline.mean) / Math.max(baseline.sd, config.sd_floor);
      return Math.min(cap, Math.max(0, sum + z - config.k));
    };
    return {
      evaluate(time, value): Estimate {
        const baseline = baselineAt(time);
        if (baseline.n < warmup) return notReady(value, baseline.mean, config.zero_baseline);
        return {
          observed: value,
          expected: baseline.mean,
          factor: factorOf(value, baseline.mean, config.zero_baseline),
          score: candidate(baseline, value),
          ready: true,
        };
      },
      breaches(estimate, thresholds) {
        return estimate.ready && estimate.score >= thresholds.h && estimate.observed >= thresholds.min_count;
      },
      learn(time, value, excluded) {
        const baseline = baselineAt(time);
        if (baseline.n >= warmup) sum = candidate(baseline, value);
        if (!excluded) baseline.add(value);
      },
    };
  },
};
