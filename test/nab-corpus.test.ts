import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { loadNabWindows, parseNabTimestamp, type NabWindow } from "../src/backtest/nab-labels.js";
import { matchFile } from "../src/backtest/nab-match.js";
import { NAB_PROFILES } from "../src/backtest/nab-profiles.js";
import { normalisedScore, scoreFile } from "../src/backtest/nab-score.js";

// The shared NAB subset end to end: NAB's scoreboard puts its "Perfect" detector at 100 and its
// "Null" detector at 0 on every profile; the same must hold here on these 16 files.
const NAB = new URL("../../shared/datasets/nab/", import.meta.url);

async function loadCorpus(): Promise<
  { path: string; timestamps: number[]; windows: readonly NabWindow[] }[]
> {
  const windows = await loadNabWindows(new URL("labels/combined_windows.json", NAB));
  return Promise.all(
    [...windows].map(async ([path, list]) => {
      const text = await readFile(new URL(`data/${path}`, NAB), "utf8");
      const timestamps = text
        .trim()
        .split("\n")
        .slice(1)
        .map((line) => parseNabTimestamp(line.slice(0, line.indexOf(","))) as number);
      return { path, timestamps, windows: list };
    }),
  );
}

describe("NAB scoring of the shared subset", () => {
  it("finds every window bound on a row and the probation lengths of the README", async () => {
    for (const { path, timestamps, windows } of await loadCorpus()) {
      const rows = new Set(timestamps);
      expect(
        windows.flat().every((bound) => rows.has(bound)),
        path,
      ).toBe(true);
      const match = matchFile({ timestamps, detections: timestamps.map(() => false), windows });
      expect(match.probationRows, path).toBe(path.startsWith("realTweets/") ? 750 : 604);
      expect(
        match.windows.every((window) => window.scored),
        path,
      ).toBe(true);
    }
  });

  it("scores a detector firing on each window's first row 100, and a silent one 0", async () => {
    const corpus = await loadCorpus();
    for (const profile of Object.values(NAB_PROFILES)) {
      const perfect = corpus.map(({ timestamps, windows }) => {
        const starts = new Set(windows.map(([start]) => start));
        return scoreFile({
          timestamps,
          detections: timestamps.map((time) => starts.has(time)),
          windows,
          profile,
        });
      });
      const silent = corpus.map(({ timestamps, windows }) =>
        scoreFile({ timestamps, detections: timestamps.map(() => false), windows, profile }),
      );
      expect(perfect.reduce((sum, result) => sum + result.score, 0)).toBe(20 * profile.tpWeight);
      expect(normalisedScore(perfect, profile)).toBe(100);
      expect(silent.reduce((sum, result) => sum + result.score, 0)).toBe(-20 * profile.fnWeight);
      expect(normalisedScore(silent, profile)).toBe(0);
    }
  });
});
