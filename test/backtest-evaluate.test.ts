// `tocsin evaluate` end to end on a tiny hand-built corpus whose NAB scores are known by construction.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluate } from "../src/backtest/evaluate.js";
import { loadNabWindows } from "../src/backtest/nab-labels.js";
import { backtestConfig } from "../src/backtest/run-backtest.js";
import { renderEvaluation } from "../src/cli/evaluate.js";
import { parseConfig } from "../src/config/load.js";

const T0 = Date.parse("2015-03-01T00:00:00Z");
const stamp = (row: number) => new Date(T0 + row * 300_000).toISOString().slice(0, 19).replace("T", " ");

async function corpus() {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-evaluate-"));
  await mkdir(join(dir, "data", "spiky"), { recursive: true });
  await mkdir(join(dir, "data", "calm"), { recursive: true });
  // 1000 rows (probation 150). Spike on rows 500-509 inside the window rows 500-599: a threshold rule
  // with for: 0 fires on row 500, the window's first row, which NAB credits with exactly A_TP.
  const spiky = Array.from(
    { length: 1000 },
    (_, row) => `${stamp(row)},${row >= 500 && row < 510 ? 90 : 10}`,
  );
  const calm = Array.from({ length: 1000 }, (_, row) => `${stamp(row)},${10 + (row % 3)}`);
  await writeFile(join(dir, "data", "spiky", "a.csv"), `timestamp,value\n${spiky.join("\n")}\n`);
  await writeFile(join(dir, "data", "calm", "b.csv"), `timestamp,value\n${calm.join("\n")}\n`);
  await writeFile(
    join(dir, "windows.json"),
    JSON.stringify({ "spiky/a.csv": [[`${stamp(500)}.000000`, `${stamp(599)}.000000`]], "calm/b.csv": [] }),
  );
  await writeFile(
    join(dir, "rules.yaml"),
    "groups:\n  - name: v\n    rules:\n      - alert: Spike\n        metric: mentions\n        detector: { type: threshold, above: 50 }\n",
  );
  return dir;
}

describe("evaluate", () => {
  it("scores a detection at a window's first row as a perfect 100 and counts no alert on the calm file", async () => {
    const dir = await corpus();
    const result = await evaluate({
      config: backtestConfig(parseConfig("", "t.yaml", {}), [join(dir, "rules.yaml")]),
      data: join(dir, "data"),
      windows: await loadNabWindows(join(dir, "windows.json")),
      metric: "mentions",
    });
    const group = (name: string) => result.groups.find((g) => g.name === name)!;
    expect(group("spiky").scores).toEqual({
      standard: 100,
      reward_low_FP_rate: 100,
      reward_low_FN_rate: 100,
    });
    expect(group("spiky").metrics).toMatchObject({ windows: 1, windowsCaught: 1, falseAlerts: 0 });
    expect(group("calm")).toMatchObject({ alerts: 0, scores: { standard: null } });
    expect(group("all").scores.standard).toBe(100);
    const table = renderEvaluation(result);
    expect(table).toMatch(/^spiky\s+1\s+100\.0\s+100\.0\s+100\.0\s+1\/1\s+1\s+0\.00/m);
    expect(table).toMatch(/^calm\s+1\s+-\s+-\s+-\s+0\/0\s+0/m);
  });
});
