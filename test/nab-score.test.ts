import { describe, expect, it } from "vitest";
import { matchFile, nabProbationLength } from "../src/backtest/nab-match.js";
import { NAB_PROFILES } from "../src/backtest/nab-profiles.js";
import { normalisedScore, scaledSigmoid, scoreCorpus, scoreFile } from "../src/backtest/nab-score.js";

// Hand arithmetic uses the identity scaledSigmoid(y) = 2 / (1 + e^(5y)) - 1 = tanh(-2.5 y), so
//   maxTP = scaledSigmoid(-1) = tanh(2.5) = 0.986614.
// Every file below has 5-minute rows at t(i) = i * 300 000 ms. With 100 rows the probation is
// floor(0.15 * 100) = 15 rows (0..14 unscored).
const STEP = 300_000;
const t = (row: number) => row * STEP;
const { standard, reward_low_FP_rate: lowFp, reward_low_FN_rate: lowFn } = NAB_PROFILES;

function file(rows: number, windowRows: [number, number][], detectedRows: number[]) {
  const detected = new Set(detectedRows);
  return {
    timestamps: Array.from({ length: rows }, (_, i) => t(i)),
    detections: Array.from({ length: rows }, (_, i) => detected.has(i)),
    windows: windowRows.map(([first, last]) => [t(first), t(last)] as const),
  };
}

// Window A: rows 20..29 (W = 10); window B: rows 60..64 (W = 5).
const AB: [number, number][] = [
  [20, 29],
  [60, 64],
];

describe("NAB scaled sigmoid", () => {
  it("is ~0.987 at the window start, 0 at position 0, and clipped to -1 past 3", () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.986614, 6); // tanh(2.5)
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.848284, 6); // tanh(1.25)
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.986614, 6);
    expect(scaledSigmoid(3)).toBeCloseTo(-0.9999994, 7); // tanh(-7.5), not clipped yet
    expect(scaledSigmoid(3.000001)).toBe(-1);
  });
});

describe("NAB probation", () => {
  it("skips min(floor(0.15 rows), 750) rows", () => {
    expect(nabProbationLength(100)).toBe(15);
    expect(nabProbationLength(4032)).toBe(604); // floor(604.8)
    expect(nabProbationLength(15902)).toBe(750); // floor(2385.3) capped at 0.15 * 5000
  });
});

describe("NAB file score", () => {
  it("gives exactly A_TP for a detection on a window's first row", () => {
    // A: y = -(29 - 20 + 1) / 10 = -1 → tanh(2.5) * 1 / tanh(2.5) = 1. B missed: -1. S = 0.
    const result = scoreFile({ ...file(100, AB, [20]), profile: standard });
    expect(result.windowScores.map((w) => w.score)).toEqual([1, -1]);
    expect(result.windowScores[0]?.position).toBe(-1);
    expect(result.score).toBe(0);
    expect([result.windowsDetected, result.windowsMissed]).toEqual([1, 1]);
  });

  it("gives about 0.25 A_TP, not 0, for a detection on a window's last row", () => {
    // A: y = -(29 - 29 + 1) / 10 = -0.1 → tanh(0.25) / tanh(2.5) = 0.244919 / 0.986614 = 0.248242.
    const result = scoreFile({ ...file(100, [[20, 29]], [29]), profile: standard });
    expect(result.windowScores[0]?.position).toBeCloseTo(-0.1, 12);
    expect(result.score).toBeCloseTo(0.248242, 6);
  });

  it("credits only the first of two detections in a window", () => {
    // First at row 22: y = -(29 - 22 + 1) / 10 = -0.8 → tanh(2) / tanh(2.5) = 0.964028 / 0.986614
    // = 0.977107. Row 27 adds nothing (window part = max of row scores). Both are NAB tp rows.
    const result = scoreFile({ ...file(100, [[20, 29]], [22, 27]), profile: standard });
    expect(result.windowScores[0]?.detectionIndex).toBe(22);
    expect(result.score).toBeCloseTo(0.977107, 6);
    expect(result.tp).toBe(2);
  });

  it("charges -A_FN for a missed window, per profile", () => {
    const input = file(100, AB, []);
    expect(scoreFile({ ...input, profile: standard }).score).toBe(-2); // 2 windows x -1
    expect(scoreFile({ ...input, profile: lowFn }).score).toBe(-4); // 2 windows x -2
  });

  it("charges the full -A_FP for a false positive more than 3 (W - 1) rows after a window", () => {
    // After A (last row 29, W - 1 = 9): row 58 gives y = 29 / 9 = 3.22 > 3 → -1 → -0.11.
    // A and B missed: -2. S = -2.11.
    const result = scoreFile({ ...file(100, AB, [58]), profile: standard });
    expect(result.falsePositives).toMatchObject([{ index: 58, precedingWindow: 0, score: -0.11 }]);
    expect(result.score).toBeCloseTo(-2.11, 12);
  });

  it("charges less for a false positive right after a window", () => {
    // Row 30: y = |29 - 30| / (10 - 1) = 1/9 → tanh(-0.277778) = -0.270847; x 0.11 = -0.029793.
    const result = scoreFile({ ...file(100, [[20, 29]], [30]), profile: standard });
    expect(result.falsePositives[0]?.position).toBeCloseTo(1 / 9, 12);
    expect(result.falsePositives[0]?.score).toBeCloseTo(-0.029793, 6);
    expect(result.score).toBeCloseTo(-1 - 0.029793, 6);
  });

  it("charges the full -A_FP for a false positive before any window", () => {
    // Row 16 is after probation and before A: -1 x 0.22 = -0.22 under reward_low_FP_rate.
    const result = scoreFile({ ...file(100, [[20, 29]], [16]), profile: lowFp });
    expect(result.falsePositives).toMatchObject([{ index: 16, precedingWindow: null, position: null }]);
    expect(result.score).toBeCloseTo(-1.22, 12);
  });

  it("ignores detections in the probation period, in and out of windows", () => {
    // Rows 0..14 are probation. Window 10..24 straddles it: row 12 is ignored, row 16 is credited
    // with y = -(24 - 16 + 1) / 15 = -0.6 (position over the whole window) → tanh(1.5) / tanh(2.5)
    // = 0.905148 / 0.986614 = 0.917429. Row 3 (outside, in probation) costs nothing.
    const result = scoreFile({ ...file(100, [[10, 24]], [3, 12, 16]), profile: standard });
    expect(result.windowScores[0]?.detectionIndex).toBe(16);
    expect(result.score).toBeCloseTo(0.917429, 6);
    expect(result.falsePositives).toEqual([]);
    expect(result.probationRows).toBe(15);
  });

  it("does not score a window inside probation, but measures later false positives from it", () => {
    // Window 5..9 (W = 5) ends in probation: no -A_FN. Row 16: y = |9 - 16| / (5 - 1) = 1.75
    // → tanh(-4.375) = -0.999683; x 0.11 = -0.109965.
    const result = scoreFile({ ...file(100, [[5, 9]], [16]), profile: standard });
    expect(result.windowScores[0]).toMatchObject({ scored: false, score: 0 });
    expect(result.falsePositives[0]?.precedingWindow).toBe(0);
    expect(result.score).toBeCloseTo(-0.109965, 6);
    expect([result.nullScore, result.perfectScore]).toEqual([0, 1]);
  });

  it("counts rows as NAB does: tp, fn in windows, fp, tn outside, after probation", () => {
    // 85 scored rows (15..99); windows hold 15 of them. Detected: 20, 21 (A), 30, 58 (outside).
    const { tp, fn, fp, tn } = scoreFile({ ...file(100, AB, [2, 20, 21, 30, 58]), profile: standard });
    expect({ tp, fn, fp, tn }).toEqual({ tp: 2, fn: 13, fp: 2, tn: 68 });
  });

  it("takes the rows inside window bounds that fall between rows", () => {
    // Bounds 19.5 .. 29.5 steps hold rows 20..29, the same as window A.
    const input = file(100, [], [20]);
    const match = matchFile({ ...input, windows: [[t(19.5), t(29.5)]] });
    expect(match.windows[0]).toMatchObject({ firstIndex: 20, lastIndex: 29, rows: 10 });
  });

  it("refuses inconsistent input", () => {
    const input = file(100, AB, []);
    expect(() => scoreFile({ ...input, detections: [true], profile: standard })).toThrow(RangeError);
    const overlapping = [
      [t(20), t(30)],
      [t(30), t(40)],
    ] as const;
    expect(() => scoreFile({ ...input, windows: overlapping, profile: standard })).toThrow(/window 1/);
    expect(() =>
      scoreFile({ ...input, timestamps: input.timestamps.toReversed(), profile: standard }),
    ).toThrow(/ascending/);
  });
});

describe("NAB normalised score", () => {
  // File X: windows A, B; detections at 20 (A's first row), 30 (right after A), 58 (far after A).
  // File Y: no window; one detection at 50 (no preceding window).
  const x = file(100, AB, [20, 30, 58]);
  const y = file(100, [], [50]);
  const near = -0.270847; // scaledSigmoid(1/9), row 30
  const far = -1; // scaledSigmoid(29/9), clipped

  it("normalises the standard profile", () => {
    // X = 1 (A) - 1 (B) + 0.11 (near + far) = -0.139793; Y = -0.11; S = -0.249793.
    // S_perfect = 1 x 2 windows = 2, S_null = -1 x 2 = -2; 100 (S + 2) / 4 = 43.7552.
    const results = [x, y].map((f) => scoreFile({ ...f, profile: standard }));
    expect(results[0]?.score).toBeCloseTo(0.11 * (near + far), 6);
    const corpus = scoreCorpus(results, standard);
    expect(corpus).toMatchObject({ perfect: 2, null: -2 });
    expect(corpus.raw).toBeCloseTo(-0.249793, 6);
    expect(corpus.normalised).toBeCloseTo(43.7552, 4);
  });

  it("normalises reward_low_FP_rate", () => {
    // X = 0 + 0.22 (near + far) = -0.279586; Y = -0.22; S = -0.499586; 100 (S + 2) / 4 = 37.5103.
    const results = [x, y].map((f) => scoreFile({ ...f, profile: lowFp }));
    expect(normalisedScore(results, lowFp)).toBeCloseTo(37.5103, 4);
  });

  it("normalises reward_low_FN_rate", () => {
    // X = 1 - 2 + 0.11 (near + far) = -1.139793; Y = -0.11; S = -1.249793.
    // S_perfect = 2, S_null = -2 x 2 = -4; 100 (S + 4) / 6 = 45.8368.
    const results = [x, y].map((f) => scoreFile({ ...f, profile: lowFn }));
    expect(scoreCorpus(results, lowFn)).toMatchObject({ perfect: 2, null: -4 });
    expect(normalisedScore(results, lowFn)).toBeCloseTo(45.8368, 4);
  });

  it("gives 100 to a detector firing on each window's first row and 0 to one that never fires", () => {
    for (const profile of [standard, lowFp, lowFn]) {
      const perfect = [file(100, AB, [20, 60]), file(100, [], [])].map((f) => scoreFile({ ...f, profile }));
      const silent = [file(100, AB, []), file(100, [], [])].map((f) => scoreFile({ ...f, profile }));
      expect(normalisedScore(perfect, profile)).toBe(100);
      expect(normalisedScore(silent, profile)).toBe(0);
    }
  });

  it("refuses results scored with another profile, and a set without windows", () => {
    const results = [scoreFile({ ...x, profile: standard })];
    expect(() => normalisedScore(results, lowFp)).toThrow(/other weights/);
    expect(() => normalisedScore([scoreFile({ ...y, profile: standard })], standard)).toThrow(/undefined/);
  });
});
