import { describe, expect, it } from "vitest";
import { nabFileMetrics, summariseNabMetrics } from "../src/backtest/nab-metrics.js";

// 100 five-minute rows at t(i) = i * 300 000 ms; probation = floor(0.15 * 100) = 15 rows.
// Windows: A rows 20..29 (labels at rows 26 and 24), B rows 60..64 (no label), C rows 80..84.
// A label at row 50 lies outside every window and is ignored.
// Detections: 5 (probation), 21 and 23 (A), 40 (outside), 63 (B), 90 (outside).
const MIN = 60_000;
const t = (row: number) => row * 5 * MIN;
const rows = (n: number, detected: number[]) => ({
  timestamps: Array.from({ length: n }, (_, i) => t(i)),
  detections: Array.from({ length: n }, (_, i) => detected.includes(i)),
});
const withWindows = {
  ...rows(100, [5, 21, 23, 40, 63, 90]),
  windows: [
    [t(20), t(29)],
    [t(60), t(64)],
    [t(80), t(84)],
  ] as const,
  labels: [t(26), t(24), t(50)],
};
const withoutWindows = { ...rows(100, [50]), windows: [] };

describe("NAB backtest metrics", () => {
  it("counts caught windows, false alerts and the scored span of one file", () => {
    const metrics = nabFileMetrics(withWindows);
    expect(metrics.windows).toBe(3);
    expect(metrics.windowsCaught).toBe(2); // A and B; C missed
    expect(metrics.falseAlerts).toBe(2); // rows 40 and 90; row 5 is in probation
    expect(metrics.scoredMs).toBe(84 * 5 * MIN); // t(99) - t(15) = 420 min = 7 h
  });

  it("measures lead time from the first detection to the earliest label, or the window centre", () => {
    const [a, b] = nabFileMetrics(withWindows).leadTimes;
    // A: earliest label row 24, first detection row 21: 3 rows x 5 min = +15 min (alert first).
    expect(a).toEqual({
      window: 0,
      labelTime: t(24),
      labelIsCentre: false,
      detectionTime: t(21),
      leadMs: 15 * MIN,
    });
    // B: no label, centre (t(60) + t(64)) / 2 = t(62); detection at row 63: -5 min (alert late).
    expect(b).toEqual({
      window: 1,
      labelTime: t(62),
      labelIsCentre: true,
      detectionTime: t(63),
      leadMs: -5 * MIN,
    });
  });

  it("pools files: rates over the summed span, lead times averaged window by window", () => {
    const summary = summariseNabMetrics([nabFileMetrics(withWindows), nabFileMetrics(withoutWindows)]);
    // 3 windows, 2 caught; 2 + 1 false alerts over 7 h + 7 h = 14 h = 1/12 week → 36 per week;
    // mean lead (15 min - 5 min) / 2 = 5 min.
    expect(summary).toEqual({
      windows: 3,
      windowsCaught: 2,
      caughtFraction: 2 / 3,
      falseAlerts: 3,
      scoredWeeks: 1 / 12,
      falseAlertsPerWeek: 36,
      meanLeadMs: 5 * MIN,
    });
  });

  it("leaves rates undefined (null) when there is nothing to divide by", () => {
    const summary = summariseNabMetrics([nabFileMetrics({ ...rows(1, [0]), windows: [] })]);
    expect(summary).toMatchObject({ caughtFraction: null, falseAlertsPerWeek: null, meanLeadMs: null });
  });
});
