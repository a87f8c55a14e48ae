import { describe, expect, it } from "vitest";
import type { Detector } from "../src/detect/detector.js";
import {
  LogHistogram,
  type VolumeSpikeConfig,
  type VolumeSpikeEstimate,
  volumeSpikeDetector,
} from "../src/detect/volume-spike.js";

const W = 300_000;
const HOUR = 3_600_000;
// Half-lives of one 5m window make every weight (and the peak's decay) exactly 1/2; no seasonal floor;
// one window of warm-up. The confirmation is off (peak_multiplier 0) unless a test turns it on.
const config = (input: object = {}) =>
  volumeSpikeDetector.schema.parse({
    smoothing: "5m",
    level_half_life: "5m",
    peak_half_life: "5m",
    sustained_smoothing: "5m",
    peak_multiplier: 0,
    floor_days: 0,
    warmup: "5m",
    ...input,
  });

/**
 * Learns 10 then 20:
 *   t0: expected 1 (nothing learned), S = 10, level = 10 (the first value is not capped); peak 10/1 = 10
 *   t1: expected 10, S = 10 + (20 - 10)/2 = 15, sf = 1.5 → history {ln 1.5 = 0.405: bin floor(6.405/.05) = 128};
 *       the 99th percentile is that bin, whose upper edge is -6 + 129 × .05 = .45: usual burst U = e^.45;
 *       the long smoothed factor is the same 1.5 here (same half-life): usual sustained factor e^.45;
 *       raw factor 20/10 = 2 → peak history {ln 2 = .693: bin 133}: usual peak e^(-6 + 134 × .05) = e^.7;
 *       held peak max(2, 10/2) = 5; learned as min(20, 1.5 × 10 + 3 = 18): level = 10 + (18 - 10)/2 = 14
 */
function learned(input: object = {}): Detector<VolumeSpikeConfig> {
  const detector = volumeSpikeDetector.create(config(input), { windowMs: W });
  detector.learn(0, 10, false);
  detector.learn(W, 20, false);
  return detector;
}

describe("volume_spike detector", () => {
  it("is not ready before the warm-up and a first usual burst are learned", () => {
    const detector = volumeSpikeDetector.create(config({ warmup: "10m" }), { windowMs: W });
    detector.learn(0, 10, false);
    expect(detector.evaluate(W, 1_000)).toMatchObject({ ready: false, score: 0 });
    detector.learn(W, 10, false);
    // two windows learned = the warm-up, but the history of smoothed factors starts only now
    const atWarmup = detector.evaluate(2 * W, 1_000);
    expect(atWarmup.ready).toBe(false);
    expect(detector.breaches(atWarmup, config())).toBe(false);
    detector.learn(2 * W, 10, false);
    expect(detector.evaluate(3 * W, 10).ready).toBe(true);
  });

  it("expects the capped level and smooths the volume with weight 1/2", () => {
    const estimate = learned().evaluate(2 * W, 50) as VolumeSpikeEstimate;
    // S = 15 + (50 - 15)/2 = 32.5 against the level 14
    expect(estimate.expected).toBe(14);
    expect(estimate.smoothed).toBe(32.5);
    expect(estimate.smoothedFactor).toBeCloseTo(32.5 / 14, 12);
    expect(estimate.factor).toBeCloseTo(50 / 14, 12);
    expect(estimate.score).toBeCloseTo(32.5 / 14 / Math.exp(0.45), 12);
    // ln(32.5/14) = .842 lies above the one learned value: p = (0 + 1)/(1 + 1)
    expect(estimate.pValue).toBe(0.5);
    expect(estimate.ready).toBe(true);
  });

  it("breaches at multiplier × the series' own usual burst and min_factor × expected", () => {
    const detector = learned();
    const thresholds = config();
    // sf = 2.32 is 1.48 × U = e^.45 = 1.568: under 1.6 and under 3
    expect(detector.breaches(detector.evaluate(2 * W, 50), thresholds)).toBe(false);
    // S = 15 + (100 - 15)/2 = 57.5, sf = 57.5/14 = 4.107 = 2.62 U
    const spike = detector.evaluate(2 * W, 100);
    expect(spike.score).toBeCloseTo(57.5 / 14 / Math.exp(0.45), 12);
    expect(detector.breaches(spike, thresholds)).toBe(true);
    expect(detector.breaches(spike, { ...thresholds, multiplier: 2.7 })).toBe(false);
    expect(detector.breaches(spike, { ...thresholds, min_factor: 4.2 })).toBe(false);
    expect(detector.breaches(spike, { ...thresholds, min_count: 101 })).toBe(false);
  });

  it("confirms a burst by a sharp peak or a sustained rise, each unusual for the series", () => {
    const detector = learned();
    // x = 100: raw 100/14 = 7.14 beats the held 5/2 = 2.5: peak score 7.14/e^.7 = 3.55;
    // sustained = score = 2.62 (same half-life)
    const spike = detector.evaluate(2 * W, 100) as VolumeSpikeEstimate;
    expect(spike.peakScore).toBeCloseTo(100 / 14 / Math.exp(0.7), 12);
    expect(spike.sustainedScore).toBeCloseTo(57.5 / 14 / Math.exp(0.45), 12);
    const gate = (input: object) => detector.breaches(spike, config(input));
    expect(gate({ peak_multiplier: 3.5, sustained_multiplier: 100 })).toBe(true);
    expect(gate({ peak_multiplier: 3.6, sustained_multiplier: 100 })).toBe(false);
    expect(gate({ peak_multiplier: 3.6, sustained_multiplier: 2.6 })).toBe(true);
    expect(gate({ peak_multiplier: 3.6, sustained_multiplier: 2.7 })).toBe(false);
    // the held peak halves each window: x = 14 (raw 1) still holds 2.5, a peak score of 2.5/e^.7
    expect((detector.evaluate(2 * W, 14) as VolumeSpikeEstimate).peakScore).toBeCloseTo(
      2.5 / Math.exp(0.7),
      12,
    );
  });

  it("takes its threshold from its own history: a calmer past makes a smaller burst news", () => {
    // learning 10 then 11: S = 10.5, sf = 1.05 → bin floor(6.0488/.05) = 120, U = e^(-6 + 121 × .05) = e^.05;
    // level = 10 + (11 - 10)/2 = 10.5
    const calm = volumeSpikeDetector.create(config(), { windowMs: W });
    calm.learn(0, 10, false);
    calm.learn(W, 11, false);
    // S = 10.5 + (70 - 10.5)/2 = 40.25, sf = 40.25/10.5 = 3.83 = 3.65 U: a breach here …
    const calmEstimate = calm.evaluate(2 * W, 70);
    expect(calmEstimate.score).toBeCloseTo(40.25 / 10.5 / Math.exp(0.05), 12);
    expect(calm.breaches(calmEstimate, config({ multiplier: 3 }))).toBe(true);
    // … while the burstier series (U = e^.45) needs more: S = 15 + (70 - 15)/2 = 42.5, sf = 3.04 = 1.94 U
    const bursty = learned().evaluate(2 * W, 70);
    expect(bursty.score).toBeCloseTo(42.5 / 14 / Math.exp(0.45), 12);
    expect(learned().breaches(bursty, config({ multiplier: 3 }))).toBe(false);
  });

  it("keeps excluded windows out of the level, the history and the warm-up, but keeps smoothing", () => {
    const excluded = learned();
    excluded.learn(2 * W, 100, true);
    // level still 14; S = 15 + (100 - 15)/2 = 57.5, then 57.5 + (14 - 57.5)/2 = 35.75
    const after = excluded.evaluate(3 * W, 14) as VolumeSpikeEstimate;
    expect(after.expected).toBe(14);
    expect(after.smoothed).toBe(35.75);
    expect(after.score).toBeCloseTo(35.75 / 14 / Math.exp(0.45), 12);
    // the held peak kept following the data: max(14/14, (100/14)/2) = 3.57, against the unchanged e^.7
    expect(after.peakScore).toBeCloseTo(100 / 14 / 2 / Math.exp(0.7), 12);
    // learned normally, 100 would enter as min(100, 1.5 × 14 + 3 = 24): level (14 + 24)/2 = 19
    const ordinary = learned();
    ordinary.learn(2 * W, 100, false);
    expect(ordinary.evaluate(3 * W, 14).expected).toBe(19);
    // the warm-up counts ordinary windows only
    const fresh = volumeSpikeDetector.create(config({ warmup: "10m" }), { windowMs: W });
    fresh.learn(0, 10, false);
    fresh.learn(W, 10, true);
    fresh.learn(2 * W, 10, false);
    expect(fresh.evaluate(3 * W, 10).ready).toBe(false);
  });

  it("evaluates without changing state", () => {
    const detector = learned();
    const once = detector.evaluate(2 * W, 50);
    detector.evaluate(2 * W, 5_000);
    expect(detector.evaluate(2 * W, 50)).toEqual(once);
  });

  it("expects the smallest same-hour mean of past days, and writes expected, not the crisis, there", () => {
    // Hourly windows, a floor over 1 day of hour ± 1; the level barely moves (half-life 1000 days).
    const detector = volumeSpikeDetector.create(
      config({ level_half_life: "1000d", floor_days: 1, floor_neighbours: 1, warmup: "1h" }),
      { windowMs: HOUR },
    );
    const day0 = (hour: number) => (hour >= 11 && hour <= 13 ? 100 : 1);
    for (let hour = 0; hour < 24; hour++) detector.learn(hour * HOUR, day0(hour), false);
    for (let hour = 0; hour < 12; hour++) detector.learn((24 + hour) * HOUR, 1, false);
    // day 1, 12:00: mean of yesterday's 11, 12, 13 h = 100; 11:00 would be (1 + 100 + 100)/3
    expect(detector.evaluate((24 + 12) * HOUR, 1).expected).toBe(100);
    // a crisis at 12:00 is excluded: the ring keeps 100 (expected), not 5 000
    detector.learn((24 + 12) * HOUR, 5_000, true);
    for (let hour = 13; hour < 36; hour++) detector.learn((24 + hour) * HOUR, 1, false);
    // day 2, 12:00: (1 + 100 + 1)/3 = 34
    expect(detector.evaluate((48 + 12) * HOUR, 1).expected).toBe(34);
  });

  it("stays quiet on a perfect square wave with the shipped defaults", () => {
    const defaults = volumeSpikeDetector.schema.parse({});
    const detector = volumeSpikeDetector.create(defaults, { windowMs: W });
    let breaches = 0;
    let ready = 0;
    for (let index = 0; index < 10 * 288; index++) {
      const value = index % 288 < 144 ? 20 : 80; // 12 h low, 12 h high, every day
      const estimate = detector.evaluate(index * W, value);
      if (estimate.ready) ready++;
      if (detector.breaches(estimate, defaults)) breaches++;
      detector.learn(index * W, value, false);
    }
    expect(ready).toBeGreaterThan(8 * 288);
    expect(breaches).toBe(0);
  });

  it("parses durations to milliseconds and refuses unknown keys", () => {
    expect(volumeSpikeDetector.schema.parse({})).toMatchObject({
      smoothing: 45 * 60_000,
      level_half_life: 86_400_000,
      warmup: 86_400_000,
      multiplier: 1.6,
      min_factor: 3,
      quantile: 0.99,
      peak_half_life: 3_600_000,
      peak_quantile: 0.999,
      peak_multiplier: 2.6,
      sustained_smoothing: 4 * 3_600_000,
      sustained_multiplier: 1.4,
    });
    expect(volumeSpikeDetector.schema.safeParse({ surprise: 1 }).success).toBe(false);
  });
});

describe("volume spike's log histogram", () => {
  it("moves its quantile bin incrementally to where a scan from bin 0 finds it, on random streams", () => {
    let state = 7;
    const next = () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 4_294_967_296;
    };
    for (const q of [0.5, 0.99, 0.999]) {
      const histogram = new LogHistogram(q);
      const scanned = new LogHistogram(q);
      for (let step = 0; step < 5_000; step++) {
        // Mostly small factors, now and then a jump far up or down, so the bin moves both ways.
        const value = step % 97 === 0 ? 10 ** (next() * 8 - 4) : 0.5 + next() * (1 + (step % 500) / 100);
        histogram.add(value);
        scanned.add(value);
        const target = q * scanned.size;
        let cumulative = 0;
        let edge = 0;
        for (; edge < scanned.counts.length - 1; edge++) {
          cumulative += scanned.counts[edge] as number;
          if (cumulative >= target) break;
        }
        expect(histogram.usual).toBe(-6 + (edge + 1) * 0.05);
      }
    }
  });
});
