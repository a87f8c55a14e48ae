// "volume_spike": a burst of raw mention volume, judged against the series' own usual level AND its own
// usual burstiness, so one configuration works on brands it has never seen (a 3x hour is news for a
// steady brand, a normal Tuesday for a meme-prone one). Per window of value x at time t:
//
//   L  = exponentially weighted level (half-life `level_half_life`, 1 day) of the learned values, each
//        capped at level_cap·μ + level_cap_add before it is learned: a burst the alert missed (or the
//        hours before it fired) moves the level by at most 50% of μ per window instead of teaching it.
//   F  = seasonal floor: over each of the last `floor_days` days, the mean of the same time of day
//        ± `floor_neighbours` windows; F is the smallest of those day means. A daily rhythm (square
//        wave, sine, office hours) makes its own peak hour the expected value instead of a spike, while
//        the minimum over days keeps one odd day from hiding a spike. No floor until the days are learned.
//   μ  = max(L, F, zero_baseline)                         (expected; L covers the troughs F is low in)
//   S  = S + a·(x − S), a = 1 − 2^(−window/smoothing)      (smoothed volume, half-life 45 min: a lone
//        noisy window barely moves it, a real burst of a few windows does)
//   sf = S/μ                                              (the smoothed factor)
//   U  = the `quantile` (99th percentile) of this series' own past log(sf), from a histogram of bins
//        0.05 wide, learned only on ordinary windows after the warm-up; score = sf / exp(U)
//   breach when ready, score >= multiplier (1.7), sf >= min_factor (3) and x >= min_count.
//
// The usual-burst threshold is what lets one rule fit every series: noisy small brands have a high U
// and need a bigger burst, smooth big ones a smaller one; min_factor keeps a perfectly regular series
// (U near 0) from paging on a 20% wobble. pValue is the empirical tail of sf in that same history.
//
// Excluded windows (alert pending or firing) leave L and the histogram alone and write μ, not x, into
// the seasonal ring, so a crisis never becomes tomorrow's floor; S keeps following the data so it is
// current when the alert ends. Memory is fixed: the ring of floor_days days (+ neighbours) of windows in
// one Float64Array and 240 histogram bins; each window costs O(floor_days × neighbours + bins).
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "./detector.js";
import { factorOf, windowsIn } from "./estimate.js";
import { duration, minCount, zeroBaseline } from "./fields.js";
import { HistoryRing } from "./history-ring.js";
import { PERIOD_MS, windowIndex } from "./slots.js";

const schema = z.strictObject({
  smoothing: duration("a half-life")
    .prefault("45m")
    .describe(
      "Half-life of the smoothed volume S that is compared with the expected volume (45m: 9 windows of 5m). Shorter reacts to single windows, longer only to sustained bursts.",
    ),
  level_half_life: duration("a half-life")
    .prefault("1d")
    .describe("Half-life of the expected level L, the exponentially weighted mean of learned windows."),
  level_cap: z
    .number()
    .min(1)
    .default(1.5)
    .describe(
      "Each window is learned into the level as at most level_cap × expected + level_cap_add, so a burst the alert did not exclude cannot teach the level that bursts are normal.",
    ),
  level_cap_add: z
    .number()
    .nonnegative()
    .default(3)
    .describe("Additive slack of the cap (in mentions), so a near-empty series can still grow its level."),
  floor_days: z
    .number()
    .int()
    .nonnegative()
    .default(2)
    .describe(
      "Days of same-time-of-day history behind the seasonal floor (the smallest of the days' means); 0 turns the floor off.",
    ),
  floor_neighbours: z
    .number()
    .int()
    .nonnegative()
    .default(1)
    .describe(
      "Windows on each side of the same time of day averaged into a day's floor value (phase jitter).",
    ),
  quantile: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.99)
    .describe("Which quantile of the series' own past smoothed factors counts as its usual burst (0.99)."),
  multiplier: z
    .number()
    .positive()
    .default(1.7)
    .describe(
      "Breach when the smoothed factor is at least this many times the series' usual burst (score >= multiplier).",
    ),
  min_factor: z
    .number()
    .positive()
    .default(3)
    .describe(
      "… and at least this many times the expected volume, whatever the usual burst (keeps regular series quiet).",
    ),
  warmup: duration("a warm-up span")
    .prefault("1d")
    .describe("Ordinary (not excluded) history needed before judging; the usual burst is learned after it."),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type VolumeSpikeConfig = z.output<typeof schema>;

/** The estimate with the two numbers the breach test needs besides the score. */
export interface VolumeSpikeEstimate extends Estimate {
  /** S: the smoothed volume including this window. */
  smoothed: number;
  /** sf = S / expected. */
  smoothedFactor: number;
}

// Histogram of log(sf): bins of 0.05 from e^-6 to e^6 (sf beyond either end lands in the end bin).
const BINS = 240;
const LOG_LOW = -6;
const BIN_WIDTH = 0.05;
const binOf = (logValue: number) =>
  Math.min(BINS - 1, Math.max(0, Math.floor((logValue - LOG_LOW) / BIN_WIDTH)));

export const volumeSpikeDetector: DetectorDefinition<typeof schema> = {
  type: "volume_spike",
  description:
    "Raw volume burst: breaches when the smoothed volume is min_factor times the expected level (daily rhythm included) and multiplier times the series' own usual burst.",
  schema,
  thresholdKeys: ["multiplier", "min_factor", "min_count"],
  create(config, { windowMs }) {
    const perDay = PERIOD_MS.day / windowMs;
    if (config.floor_days > 0 && !Number.isInteger(perDay)) {
      throw new Error(`volume_spike's seasonal floor needs windows that divide a day, got ${windowMs} ms`);
    }
    const levelWeight = 1 - 2 ** (-windowMs / config.level_half_life);
    const smoothWeight = 1 - 2 ** (-windowMs / config.smoothing);
    const warmup = windowsIn(config.warmup, windowMs);
    const spread = config.floor_neighbours;
    // Holds every window the floor reads: floor_days days back, plus the neighbours after the slot.
    const ring = new HistoryRing(Math.max(1, config.floor_days * perDay + spread + 1), {
      add: () => {},
      remove: () => {},
    });
    const history = new Float64Array(BINS);
    let historySize = 0;
    let usualLog = Number.NaN; // upper edge of the quantile's bin
    let level = Number.NaN;
    let smoothed = Number.NaN;
    let learned = 0;

    /** F: the smallest, over the last floor_days days, of the mean of slot ± neighbours; 0 if a day is missing. */
    const floorAt = (index: number): number => {
      if (config.floor_days === 0) return 0;
      let floor = Infinity;
      for (let day = 1; day <= config.floor_days; day++) {
        let sum = 0;
        let n = 0;
        for (let k = -spread; k <= spread; k++) {
          const value = ring.get(index - day * perDay + k);
          if (value === undefined) continue;
          sum += value;
          n++;
        }
        if (n === 0) return 0;
        floor = Math.min(floor, sum / n);
      }
      return floor;
    };
    const expectedAt = (index: number) =>
      Math.max(Number.isNaN(level) ? 0 : level, floorAt(index), config.zero_baseline);
    const smoothedWith = (value: number) =>
      Number.isNaN(smoothed) ? value : smoothed + smoothWeight * (value - smoothed);

    /** Recomputes U, the upper edge of the bin holding the `quantile` of the history. */
    const updateUsual = () => {
      const target = config.quantile * historySize;
      let cumulative = 0;
      let bin = 0;
      for (; bin < BINS - 1; bin++) {
        cumulative += history[bin] as number;
        if (cumulative >= target) break;
      }
      usualLog = LOG_LOW + (bin + 1) * BIN_WIDTH;
    };
    /** Share of the history at or above the bin of `logValue`, as an empirical p-value (n + 1 form). */
    const tailOf = (logValue: number) => {
      let tail = 0;
      for (let bin = binOf(logValue); bin < BINS; bin++) tail += history[bin] as number;
      return (tail + 1) / (historySize + 1);
    };

    return {
      evaluate(time, value): VolumeSpikeEstimate {
        const expected = expectedAt(windowIndex(time, windowMs));
        const s = smoothedWith(value);
        const smoothedFactor = s / expected;
        const ready = learned >= warmup && historySize > 0;
        const estimate: VolumeSpikeEstimate = {
          observed: value,
          expected,
          factor: factorOf(value, expected, config.zero_baseline),
          score: ready ? smoothedFactor / Math.exp(usualLog) : 0,
          ready,
          smoothed: s,
          smoothedFactor,
        };
        if (ready) estimate.pValue = tailOf(Math.log(Math.max(smoothedFactor, Number.MIN_VALUE)));
        return estimate;
      },
      breaches(estimate, thresholds) {
        const { smoothedFactor } = estimate as VolumeSpikeEstimate;
        return (
          estimate.ready &&
          estimate.score >= thresholds.multiplier &&
          smoothedFactor >= thresholds.min_factor &&
          estimate.observed >= thresholds.min_count
        );
      },
      learn(time, value, excluded) {
        const index = windowIndex(time, windowMs);
        if (index <= ring.last) return; // not newer than the last learned window
        const expected = expectedAt(index);
        smoothed = smoothedWith(value);
        ring.push(index, excluded ? expected : value);
        if (excluded) return;
        if (learned >= warmup) {
          const bin = binOf(Math.log(Math.max(smoothed / expected, Number.MIN_VALUE)));
          history[bin] = (history[bin] as number) + 1;
          historySize++;
          updateUsual();
        }
        const capped =
          learned > 0 ? Math.min(value, config.level_cap * expected + config.level_cap_add) : value;
        level = Number.isNaN(level) ? capped : level + levelWeight * (capped - level);
        learned++;
      },
    };
  },
};
