// `tocsin evaluate --feedback`: each rule's precision from people's verdicts, as a table and as
// JSON, alone or beside the NAB scores. The file is written by hand with known verdicts.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { FeedbackRecord, Verdict } from "../src/alerting/feedback-book.js";
import { feedbackPrecision } from "../src/backtest/feedback-precision.js";
import type { EvaluateJson } from "../src/cli/evaluate.js";

const ROOT = new URL("..", import.meta.url).pathname;
const T0 = Date.parse("2024-05-14T09:00:00Z");
const MIN = 60_000;

function record(alertId: string, rule: string, verdict: Verdict, minute: number): FeedbackRecord {
  return {
    alertId,
    fingerprint: `fp-${alertId}`,
    rule,
    name: rule.split("/")[1] ?? rule,
    labels: { brand: "kryptonite" },
    activeAt: new Date(T0).toISOString(),
    verdict,
    at: new Date(T0 + minute * MIN).toISOString(),
  };
}

/**
 * buzz/Spike: a1 real, a2 real, a3 false alarm, a4 expected → 2 / (2 + 1).
 * buzz/Share: b1 false alarm then real (the later verdict counts), b2 false alarm → 1 / (1 + 1).
 * launch/Volume: c1 expected only → no precision.
 * all: 3 real, 2 false alarms → 3 / 5.
 */
const RECORDS: FeedbackRecord[] = [
  record("a1", "buzz/Spike", "real_crisis", 1),
  record("a2", "buzz/Spike", "real_crisis", 2),
  record("b1", "buzz/Share", "false_alarm", 3),
  record("a3", "buzz/Spike", "false_alarm", 4),
  record("a4", "buzz/Spike", "expected", 5),
  record("b2", "buzz/Share", "false_alarm", 6),
  record("c1", "launch/Volume", "expected", 7),
  record("b1", "buzz/Share", "real_crisis", 8),
];

const EXPECTED = [
  { rule: "buzz/Share", alerts: 2, real: 1, expected: 0, falseAlarms: 1, precision: 0.5 },
  { rule: "buzz/Spike", alerts: 4, real: 2, expected: 1, falseAlarms: 1, precision: 2 / 3 },
  { rule: "launch/Volume", alerts: 1, real: 0, expected: 1, falseAlarms: 0, precision: null },
  { rule: "all", alerts: 7, real: 3, expected: 2, falseAlarms: 2, precision: 0.6 },
];

async function feedbackFile(records: readonly FeedbackRecord[] = RECORDS): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-evaluate-feedback-"));
  const path = join(dir, "feedback.jsonl");
  await writeFile(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return path;
}

const tocsin = (args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "evaluate", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });

describe("tocsin evaluate --feedback", () => {
  it("reports each rule's exact precision from the latest verdict per alert, in JSON", async () => {
    const run = tocsin(["--feedback", await feedbackFile(), "--format", "json"]);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as EvaluateJson;
    expect(json.groups).toBeUndefined();
    expect(json.feedback?.rules).toEqual(EXPECTED);
    expect(json.feedback?.note).toMatch(/expected alerts count as neither/);
  });

  it("prints the same as a table, with the rule for expected alerts spelled out", async () => {
    const run = tocsin(["--feedback", await feedbackFile()]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^rule\s+alerts\s+real\s+expected\s+false alarms\s+precision$/);
    expect(lines.slice(1, 5).map((line) => line.split(/\s{2,}/))).toEqual([
      ["buzz/Share", "2", "1", "0", "1", "50%"],
      ["buzz/Spike", "4", "2", "1", "1", "67%"],
      ["launch/Volume", "1", "0", "1", "0", "-"],
      ["all", "7", "3", "2", "2", "60%"],
    ]);
    expect(lines[5]).toBe(
      "precision = real / (real + false alarms), from each alert's latest verdict; expected alerts count as neither",
    );
  });

  it("takes the later line when two verdicts on one alert share a time", () => {
    const tie = [record("x", "r/A", "false_alarm", 1), record("x", "r/A", "real_crisis", 1)];
    expect(feedbackPrecision(tie).rules[0]).toMatchObject({ real: 1, falseAlarms: 0, precision: 1 });
  });

  it("adds the feedback beside the NAB scores when given with --data and --labels", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-evaluate-both-"));
    await mkdir(join(dir, "data", "calm"), { recursive: true });
    const stamp = (row: number) => new Date(T0 + row * 300_000).toISOString().slice(0, 19).replace("T", " ");
    const rows = Array.from({ length: 300 }, (_, row) => `${stamp(row)},10`);
    await writeFile(join(dir, "data", "calm", "b.csv"), `timestamp,value\n${rows.join("\n")}\n`);
    await writeFile(join(dir, "windows.json"), JSON.stringify({ "calm/b.csv": [] }));
    await writeFile(
      join(dir, "rules.yaml"),
      "groups:\n  - name: v\n    rules:\n      - alert: Spike\n        metric: mentions\n        detector: { type: threshold, above: 50 }\n",
    );
    const args = ["--rules", join(dir, "rules.yaml"), "--data", join(dir, "data")];
    const run = tocsin([
      ...args,
      "--labels",
      join(dir, "windows.json"),
      "--feedback",
      await feedbackFile(),
      "--format",
      "json",
    ]);
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout) as EvaluateJson;
    expect(json.groups?.map((group) => group.name)).toEqual(["calm", "all"]);
    expect(json.feedback?.rules).toEqual(EXPECTED);
  });

  it("refuses to run with nothing to evaluate, or --data without --labels", async () => {
    const nothing = tocsin([]);
    expect(nothing.status).toBe(1);
    expect(nothing.stderr).toMatch(/nothing to evaluate/);
    const half = tocsin(["--data", "x", "--feedback", await feedbackFile()]);
    expect(half.status).toBe(1);
    expect(half.stderr).toMatch(/--data and --labels go together, with --rules/);
  });
});
