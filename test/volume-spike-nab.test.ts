// The shipped volume-spike rule against NAB's labelled Twitter volumes, through the real engine and the
// NAB scorer: one configuration for every file, as a brand it has never seen would get it.
import { describe, expect, it } from "vitest";
import { evaluate } from "../src/backtest/evaluate.js";
import { loadNabLabelPoints, loadNabWindows } from "../src/backtest/nab-labels.js";
import { backtestConfig } from "../src/backtest/run-backtest.js";
import { parseConfig } from "../src/config/load.js";

const NAB = new URL("../../shared/datasets/nab/", import.meta.url).pathname;

describe("rules/volume-spike.yaml on NAB", () => {
  it("scores at least 85 (standard profile) on the five Twitter files and raises no alert on artificialNoAnomaly", async () => {
    const result = await evaluate({
      config: backtestConfig(parseConfig("", "t.yaml", {}), ["rules/volume-spike.yaml"]),
      data: `${NAB}data`,
      windows: await loadNabWindows(`${NAB}labels/combined_windows.json`),
      labels: await loadNabLabelPoints(`${NAB}labels/combined_labels.json`),
      metric: "mentions",
    });
    const group = (name: string) => result.groups.find((g) => g.name === name)!;
    expect(group("realTweets").files).toBe(5);
    expect(group("realTweets").scores.standard).toBeGreaterThanOrEqual(85);
    expect(group("artificialNoAnomaly").files).toBe(5);
    expect(group("artificialNoAnomaly").alerts).toBe(0);
  }, 60_000);
});
