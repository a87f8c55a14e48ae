// Growth and forecast: how fast a series is growing (rate per hour, doubling time) and, at that
// pace, when it reaches a level such as a rule's critical threshold — with an honest interval, and
// no forecast at all when the fit does not support one.
//
// Model: the counts of the last N windows are Poisson with ln μ = a + b·t (t in windows, 0 = the last
// window), fitted by maximum likelihood (IRLS, see helpers/log-linear-poisson.ts). Least squares on
// ln(count + 1) would be simpler but is biased at small counts — exactly the first windows of a
// crisis, 0-3 mentions — because the +1 flattens the curve and the log treats a 1→2 step like 100→200.
// The Poisson likelihood weighs each window by its count, takes zeros as they are, and its
// deviance and Pearson dispersion say whether the exponential is a fair description at all.
//
// Interval: the crossing time t* = (ln L − a)/b is a ratio of estimates, so its interval comes from
// Fieller's theorem (Fieller 1954, "Some problems in interval estimation", JRSS B 16; the "inverse
// prediction" of Draper & Smith, Applied Regression Analysis, 3rd ed., §3.2): the times t at which the
// confidence band of the fitted ln μ(t) contains ln L. Unlike plugging the ends of the rate's own
// interval into t*, it also carries the uncertainty of today's level, and it is unbounded exactly
// when the growth is not significantly positive — which is then a reason to abstain.
import type { LogLinearFit } from "./helpers/log-linear-poisson.js";
import { fitLogLinearPoisson } from "./helpers/log-linear-poisson.js";
import { normalQuantile, studentQuantile } from "./helpers/quantiles.js";

const HOUR_MS = 3_600_000;

/** Consecutive window counts of one series. */
export interface WindowCounts {
  /** Counts of consecutive windows, oldest first; empty windows are zeros. */
  counts: readonly number[];
  windowMs: number;
  /** End of the last window (epoch ms): forecasts start from here. */
  end: number;
}

export interface GrowthFit {
  points: number;
  /** The fitted count of the last window: the current level at the current pace. */
  level: number;
  /** Growth rate of ln(count) per hour; ln 2 / rate is the doubling time. */
  ratePerHour: number;
  rateStdErrPerHour: number;
  /** Confidence interval of the rate per hour, at `confidence`. */
  rateInterval: [low: number, high: number];
  /** Time for the count per window to double; Infinity when the series is not growing. */
  doublingMs: number;
  /** Deviance explained (the GLM's R²): 1 for a perfect exponential, near 0 for noise. */
  r2: number;
  /** Pearson dispersion, floored at 1; well above 1 means burstier than Poisson. */
  dispersion: number;
  confidence: number;
  /** Two-sided quantile used for the intervals (z, or Student's t when overdispersed). */
  quantile: number;
  windowMs: number;
  end: number;
  model: LogLinearFit;
}

export type NoForecastReason =
  /** Fewer windows than `minPoints`. */
  | "too_few_points"
  /** No count at all, or no finite fit. */
  | "no_fit"
  /** The fitted rate is zero or negative. */
  | "not_growing"
  /** The exponential explains less of the variation than `minR2`. */
  | "poor_fit"
  /** The fitted level is already at or above the target. */
  | "already_reached"
  /** The growth is not significant at `confidence`, or the interval is too wide to be useful. */
  | "uncertain"
  /** The crossing is further ahead than the horizon. */
  | "beyond_horizon";

export type Forecast =
  | {
      kind: "crossing";
      /** Epoch ms at which the expected count per window reaches the level. */
      at: number;
      /** Interval of that time at the fit's confidence; `earliest` is never before the series' end. */
      earliest: number;
      latest: number;
      ratePerHour: number;
      doublingMs: number;
      r2: number;
    }
  | { kind: "none"; reason: NoForecastReason };

export interface ForecastOptions {
  /** The level to reach, in counts per window (e.g. the rule's critical threshold). */
  level: number;
  /** Two-sided confidence of the interval (default 0.9). */
  confidence?: number;
  /** Fewest windows to fit (default 4). */
  minPoints?: number;
  /** Least deviance explained to trust the exponential (default 0.6). */
  minR2?: number;
  /** Furthest crossing worth announcing (default 6 h). */
  horizonMs?: number;
  /** Furthest crossing in multiples of the fitted span, to limit extrapolation (default 2). */
  maxExtrapolation?: number;
  /** Widest interval in multiples of the time to the crossing (default 3). */
  maxRelativeWidth?: number;
}

/** Fits the exponential growth of a series; undefined when no fit exists (no counts, diverging). */
export function fitGrowth(series: WindowCounts, confidence = 0.9): GrowthFit | undefined {
  const n = series.counts.length;
  const t = series.counts.map((_, i) => i - (n - 1));
  const model = fitLogLinearPoisson(t, series.counts);
  if (!model) return undefined;
  const perHour = HOUR_MS / series.windowMs;
  const p = (1 + confidence) / 2;
  const quantile = model.overdispersed ? studentQuantile(p, n - 2) : normalQuantile(p);
  const se = Math.sqrt(model.vbb);
  return {
    points: n,
    level: Math.exp(model.a),
    ratePerHour: model.b * perHour,
    rateStdErrPerHour: se * perHour,
    rateInterval: [(model.b - quantile * se) * perHour, (model.b + quantile * se) * perHour],
    doublingMs: model.b > 0 ? (Math.LN2 / model.b) * series.windowMs : Infinity,
    r2: model.r2,
    dispersion: model.dispersion,
    confidence,
    quantile,
    windowMs: series.windowMs,
    end: series.end,
    model,
  };
}

/** When the series reaches `options.level` at its current pace, or why there is no saying. */
export function forecastCrossing(series: WindowCounts, options: ForecastOptions): Forecast {
  const { level } = options;
  if (!(level > 0)) throw new RangeError(`forecast level must be positive, got ${level}`);
  const none = (reason: NoForecastReason): Forecast => ({ kind: "none", reason });
  if (series.counts.length < (options.minPoints ?? 4)) return none("too_few_points");
  const fit = fitGrowth(series, options.confidence ?? 0.9);
  if (!fit) return none("no_fit");
  const { a, b, vaa, vab, vbb } = fit.model;
  if (!(b > 0)) return none("not_growing");
  if (fit.r2 < (options.minR2 ?? 0.6)) return none("poor_fit");
  const c = Math.log(level);
  if (a >= c) return none("already_reached");
  // Fieller: (a + b·t − c)² ≤ q²·Var(a + b·t), a quadratic A t² + 2B t + C ≤ 0 in t.
  const q2 = fit.quantile ** 2;
  const A = b * b - q2 * vbb;
  if (!(A > 0)) return none("uncertain");
  const B = (a - c) * b - q2 * vab;
  const C = (a - c) ** 2 - q2 * vaa;
  // A > 0 and the quadratic is negative at t* (its first term vanishes there), so both roots exist.
  const root = Math.sqrt(Math.max(0, B * B - A * C));
  const time = (windows: number) => series.end + windows * series.windowMs;
  const at = time((c - a) / b);
  const earliest = Math.max(series.end, time((-B - root) / A));
  const latest = time((-B + root) / A);
  const span = series.counts.length * series.windowMs;
  const horizon = Math.min(options.horizonMs ?? 6 * HOUR_MS, (options.maxExtrapolation ?? 2) * span);
  if (at - series.end > horizon) return none("beyond_horizon");
  if (latest - earliest > (options.maxRelativeWidth ?? 3) * (at - series.end)) return none("uncertain");
  return {
    kind: "crossing",
    at,
    earliest,
    latest,
    ratePerHour: fit.ratePerHour,
    doublingMs: fit.doublingMs,
    r2: fit.r2,
  };
}

/**
 * The forecast for people: "at this pace, about 30 min to the critical level (20–45 min)", or
 * undefined when there is no forecast (say nothing rather than guess).
 */
export function plainForecast(
  forecast: Forecast,
  now: number,
  target = "the critical level",
): string | undefined {
  if (forecast.kind === "none") return undefined;
  const lead = forecast.at - now;
  if (lead <= 30_000) return `at this pace, ${target} is due now`;
  const low = plainDuration(Math.max(0, forecast.earliest - now));
  const high = plainDuration(Math.max(0, forecast.latest - now));
  const range =
    low.endsWith(" min") && high.endsWith(" min") && !low.includes(" h") && !high.includes(" h")
      ? `${low.slice(0, -4)}–${high}`
      : `${low}–${high}`;
  return `at this pace, about ${plainDuration(lead)} to ${target} (${range})`;
}

/** A duration rounded as a person would say it: 7 min, 35 min, 1 h 20 min, 5 h. */
export function plainDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 10) return `${Math.round(minutes)} min`;
  if (minutes < 60) {
    const rounded = Math.round(minutes / 5) * 5;
    return rounded < 60 ? `${rounded} min` : "1 h";
  }
  if (minutes < 6 * 60) {
    const tens = Math.round(minutes / 10);
    const hours = Math.floor(tens / 6);
    const rest = (tens % 6) * 10;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  return `${Math.round(minutes / 60)} h`;
}
