// The feedback file: records survive a reopen, a torn last line is dropped and cut, a corrupt line
// names the file and line, and no file is created until the first feedback.
import { appendFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeedbackBook, readFeedback } from "../src/alerting/feedback-book.js";
import type { Alert } from "../src/model/index.js";

const T0 = Date.parse("2024-05-14T09:00:00Z");
const MIN = 60_000;

function alert(id: string, rule = "buzz/NegativeBuzz"): Alert {
  const measure = { time: T0, value: 5, expected: 1, factor: 5, score: 3 };
  return {
    id,
    fingerprint: `fp-${id}`,
    rule,
    name: rule.split("/")[1] ?? rule,
    labels: { brand: "kryptonite" },
    state: "firing",
    severity: "critical",
    activeAt: T0,
    firedAt: T0 + 5 * MIN,
    last: measure,
    peak: measure,
    annotations: {},
    flapping: false,
    history: [],
  };
}

const tempFile = async () =>
  join(await mkdtemp(join(tmpdir(), "tocsin-feedback-book-")), "data", "feedback.jsonl");

describe("FeedbackBook", () => {
  it("keeps every record across a reopen, per alert in order", async () => {
    const path = await tempFile();
    const book = await FeedbackBook.open(path);
    expect(existsSync(path)).toBe(false);
    await Promise.all([
      book.add(alert("a"), { verdict: "expected" }, T0 + MIN),
      book.add(alert("b"), { verdict: "false_alarm", by: "bo" }, T0 + 2 * MIN),
      book.add(alert("a"), { verdict: "real_crisis", note: "it grew" }, T0 + 3 * MIN),
    ]);
    await book.close();

    const reopened = await FeedbackBook.open(path);
    expect(reopened.list().map((r) => [r.alertId, r.verdict])).toEqual([
      ["a", "expected"],
      ["b", "false_alarm"],
      ["a", "real_crisis"],
    ]);
    expect(reopened.forAlert("a").map((r) => r.verdict)).toEqual(["expected", "real_crisis"]);
    expect(reopened.forAlert("a")[1]).toEqual({
      alertId: "a",
      fingerprint: "fp-a",
      rule: "buzz/NegativeBuzz",
      name: "NegativeBuzz",
      labels: { brand: "kryptonite" },
      activeAt: new Date(T0).toISOString(),
      firedAt: new Date(T0 + 5 * MIN).toISOString(),
      verdict: "real_crisis",
      note: "it grew",
      at: new Date(T0 + 3 * MIN).toISOString(),
    });
    expect(reopened.forAlert("c")).toEqual([]);
    await reopened.close();
  });

  it("drops a torn last line and cuts it, so the next record starts on a clean line", async () => {
    const path = await tempFile();
    const book = await FeedbackBook.open(path);
    await book.add(alert("a"), { verdict: "expected" }, T0);
    await book.close();
    await appendFile(path, '{"alertId":"b","rule":"buzz/Neg');

    const reopened = await FeedbackBook.open(path);
    expect(reopened.list().map((r) => r.alertId)).toEqual(["a"]);
    await reopened.add(alert("c"), { verdict: "false_alarm" }, T0 + MIN);
    await reopened.close();
    const lines = (await readFile(path, "utf8")).trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { alertId: string }).alertId)).toEqual(["a", "c"]);
  });

  it("refuses a corrupt line in the middle, naming the file and the line", async () => {
    const path = await tempFile();
    const book = await FeedbackBook.open(path);
    await book.add(alert("a"), { verdict: "expected" }, T0);
    await book.close();
    await appendFile(path, "not json\n");
    await appendFile(path, '{"alertId":"z","rule":"r","at":"x","verdict":"perhaps"}\n');
    await expect(readFeedback(path)).rejects.toThrow(`${path}:2: not a JSON feedback record`);
    await writeFile(path, '{"alertId":"z","rule":"r","at":"x","verdict":"perhaps"}\n');
    await expect(FeedbackBook.open(path)).rejects.toThrow(`${path}:1: a feedback record needs`);
  });

  it("refuses an invalid verdict without writing", async () => {
    const path = await tempFile();
    const book = await FeedbackBook.open(path);
    expect(await book.add(alert("a"), { verdict: "meh" }, T0)).toMatchObject({
      ok: false,
      error: /^verdict: /,
    });
    expect(book.list()).toEqual([]);
    expect(existsSync(path)).toBe(false);
    await book.close();
  });
});
