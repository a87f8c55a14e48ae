// Matches one file's per-row detections against its labelled windows the way NAB's
// Sweeper.calcSweepScore walks the rows (numenta/NAB v1.1, nab/sweeper.py). Weight-free: the
// profile is applied in nab-score.ts, and nab-metrics.ts reads the same match.
//
// Rules, with n rows indexed 0..n-1:
// - Probation: P = min(floor(0.15 * n), 0.15 * 5000) (`_getProbationaryLength`; 0.15 * 5000 is
//   exactly 750 in doubles). Rows i < P are tagged "probationary" and dropped before scoring: they
//   count nowhere (not in tp/fp/fn/tn, no window credit, no false positive).
// - Windows: [start, end], both inclusive. NAB enters a window on the row whose timestamp equals
//   `start` and leaves it after the row equal to `end`. Here window k covers rows first_k..last_k
//   with first_k = first row at or after start and last_k = last row at or before end, which is
//   the same rows when the bounds are row timestamps (always so in NAB's label files).
//   W_k = last_k - first_k + 1 rows (NAB's `curWindowWidth`).
// - A window is scored only when it holds a row i >= P (NAB keys its score part on the window
//   names of the rows that survive probation). A window holding no row at all is never entered.
// - A row outside every window is measured from the preceding window, the last one with
//   last_k < i, whether or not that window was scored (NAB's `prevWindowRightIndex` is set on every
//   window exit, probation or not).
// - Counts are NAB's row counts over rows i >= P: tp = detected rows in a window, fn = undetected
//   rows in a window, fp = detected rows outside, tn = undetected rows outside.
import type { NabWindow } from "./nab-labels.js";

/** NAB's `probationaryPercent` default (nab/runner.py, run.py). */
export const NAB_PROBATION_PERCENT = 0.15;

/** Rows of a file NAB does not score: min(floor(p * rows), p * 5000). */
export function nabProbationLength(rows: number, probationPercent = NAB_PROBATION_PERCENT): number {
  return Math.min(Math.floor(probationPercent * rows), probationPercent * 5000);
}

export interface NabFileInput {
  /** Epoch ms per row, strictly ascending. */
  readonly timestamps: readonly number[];
  /** Whether the detector fired on each row (NAB: anomaly score >= threshold). */
  readonly detections: readonly boolean[];
  /** Labelled windows, in time order, not overlapping. */
  readonly windows: readonly NabWindow[];
  /** Defaults to NAB's 0.15. */
  readonly probationPercent?: number;
}

export interface NabWindowMatch {
  /** Window bounds as given, epoch ms. */
  readonly start: number;
  readonly end: number;
  /** First and last row inside the window (inclusive); rows = 0 when it holds none. */
  readonly firstIndex: number;
  readonly lastIndex: number;
  readonly rows: number;
  /** Holds at least one row after probation, so NAB scores it. */
  readonly scored: boolean;
  /** First detected row after probation, or null: the only detection NAB credits. */
  readonly detectionIndex: number | null;
  readonly detectionTime: number | null;
}

export interface NabFalsePositiveMatch {
  readonly index: number;
  readonly time: number;
  /** Index into `windows` of the last window ending before this row, or null when none does. */
  readonly precedingWindow: number | null;
}

export interface NabRowCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface NabFileMatch {
  readonly rows: number;
  readonly probationRows: number;
  readonly windows: readonly NabWindowMatch[];
  readonly falsePositives: readonly NabFalsePositiveMatch[];
  readonly counts: NabRowCounts;
}

/** Walks the rows once; throws RangeError on inconsistent input rather than guessing. */
export function matchFile(input: NabFileInput): NabFileMatch {
  const { timestamps, detections, windows } = input;
  checkInput(input);
  const rows = timestamps.length;
  const probation = nabProbationLength(rows, input.probationPercent);
  const ranges = windows.map(([start, end]) => {
    const firstIndex = lowerBound(timestamps, start);
    const lastIndex = lowerBound(timestamps, end, true) - 1;
    return { firstIndex, lastIndex, rows: Math.max(0, lastIndex - firstIndex + 1) };
  });
  const firstDetection: (number | null)[] = windows.map(() => null);
  const falsePositives: NabFalsePositiveMatch[] = [];
  let [tp, fp, fn, tn] = [0, 0, 0, 0];
  let next = 0; // the first window whose last row is at or after i
  let preceding: number | null = null;
  for (let i = 0; i < rows; i++) {
    for (let range = ranges[next]; range && (range.rows === 0 || range.lastIndex < i); range = ranges[next]) {
      if (range.rows > 0) preceding = next;
      next++;
    }
    if (i < probation) continue;
    const current = ranges[next];
    const inside = current !== undefined && current.firstIndex <= i;
    const detected = detections[i] === true;
    if (inside) {
      if (!detected) fn++;
      else {
        tp++;
        firstDetection[next] ??= i;
      }
    } else if (!detected) tn++;
    else {
      fp++;
      falsePositives.push({ index: i, time: timestamps[i] as number, precedingWindow: preceding });
    }
  }
  return {
    rows,
    probationRows: Math.min(rows, Math.ceil(probation)),
    windows: windows.map(([start, end], k) => {
      const range = ranges[k] as (typeof ranges)[number];
      const detectionIndex = firstDetection[k] ?? null;
      return {
        start,
        end,
        ...range,
        scored: range.rows > 0 && range.lastIndex >= probation,
        detectionIndex,
        detectionTime: detectionIndex === null ? null : (timestamps[detectionIndex] as number),
      };
    }),
    falsePositives,
    counts: { tp, fp, fn, tn },
  };
}

function checkInput({ timestamps, detections, windows, probationPercent }: NabFileInput): void {
  if (detections.length !== timestamps.length) {
    throw new RangeError(`${detections.length} detections for ${timestamps.length} timestamps`);
  }
  timestamps.forEach((time, i) => {
    if (!Number.isFinite(time)) throw new RangeError(`timestamp ${i} is not a finite number`);
    if (i > 0 && time <= (timestamps[i - 1] as number)) {
      throw new RangeError(`timestamps must be strictly ascending (row ${i})`);
    }
  });
  windows.forEach(([start, end], k) => {
    if (!(start <= end)) throw new RangeError(`window ${k} starts after it ends`);
    const previous = windows[k - 1];
    if (previous && start <= previous[1]) {
      throw new RangeError(`window ${k} starts before window ${k - 1} ends (windows must be in order)`);
    }
  });
  if (probationPercent !== undefined && !(probationPercent >= 0 && probationPercent <= 1)) {
    throw new RangeError(`probationPercent must be within [0, 1], got ${probationPercent}`);
  }
}

/** First index whose value is >= target (or > target when `after`). */
function lowerBound(sorted: readonly number[], target: number, after = false): number {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    const value = sorted[mid] as number;
    if (value < target || (after && value === target)) low = mid + 1;
    else high = mid;
  }
  return low;
}
