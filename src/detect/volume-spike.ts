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
//
// Three views of the volume against μ, each judged by this series' own history of it (a histogram of
// its log, learned on ordinary windows after the warm-up), so "unusual" always means "for this series":
//   burst      sf = S/μ, S smoothed with half-life `smoothing` (45 min): a lone noisy window barely
//              moves it, a burst of a few windows does.             score = sf / Q_quantile(sf)
//   peak       pf = max(x/μ, pf·2^(−window/peak_half_life)): the sharpest single window of the last
//              hour or so.                                          peak = pf / Q_peak_quantile(x/μ)
//   sustained  lf = S_long/μ, S_long smoothed with `sustained_smoothing` (4 h): hours of elevation.
//                                                                   sustained = lf / Q_quantile(lf)
//   breach when ready, score >= multiplier, sf >= min_factor, x >= min_count,
//          and (peak >= peak_multiplier or sustained >= sustained_multiplier).
//
// Why the confirmation: the burst test alone fires on middling bumps (an hour at 5x, neither sharp nor
// lasting) as readily as on news, and raising its threshold instead loses short sharp bursts that the
// smoothing dilutes (IBM on NAB: 1, 0, 84, 72, 12 mentions). So a burst must also be a sharp spike for
// this series (a window beyond its own 99.9th-percentile factor: low-volume Poisson-like noise is
// priced in by the series' own tail, not a count model that Twitter's overdispersion breaks) or a rise
// that lasts hours for it; the burst threshold can then be lower and less brittle. Judging each view by
// the series' own quantiles is what lets one rule fit every brand; min_factor keeps a perfectly regular
// series (quantiles near 0) from paging on a wobble. pValue is the empirical tail of sf.
//
// Excluded windows (alert pending or firing) leave L and the histograms alone and write μ, not x, into
// the seasonal ring, so a crisis never becomes tomorrow's floor; S, S_long and pf keep following the
// data so they are current when the alert ends. Memory is fixed: the ring of floor_days days
// (+ neighbours) in one Float64Array and three 240-bin histograms; a window costs
// O(floor_days × neighbours + bins).
//
// No levelFor: the breach is on S, the peak and S_long, all smoothed over the windows before; one
// window alone must carry S by 1/w (w ≈ 0.07 at 45m half-life) to breach, while a few windows at a
// fraction of that do it together. No single window value is "the level", so no forecast aims at one.
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
    .describe(
      "Which quantile of the series' own past smoothed (and sustained) factors counts as its usual burst (0.99).",
    ),
  multiplier: z
    .number()
    .positive()
    .default(1.6)
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
  peak_half_life: duration("a half-life")
    .prefault("1h")
    .describe("Half-life of the held peak, the largest recent single-window factor x / expected."),
  peak_quantile: z
    .number()
    .gt(0)
    .lt(1)
    .default(0.999)
    .describe(
      "Which quantile of the series' own past single-window factors counts as its usual peak (0.999).",
    ),
  peak_multiplier: z
    .number()
    .nonnegative()
    .default(2.6)
    .describe(
      "Confirmation: the held peak is at least this many times the usual peak, or the sustained test holds. 0 turns the confirmation off.",
    ),
  sustained_smoothing: duration("a half-life")
    .prefault("4h")
    .describe("Half-life of the long smoothed volume behind the sustained test (hours of elevation)."),
  sustained_multiplier: z
    .number()
    .positive()
    .default(1.4)
    .describe("… or the long smoothed factor is this many times the series' usual one (its `quantile`)."),
  warmup: duration("a warm-up span")
    .prefault("1d")
    .describe("Ordinary (not excluded) history needed before judging; usual bursts are learned after it."),
  min_count: minCount(),
  zero_baseline: zeroBaseline(),
});

export type VolumeSpikeConfig = z.output<typeof schema>;

/** The estimate with the numbers the breach test needs besides the score. */
export interface VolumeSpikeEstimate extends Estimate {
  /** S: the smoothed volume including this window. */
  smoothed: number;
  /** sf = S / expected. */
  smoothedFactor: number;
  /** The held peak factor over the series' usual peak (0 until ready). */
  peakScore: number;
  /** The long smoothed factor over the series' usual one (0 until ready). */
  sustainedScore: number;
}

// Histograms of log factors: bins of 0.05 from e^-6 to e^6 (beyond either end lands in the end bin).
const BINS = 240;
const LOG_LOW = -6;
const BIN_WIDTH = 0.05;
const logOf = (value: number) => Math.log(Math.max(value, Number.MIN_VALUE));
const binOf = (logValue: number) =>
  Math.min(BINS - 1, Math.max(0, Math.floor((logValue - LOG_LOW) / BIN_WIDTH)));

/** A fixed-memory histogram of log factors that keeps the upper edge of its `q` quantile's bin. */
export class LogHistogram {
  readonly counts = new Uint32Array(BINS);
  size = 0;
  /** Upper edge (a log) of the bin holding the quantile; NaN while empty. */
  usual = Number.NaN;
  /** The quantile's bin (the first whose cumulative count reaches q × size) and that cumulative count. */
  private edge = 0;
  private atOrBelow = 0;

  constructor(private readonly q: number) {}

  /** Counts `value` in and moves the quantile's bin by the few bins it shifts: no scan from bin 0. */
  add(value: number): void {
    const bin = binOf(logOf(value));
    const counts = this.counts;
    counts[bin] = (counts[bin] as number) + 1;
    this.size++;
    if (bin <= this.edge) this.atOrBelow++;
    const target = this.q * this.size;
    while (this.edge < BINS - 1 && this.atOrBelow < target) this.atOrBelow += counts[++this.edge] as number;
    while (this.edge > 0 && this.atOrBelow - (counts[this.edge] as number) >= target) {
      this.atOrBelow -= counts[this.edge--] as number;
    }
    this.usual = LOG_LOW + (this.edge + 1) * BIN_WIDTH;
  }

  /** value / e^usual: how many times the usual value this one is. */
  ratio(value: number): number {
    return value / Math.exp(this.usual);
  }

  /** Share of the history at or above the bin of `value`, as an empirical p-value (n + 1 form). */
  tail(value: number): number {
    let tail = 0;
    for (let bin = binOf(logOf(value)); bin < BINS; bin++) tail += this.counts[bin] as number;
    return (tail + 1) / (this.size + 1);
  }
}

export const volumeSpikeDetector: DetectorDefinition<typeof schema> = {
  type: "volume_spike",
  description:
    "Raw volume burst: breaches when the smoothed volume is min_factor times the expected level (daily rhythm included) and multiplier times the series' own usual burst, confirmed by a sharp peak or a sustained rise unusual for the series.",
  schema,
  thresholdKeys: ["multiplier", "min_factor", "min_count", "peak_multiplier", "sustained_multiplier"],
  create(config, { windowMs }) {
    const perDay = PERIOD_MS.day / windowMs;
    if (config.floor_days > 0 && !Number.isInteger(perDay)) {
      throw new Error(`volume_spike's seasonal floor needs windows that divide a day, got ${windowMs} ms`);
    }
    const weightOf = (halfLife: number) => 1 - 2 ** (-windowMs / halfLife);
    const levelWeight = weightOf(config.level_half_life);
    const smoothWeight = weightOf(config.smoothing);
    const longWeight = weightOf(config.sustained_smoothing);
    const peakDecay = 2 ** (-windowMs / config.peak_half_life);
    const warmup = windowsIn(config.warmup, windowMs);
    const spread = config.floor_neighbours;
    // Holds every window the floor reads: floor_days days back, plus the neighbours after the slot.
    const ring = new HistoryRing(Math.max(1, config.floor_days * perDay + spread + 1), {
      add: () => {},
      remove: () => {},
    });
    const bursts = new LogHistogram(config.quantile);
    const peaks = new LogHistogram(config.peak_quantile);
    const sustained = new LogHistogram(config.quantile);
    let level = Number.NaN;
    let smoothed = Number.NaN;
    let longSmoothed = Number.NaN;
    let peak = 0;
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
    const ewma = (previous: number, weight: number, value: number) =>
      Number.isNaN(previous) ? value : previous + weight * (value - previous);
    /** The three factors of `value` at the window whose expected volume is `expected`. */
    const factorsOf = (value: number, expected: number) => {
      const s = ewma(smoothed, smoothWeight, value);
      const sLong = ewma(longSmoothed, longWeight, value);
      const raw = value / expected;
      return {
        s,
        sLong,
        raw,
        burst: s / expected,
        peak: Math.max(raw, peak * peakDecay),
        long: sLong / expected,
      };
    };

    return {
      evaluate(time, value): VolumeSpikeEstimate {
        const expected = expectedAt(windowIndex(time, windowMs));
        const factors = factorsOf(value, expected);
        const ready = learned >= warmup && bursts.size > 0;
        const estimate: VolumeSpikeEstimate = {
          observed: value,
          expected,
          factor: factorOf(value, expected, config.zero_baseline),
          score: ready ? bursts.ratio(factors.burst) : 0,
          ready,
          smoothed: factors.s,
          smoothedFactor: factors.burst,
          peakScore: ready ? peaks.ratio(factors.peak) : 0,
          sustainedScore: ready ? sustained.ratio(factors.long) : 0,
        };
        if (ready) estimate.pValue = bursts.tail(factors.burst);
        return estimate;
      },
      breaches(estimate, thresholds) {
        const { smoothedFactor, peakScore, sustainedScore } = estimate as VolumeSpikeEstimate;
        return (
          estimate.ready &&
          estimate.score >= thresholds.multiplier &&
          smoothedFactor >= thresholds.min_factor &&
          estimate.observed >= thresholds.min_count &&
          (peakScore >= thresholds.peak_multiplier || sustainedScore >= thresholds.sustained_multiplier)
        );
      },
      learn(time, value, excluded) {
        const index = windowIndex(time, windowMs);
        if (index <= ring.last) return; // not newer than the last learned window
        const expected = expectedAt(index);
        const factors = factorsOf(value, expected);
        smoothed = factors.s;
        longSmoothed = factors.sLong;
        peak = factors.peak;
        ring.push(index, excluded ? expected : value);
        if (excluded) return;
        if (learned >= warmup) {
          bursts.add(factors.burst);
          peaks.add(factors.raw);
          sustained.add(factors.long);
        }
        const capped =
          learned > 0 ? Math.min(value, config.level_cap * expected + config.level_cap_add) : value;
        level = ewma(level, levelWeight, capped);
        learned++;
      },
    };
  },
};
