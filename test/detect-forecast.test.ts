// Growth fit and crossing forecast: hand-computed values on a tiny exact exponential, rate recovery
// and interval coverage under seeded Poisson noise, and abstention on noise, decline and short series.
import { describe, expect, it } from "vitest";
import { Random } from "../examples/demo/random.js";
import type { Forecast } from "../src/detect/forecast.js";
import { fitGrowth, forecastCrossing, plainDuration, plainForecast } from "../src/detect/forecast.js";
import { normalQuantile, studentQuantile } from "../src/detect/helpers/quantiles.js";

const MIN = 60_000;
const W = 5 * MIN;
const END = Date.parse("2024-05-14T09:00:00Z");
const series = (counts: number[]) => ({ counts, windowMs: W, end: END });

/** Counts of n windows growing as μ_i = start·e^(rate·i), drawn Poisson from a seeded stream. */
function noisyExponential(seed: number, n: number, start: number, ratePerWindow: number): number[] {
  const random = new Random(seed, "forecast");
  return Array.from({ length: n }, (_, i) => random.poisson(start * Math.exp(ratePerWindow * i)));
}

const reason = (forecast: Forecast) => (forecast.kind === "none" ? forecast.reason : "crossing");

describe("fitGrowth", () => {
  it("fits counts 1, 2, 4, 8 exactly: doubling in one window, hand-computed standard error", () => {
    const fit = fitGrowth(series([1, 2, 4, 8]))!;
    // The Poisson likelihood equations Σy = Σμ and Σt·y = Σt·μ hold exactly for μ = 2^i.
    expect(fit.level).toBeCloseTo(8, 9);
    expect(fit.doublingMs).toBeCloseTo(W, 3);
    expect(fit.ratePerHour).toBeCloseTo(12 * Math.LN2, 9);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.dispersion).toBe(1);
    // Fisher information with weights μ = 1, 2, 4, 8 at t = −3…0: S0 = 15, S1 = −11, S2 = 21,
    // det = 15·21 − 11² = 194, so Var(b) = 15/194 per window², i.e. se = 12·√(15/194) per hour.
    expect(fit.model.vbb).toBeCloseTo(15 / 194, 12);
    expect(fit.model.vaa).toBeCloseTo(21 / 194, 12);
    expect(fit.model.vab).toBeCloseTo(11 / 194, 12);
    expect(fit.rateStdErrPerHour).toBeCloseTo(12 * Math.sqrt(15 / 194), 9);
  });

  it("recovers a known rate from seeded Poisson noise within 15%", () => {
    const rate = Math.LN2 / 3; // doubles every 3 windows: 2.77 per hour
    for (const seed of [1, 2, 3, 4, 5]) {
      const fit = fitGrowth(series(noisyExponential(seed, 12, 5, rate)))!;
      expect(fit.ratePerHour / (12 * rate)).toBeGreaterThan(0.85);
      expect(fit.ratePerHour / (12 * rate)).toBeLessThan(1.15);
      expect(fit.r2).toBeGreaterThan(0.8);
      const [low, high] = fit.rateInterval;
      expect(low).toBeLessThan(fit.ratePerHour);
      expect(high).toBeGreaterThan(fit.ratePerHour);
    }
  });

  it("has no fit for a series without a single count", () => {
    expect(fitGrowth(series([0, 0, 0, 0, 0]))).toBeUndefined();
  });
});

describe("forecastCrossing", () => {
  it("forecasts 1, 2, 4, 8 reaching 32 two windows ahead, with the hand-computed Fieller interval", () => {
    const forecast = forecastCrossing(series([1, 2, 4, 8]), { level: 32, maxRelativeWidth: Infinity });
    expect(forecast.kind).toBe("crossing");
    if (forecast.kind !== "crossing") return;
    expect(forecast.at).toBeCloseTo(END + 2 * W, 0);
    // With q = z(0.95) = 1.6449, A = ln²2 − q²·15/194, B = −ln4·ln2 − q²·11/194, C = ln²4 − q²·21/194;
    // the roots (−B ± √(B² − AC))/A are 0.8110 and 7.4048 windows.
    expect((forecast.earliest - END) / W).toBeCloseTo(0.811, 3);
    expect((forecast.latest - END) / W).toBeCloseTo(7.4048, 3);
  });

  it("abstains on the same four points by default: the interval is wider than 3× the lead", () => {
    expect(reason(forecastCrossing(series([1, 2, 4, 8]), { level: 32 }))).toBe("uncertain");
  });

  it("puts the true crossing inside its 90% interval in about 90% of seeded noisy runs", () => {
    const rate = Math.LN2 / 3;
    const level = 200;
    // μ reaches 200 at window ln(40)/rate = 15.97, i.e. 4.97 windows after the last (window 11).
    const truth = END + (Math.log(level / 5) / rate - 11) * W;
    let forecasts = 0;
    let covered = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const forecast = forecastCrossing(series(noisyExponential(seed, 12, 5, rate)), { level });
      if (forecast.kind !== "crossing") continue;
      forecasts++;
      if (forecast.earliest <= truth && truth <= forecast.latest) covered++;
      expect(forecast.earliest).toBeLessThanOrEqual(forecast.at);
      expect(forecast.latest).toBeGreaterThanOrEqual(forecast.at);
    }
    expect(forecasts).toBeGreaterThan(290);
    expect(covered / forecasts).toBeGreaterThan(0.85);
    expect(covered / forecasts).toBeLessThan(0.96);
  });

  it("forecasts a noise-free exponential at its exact crossing time", () => {
    const counts = Array.from({ length: 10 }, (_, i) => 3 * Math.exp(0.3 * i));
    const forecast = forecastCrossing(series(counts), { level: 3 * Math.exp(0.3 * 13) });
    expect(forecast.kind).toBe("crossing");
    if (forecast.kind !== "crossing") return;
    expect(forecast.at).toBeCloseTo(END + 4 * W, 0);
    expect(forecast.ratePerHour).toBeCloseTo(0.3 * 12, 9);
    expect(forecast.doublingMs).toBeCloseTo((Math.LN2 / 0.3) * W, 3);
  });

  it("abstains on flat Poisson noise in at least 99% of 1000 seeded series", () => {
    let forecasts = 0;
    const reasons = new Set<string>();
    for (let seed = 1; seed <= 1000; seed++) {
      const random = new Random(seed, "flat");
      const counts = Array.from({ length: 12 }, () => random.poisson(6));
      const forecast = forecastCrossing(series(counts), { level: 30 });
      reasons.add(reason(forecast));
      if (forecast.kind === "crossing") forecasts++;
    }
    expect(forecasts).toBeLessThanOrEqual(10);
    expect(reasons).toContain("poor_fit");
    expect(reasons).toContain("not_growing");
  });

  it("abstains on a decline, on too few points, and when the level is already reached", () => {
    expect(reason(forecastCrossing(series([40, 30, 22, 15, 11, 8]), { level: 60 }))).toBe("not_growing");
    expect(reason(forecastCrossing(series([1, 2, 4]), { level: 32 }))).toBe("too_few_points");
    expect(reason(forecastCrossing(series([0, 0, 0, 0]), { level: 32 }))).toBe("no_fit");
    expect(reason(forecastCrossing(series([2, 4, 8, 16, 32, 64]), { level: 50 }))).toBe("already_reached");
  });

  it("abstains when the crossing lies beyond the horizon or too far past the fitted span", () => {
    const counts = Array.from({ length: 12 }, (_, i) => 10 * Math.exp(0.05 * i));
    // ln(1000/17.3)/0.05 ≈ 81 windows ahead: 6.8 h, past the 6 h horizon and twice the hour fitted.
    expect(reason(forecastCrossing(series(counts), { level: 1000 }))).toBe("beyond_horizon");
    expect(reason(forecastCrossing(series(counts), { level: 1000, maxExtrapolation: 100 }))).toBe(
      "beyond_horizon",
    );
  });

  it("refuses a non-positive level", () => {
    expect(() => forecastCrossing(series([1, 2, 4, 8]), { level: 0 })).toThrow(RangeError);
  });
});

describe("plainForecast", () => {
  const crossing = (lead: number, low: number, high: number): Forecast => ({
    kind: "crossing",
    at: END + lead,
    earliest: END + low,
    latest: END + high,
    ratePerHour: 2,
    doublingMs: 20 * MIN,
    r2: 0.9,
  });

  it("says the lead and its interval in rounded words", () => {
    expect(plainForecast(crossing(31 * MIN, 19 * MIN, 46 * MIN), END)).toBe(
      "at this pace, about 30 min to the critical level (20–45 min)",
    );
    expect(
      plainForecast(crossing(80 * MIN, 50 * MIN, 130 * MIN), END, "50 negative mentions per window"),
    ).toBe("at this pace, about 1 h 20 min to 50 negative mentions per window (50 min–2 h 10 min)");
    expect(plainForecast(crossing(10_000, 0, MIN), END)).toBe("at this pace, the critical level is due now");
  });

  it("says nothing when there is no forecast", () => {
    expect(plainForecast({ kind: "none", reason: "poor_fit" }, END)).toBeUndefined();
  });

  it("rounds durations as a person would", () => {
    expect([3, 12, 58, 61, 125, 400].map((m) => plainDuration(m * MIN))).toEqual([
      "3 min",
      "10 min",
      "1 h",
      "1 h",
      "2 h 10 min",
      "7 h",
    ]);
  });
});

describe("quantiles", () => {
  it("match the tables", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.644854, 6);
    expect(studentQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentQuantile(0.975, 2)).toBeCloseTo(4.302653, 5);
    expect(studentQuantile(0.975, 10) / 2.228139).toBeCloseTo(1, 4);
    expect(studentQuantile(0.95, 3) / 2.353363).toBeCloseTo(1, 2);
  });
});
