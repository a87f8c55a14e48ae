// Backtests of series CSVs through the engine, and the NAB result files they write.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsvSeries } from "../src/backtest/csv-series.js";
import { writeNabResults } from "../src/backtest/report.js";
import { backtestConfig, backtestSeries } from "../src/backtest/run-backtest.js";
import { parseConfig } from "../src/config/load.js";

const RULES = `groups:
  - name: volume
    rules:
      - alert: Spike
        metric: mentions
        detector: { type: threshold, above: 50 }
        for: 5m
`;

async function fixture() {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-backtest-"));
  await writeFile(join(dir, "rules.yaml"), RULES);
  await mkdir(join(dir, "data", "sub"), { recursive: true });
  // 12 rows 5 minutes apart; rows 4-6 above 50 (for 5m: fires on row 5), row 9 alone (pending, no fire).
  const values = [10, 12, 9, 11, 60, 70, 65, 12, 10, 55, 11, 10];
  const lines = values.map((value, i) => {
    const minute = 42 + i * 5;
    const stamp = `2015-02-26 ${String(21 + Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}:53`;
    return `${stamp},${value}`;
  });
  const csv = join(dir, "data", "sub", "Twitter_volume_X.csv");
  await writeFile(csv, `timestamp,value\n${lines.join("\n")}\n`);
  const config = backtestConfig(parseConfig("", "t.yaml", {}), [join(dir, "rules.yaml")]);
  return { dir, csv, config };
}

describe("series backtest", () => {
  it("fires where the rule would have fired live, labelled by the file stem", async () => {
    const { csv, config } = await fixture();
    const result = await backtestSeries(
      config,
      await readCsvSeries(csv, "sub/Twitter_volume_X.csv"),
      "mentions",
    );
    expect([...result.firingRows]).toEqual([5]);
    expect(result.alerts).toHaveLength(1);
    expect(result.alerts[0]).toMatchObject({
      rule: "volume/Spike",
      labels: { series: "Twitter_volume_X" },
      value: 70,
      peak: 70,
    });
    expect(result.alerts[0]?.resolvedAt).toBeDefined();
  });

  it("writes NAB result CSVs at the input's relative path with anomaly_score 1 where an alert started firing", async () => {
    const { dir, csv, config } = await fixture();
    const result = await backtestSeries(
      config,
      await readCsvSeries(csv, "sub/Twitter_volume_X.csv"),
      "mentions",
    );
    await writeNabResults(join(dir, "out"), [result]);
    const lines = (await readFile(join(dir, "out", "sub", "Twitter_volume_X.csv"), "utf8"))
      .trim()
      .split("\n");
    expect(lines[0]).toBe("timestamp,value,anomaly_score");
    expect(lines[1]).toBe("2015-02-26 21:42:53,10,0");
    expect(lines.slice(1).map((line) => line.split(",")[2])).toEqual([
      "0",
      "0",
      "0",
      "0",
      "0",
      "1",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
    ]);
  });

  it("reports a malformed CSV row with its line", async () => {
    const { dir } = await fixture();
    const bad = join(dir, "bad.csv");
    await writeFile(bad, "timestamp,value\n2015-02-26 21:42:53,10\n2015-02-26 21:47:53,lots\n");
    await expect(readCsvSeries(bad, "bad.csv")).rejects.toThrow(`${bad}:3: value "lots" is not a number`);
  });
});
