// The forecast a page tells: when the alert's series reaches the rule's critical level at its current
// pace, with the fit's interval; nothing on noise, on an alert already critical, or past the level.
import { describe, expect, it } from "vitest";
import { Random } from "../examples/demo/random.js";
import type { CriticalLevel } from "../src/explaining.js";
import { Explaining, GROWTH_WINDOWS } from "../src/explaining.js";
import type { Alert, AlertState, Severity } from "../src/model/index.js";
import { MIN, T0 } from "./helpers/mentions.js";

const W = 5 * MIN;
const LEVEL = 200;
// Doubling every 15 min (3 windows) from 4 per window: 4, 5, 6, 8, 10, 13, 16, 20, 25, 32, 40, 51, …
const doubling = Array.from({ length: 18 }, (_, i) => Math.round(4 * 2 ** (i / 3)));
// μ(i) = 4 · 2^(i/3) reaches 200 at i = 3 · log2(50) = 16.93; a window's count stands at its end.
const crossingAt = (last: number) => T0 + (last + 1) * W + (3 * Math.log2(LEVEL / 4) - last) * W;

/** A warning alert on kryptonite whose last window is `last` (window index from T0). */
function alertAt(
  last: number,
  value: number,
  state: AlertState = "firing",
  severity: Severity = "warning",
): Alert {
  const measure = { time: T0 + last * W, value, expected: 4, factor: value / 4, score: 0 };
  return {
    id: "a",
    fingerprint: "f",
    rule: "growth/NegativeVolume",
    name: "NegativeVolume",
    labels: { brand: "kryptonite" },
    state,
    severity,
    activeAt: T0,
    last: measure,
    peak: measure,
    annotations: {},
    flapping: false,
    history: [],
  };
}

/** Explains the alert at window `last` of `counts`, with the last GROWTH_WINDOWS windows as its recent series. */
function explainAt(
  counts: readonly number[],
  last: number,
  options: { critical?: CriticalLevel; state?: AlertState; severity?: Severity } = {},
) {
  const alert = alertAt(last, counts[last] ?? 0, options.state, options.severity);
  const recent = () => ({
    counts: counts.slice(last + 1 - GROWTH_WINDOWS, last + 1),
    end: T0 + (last + 1) * W,
  });
  new Explaining(W).explain(alert, "negative", { recent, critical: options.critical ?? (() => LEVEL) });
  return alert.explanation;
}

describe("forecast of the critical level", () => {
  it("tells when a series doubling every 15 min reaches 200, with an interval holding the true time", () => {
    // Last windows 16, 20, 25, 32, 40, 51: the level is about 30 min ahead.
    const explanation = explainAt(doubling, 11);
    const forecast = explanation?.growth?.forecast;
    expect(forecast).toBeDefined();
    if (!forecast) return;
    expect(forecast.level).toBe(LEVEL);
    expect(forecast.earliest).toBeLessThanOrEqual(crossingAt(11));
    expect(forecast.latest).toBeGreaterThanOrEqual(crossingAt(11));
    expect(Math.abs(forecast.at - crossingAt(11))).toBeLessThan(2 * MIN);
    expect(explanation?.plain).toMatch(
      /; doubling about every 15 min; at this pace, about 30 min to the critical level of 200 \(20–50 min\)$/,
    );
  });

  it("holds the true crossing time in every forecast as the series climbs", () => {
    let told = 0;
    for (let last = GROWTH_WINDOWS - 1; last < doubling.length; last++) {
      const forecast = explainAt(doubling, last)?.growth?.forecast;
      if (!forecast) continue;
      told++;
      expect(forecast.earliest).toBeLessThanOrEqual(crossingAt(last));
      expect(forecast.latest).toBeGreaterThanOrEqual(crossingAt(last));
      expect(forecast.earliest).toBeGreaterThanOrEqual(T0 + (last + 1) * W);
    }
    expect(told).toBeGreaterThanOrEqual(10);
  });

  it("tells no forecast on flat Poisson noise, even with the level within its reach", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = new Random(seed, "flat");
      const counts = Array.from({ length: GROWTH_WINDOWS }, () => random.poisson(8));
      const explanation = explainAt(counts, GROWTH_WINDOWS - 1, { critical: () => 20 });
      expect(explanation?.growth?.forecast).toBeUndefined();
      expect(explanation?.plain).not.toMatch(/critical level/);
    }
  });

  it("tells none for an alert already critical, and keeps its doubling time", () => {
    const explanation = explainAt(doubling, 11, { severity: "critical" });
    expect(explanation?.growth).toBeDefined();
    expect(explanation?.growth?.forecast).toBeUndefined();
    expect(explanation?.plain).toMatch(/; doubling about every 15 min at this pace$/);
  });

  it("tells none while pending, without a critical level, or with the last window at the level", () => {
    expect(explainAt(doubling, 11, { state: "pending" })?.growth?.forecast).toBeUndefined();
    expect(explainAt(doubling, 11, { critical: () => undefined })?.growth?.forecast).toBeUndefined();
    expect(explainAt(doubling, 11, { critical: () => 51 })?.growth?.forecast).toBeUndefined();
  });

  it("tells none when the crossing is further ahead than twice the half hour fitted", () => {
    // From 16 … 51, 1000 per window is 12.9 windows (64 min) ahead, past the 60 min the fit may reach;
    // 700 is 11.4 windows (57 min) ahead.
    expect(explainAt(doubling, 11, { critical: () => 1000 })?.growth?.forecast).toBeUndefined();
    expect(explainAt(doubling, 11, { critical: () => 700 })?.growth?.forecast).toBeDefined();
  });
});
