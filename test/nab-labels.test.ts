import { describe, expect, it } from "vitest";
import {
  loadNabLabelPoints,
  loadNabWindows,
  NabFileError,
  parseNabLabelPoints,
  parseNabTimestamp,
  parseNabWindows,
} from "../src/backtest/nab-labels.js";

const LABELS = new URL("../../shared/datasets/nab/labels/", import.meta.url);
const WINDOWS_FILE = new URL("combined_windows.json", LABELS);
const POINTS_FILE = new URL("combined_labels.json", LABELS);
const utc = (text: string) => Date.parse(`${text}Z`);

describe("NAB timestamps", () => {
  it("reads NAB's naive timestamps as UTC, with or without a fraction", () => {
    expect(parseNabTimestamp("2015-03-03 04:37:53.000000")).toBe(utc("2015-03-03T04:37:53"));
    expect(parseNabTimestamp("2015-03-03 04:37:53")).toBe(utc("2015-03-03T04:37:53"));
    expect(parseNabTimestamp("2015-03-03 04:37:53.250000")).toBe(utc("2015-03-03T04:37:53.250"));
  });

  it("refuses other shapes and impossible dates", () => {
    for (const text of [
      "2015-03-03T04:37:53",
      "2015-02-30 00:00:00",
      "2015-03-03 24:00:00",
      "2015-3-3 4:37:53",
    ]) {
      expect(parseNabTimestamp(text), text).toBeUndefined();
    }
  });
});

describe("NAB label files", () => {
  it("reads the shared combined_windows.json", async () => {
    const windows = await loadNabWindows(WINDOWS_FILE);
    expect(windows.size).toBe(16);
    expect(windows.get("artificialNoAnomaly/art_flatline.csv")).toEqual([]);
    const aapl = windows.get("realTweets/Twitter_volume_AAPL.csv");
    expect(aapl).toHaveLength(4);
    expect(aapl?.[0]).toEqual([utc("2015-03-03T04:37:53"), utc("2015-03-04T13:37:53")]);
    expect(windows.get("realTweets/Twitter_volume_GOOG.csv")).toHaveLength(3);
    expect([...windows.values()].reduce((sum, list) => sum + list.length, 0)).toBe(20);
  });

  it("reads the shared combined_labels.json", async () => {
    const points = await loadNabLabelPoints(POINTS_FILE);
    expect(points.size).toBe(16);
    expect(points.get("realTweets/Twitter_volume_GOOG.csv")).toHaveLength(4);
    expect(points.get("artificialWithAnomaly/art_daily_jumpsup.csv")).toEqual([utc("2014-04-11T09:00:00")]);
    expect([...points.values()].reduce((sum, list) => sum + list.length, 0)).toBe(21);
  });

  it("names the file, the key and the window of every bad entry", () => {
    const json = {
      "a.csv": [["2015-01-01 00:00:00", "yesterday"]],
      "b.csv": [["2015-01-02 00:00:00", "2015-01-01 00:00:00"]],
      "c.csv": "none",
    };
    const error = catchError(() => parseNabWindows(json, "w.json"));
    expect(error).toBeInstanceOf(NabFileError);
    expect(error.issues).toEqual([
      `"a.csv" window 0: "yesterday" is not a "YYYY-MM-DD HH:MM:SS[.ffffff]" timestamp`,
      `"b.csv" window 0: starts after it ends`,
      `"c.csv": expected a list of [start, end] windows`,
    ]);
    expect(error.message.split("\n")[0]).toMatch(/^w\.json: "a\.csv" window 0/);
  });

  it("refuses windows out of order and label lists that are not timestamps", () => {
    const unordered = {
      "a.csv": [
        ["2015-01-02 00:00:00", "2015-01-03 00:00:00"],
        ["2015-01-01 00:00:00", "2015-01-02 12:00:00"],
      ],
    };
    expect(() => parseNabWindows(unordered, "w.json")).toThrow(
      /"a\.csv" window 1: starts before window 0 ends/,
    );
    expect(() => parseNabLabelPoints({ "a.csv": [3] }, "l.json")).toThrow(/l\.json: "a\.csv" label 0/);
    expect(() => parseNabLabelPoints([], "l.json")).toThrow(/l\.json: expected an object/);
  });

  it("names the file when it is missing or not JSON", async () => {
    await expect(loadNabWindows("/nonexistent/windows.json")).rejects.toThrow(
      /^\/nonexistent\/windows\.json:/,
    );
  });
});

function catchError(run: () => unknown): NabFileError {
  try {
    run();
  } catch (error) {
    return error as NabFileError;
  }
  throw new Error("expected an error");
}
