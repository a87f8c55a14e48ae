// NAB v1.1 scoring of one file and normalisation over a set of files, reproducing numenta/NAB
// nab/sweeper.py (scaledSigmoid, Sweeper.calcSweepScore, calcScoreByThreshold, scoreDataSet) and
// nab/runner.py (Runner.normalize). Row/window matching and probation: see nab-match.ts.
//
// With weights (A_TP, A_FN, A_FP) from the profile, P probation rows, window k spanning rows
// first_k..last_k, W_k = last_k - first_k + 1:
//
//   scaledSigmoid(y) = -1                          if y > 3
//                    = 2 * sigmoid(-5y) - 1        otherwise, sigmoid(x) = 1 / (1 + e^-x)
//                    ( = 2 / (1 + e^(5y)) - 1 )
//   maxTP = scaledSigmoid(-1) = 0.98661...
//
// - Detected row i (i >= P) inside window k: relative position y = -(last_k - i + 1) / W_k, so
//   y = -1 on the window's first row and y = -1/W_k (not 0) on its last row.
//   Row score = scaledSigmoid(y) * A_TP / maxTP: exactly A_TP on the first row, about 0.86 * A_TP
//   at the centre, about 0 at the end.
// - Window k's score part = max(-A_FN, row scores of its detected rows i >= P). Every in-window row
//   score is > 0 and falls with i, so this is the score of the FIRST detection after probation, and
//   -A_FN when there is none. A window with no row >= P has no score part (contributes 0).
// - Detected row i (i >= P) outside every window, after preceding window k:
//   y = |last_k - i| / (W_k - 1), row score = scaledSigmoid(y) * A_FP, so -0.27 * A_FP on the row
//   right after a 10-row window and exactly -A_FP more than 3 * (W_k - 1) rows after it. With no
//   preceding window the row score is -1 * A_FP. (W_k = 1 divides by zero in NAB; here
//   y = +Infinity → -A_FP.)
//   Every such row counts; the fp part is their sum.
// - File score S = fp part + sum of window parts. Counts tp/fp/fn/tn are NAB's row counts.
//
// Normalisation over files (Runner.normalize):
//   S_perfect = A_TP * (number of windows in the label file)      — NAB's `tpCount * tpWeight`
//   S_null    = the null detector's raw score = -A_FN * (windows with a row >= P)
//   score     = 100 * (S - S_null) / (S_perfect - S_null),  S = sum of the files' raw scores.
// A detector firing on the first row of every window scores 100, one that never fires 0.
// NAB's published numbers also pick, per profile, the threshold that maximises S over the corpus;
// here the caller's detections are scored as given (one fixed threshold).
import type { NabCostMatrix } from "./nab-profiles.js";
import {
  matchFile,
  type NabFalsePositiveMatch,
  type NabFileInput,
  type NabFileMatch,
  type NabRowCounts,
  type NabWindowMatch,
} from "./nab-match.js";

/** NAB's scaledSigmoid, written as in nab/sweeper.py so doubles agree. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3.0) return -1.0;
  return 2 * sigmoid(-5 * relativePosition) - 1.0;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** scaledSigmoid(-1): the in-window score at a window's first row, scaled to A_TP. */
export const NAB_MAX_TP = scaledSigmoid(-1.0);

/** NAB's relative position of row `index` in a window of rows first..last: in [-1, -1/W]. */
export function positionInWindow(index: number, firstIndex: number, lastIndex: number): number {
  return -(lastIndex - index + 1) / (lastIndex - firstIndex + 1);
}

/** NAB's relative position of row `index` after a window that ended on `lastIndex` and had `rows` rows. */
export function positionPastWindow(index: number, lastIndex: number, rows: number): number {
  return rows > 1 ? Math.abs(lastIndex - index) / (rows - 1) : Infinity;
}

export interface NabWindowScore extends NabWindowMatch {
  /** Relative position of the credited detection, or null when none. */
  readonly position: number | null;
  /** Window's score part: A_TP-scaled credit, -A_FN for a miss, 0 when not scored. */
  readonly score: number;
}

export interface NabFalsePositive extends NabFalsePositiveMatch {
  /** Position past the preceding window, or null when there is none. */
  readonly position: number | null;
  /** A_FP * scaledSigmoid(position), or -A_FP with no preceding window. Always negative. */
  readonly score: number;
}

export interface NabFileScore extends NabRowCounts {
  readonly costMatrix: NabCostMatrix;
  /** NAB's raw score of the file. */
  readonly score: number;
  readonly rows: number;
  readonly probationRows: number;
  readonly windowScores: readonly NabWindowScore[];
  readonly falsePositives: readonly NabFalsePositive[];
  /** Scored windows with / without a credited detection. */
  readonly windowsDetected: number;
  readonly windowsMissed: number;
  /** This file's share of S_null and S_perfect. */
  readonly nullScore: number;
  readonly perfectScore: number;
}

/** Scores one file under one profile. */
export function scoreFile(input: NabFileInput & { readonly profile: NabCostMatrix }): NabFileScore {
  return scoreMatch(matchFile(input), input.profile);
}

/** Applies a profile's weights to a match; lets several profiles share one walk over the rows. */
export function scoreMatch(match: NabFileMatch, profile: NabCostMatrix): NabFileScore {
  checkWeights(profile);
  const { tpWeight, fnWeight, fpWeight } = profile;
  const windowScores = match.windows.map((window): NabWindowScore => {
    if (!window.scored) return { ...window, position: null, score: 0 };
    if (window.detectionIndex === null) return { ...window, position: null, score: -fnWeight };
    const position = positionInWindow(window.detectionIndex, window.firstIndex, window.lastIndex);
    return {
      ...window,
      position,
      score: Math.max(-fnWeight, (scaledSigmoid(position) * tpWeight) / NAB_MAX_TP),
    };
  });
  const falsePositives = match.falsePositives.map((fp): NabFalsePositive => {
    const before = fp.precedingWindow === null ? undefined : match.windows[fp.precedingWindow];
    if (!before) return { ...fp, position: null, score: -1.0 * fpWeight };
    const position = positionPastWindow(fp.index, before.lastIndex, before.rows);
    return { ...fp, position, score: scaledSigmoid(position) * fpWeight };
  });
  // NAB sums its "fp" part first, then the window parts in dict order; the order only moves the
  // last bits of the double, so windows are simply taken in time order.
  const fpPart = falsePositives.reduce((sum, fp) => sum + fp.score, 0);
  const scored = windowScores.filter((window) => window.scored);
  const detected = scored.filter((window) => window.detectionIndex !== null);
  const score = scored.reduce((sum, window) => sum + window.score, fpPart);
  return {
    costMatrix: { tpWeight, fnWeight, fpWeight },
    score,
    ...match.counts,
    rows: match.rows,
    probationRows: match.probationRows,
    windowScores,
    falsePositives,
    windowsDetected: detected.length,
    windowsMissed: scored.length - detected.length,
    nullScore: 0 - fnWeight * scored.length, // 0 - … so a file without windows gives 0, not -0
    perfectScore: tpWeight * match.windows.length,
  };
}

export interface NabCorpusScore extends NabRowCounts {
  /** S: sum of the files' raw scores. */
  readonly raw: number;
  readonly perfect: number;
  readonly null: number;
  /** 100 * (S - S_null) / (S_perfect - S_null). */
  readonly normalised: number;
}

/** Totals and normalises file scores that were all computed with `profile`. */
export function scoreCorpus(results: readonly NabFileScore[], profile: NabCostMatrix): NabCorpusScore {
  for (const [i, result] of results.entries()) {
    const { tpWeight, fnWeight, fpWeight } = result.costMatrix;
    if (tpWeight !== profile.tpWeight || fnWeight !== profile.fnWeight || fpWeight !== profile.fpWeight) {
      throw new RangeError(`file result ${i} was scored with other weights than this profile`);
    }
  }
  const total = (pick: (result: NabFileScore) => number) => results.reduce((sum, r) => sum + pick(r), 0);
  const raw = total((r) => r.score);
  const perfect = total((r) => r.perfectScore);
  const base = total((r) => r.nullScore);
  if (perfect === base) {
    throw new RangeError("no scored window: the normalised score is undefined (S_perfect = S_null)");
  }
  return {
    raw,
    perfect,
    null: base,
    normalised: (100 * (raw - base)) / (perfect - base),
    tp: total((r) => r.tp),
    fp: total((r) => r.fp),
    fn: total((r) => r.fn),
    tn: total((r) => r.tn),
  };
}

/** NAB's reported score over a set of files: 100 * (S - S_null) / (S_perfect - S_null). */
export function normalisedScore(results: readonly NabFileScore[], profile: NabCostMatrix): number {
  return scoreCorpus(results, profile).normalised;
}

function checkWeights({ tpWeight, fnWeight, fpWeight }: NabCostMatrix): void {
  for (const [name, weight] of Object.entries({ tpWeight, fnWeight, fpWeight })) {
    if (!(Number.isFinite(weight) && weight >= 0)) throw new RangeError(`${name} must be a number >= 0`);
  }
}
