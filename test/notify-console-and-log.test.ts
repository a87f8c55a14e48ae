// The built-in outputs: the console notifier (one readable line per event) and the JSON-lines alert log.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Alert } from "../src/model/index.js";
import { AlertLogNotifier } from "../src/notify/alert-log.js";
import { ConsoleNotifier } from "../src/notify/console.js";

const T = Date.parse("2026-03-06T12:10:00Z");
const alert: Alert = {
  id: "abc-1",
  fingerprint: "abc",
  rule: "negative-buzz/NegativeBuzzSpike",
  name: "NegativeBuzzSpike",
  labels: { brand: "kryptonite", channel: "all" },
  state: "firing",
  severity: "warning",
  activeAt: T + 300_000,
  firedAt: T + 300_000,
  last: { time: T, value: 412, expected: 46.2, factor: 8.92, score: 30, pValue: 1.2e-30 },
  peak: { time: T, value: 412, expected: 46.2, factor: 8.92, score: 30, pValue: 1.2e-30 },
  annotations: { summary: "kryptonite: 412 negative mentions in 5 min, about 9x the usual" },
  flapping: false,
  history: [
    { at: T + 300_000, event: "pending", severity: "warning", value: 412 },
    { at: T + 300_000, event: "firing", severity: "warning", value: 412 },
  ],
};

// The built-in outputs: the console notifier (one readable line per event) and the JSON-lines alert log.
describe("console notifier", () => {
  it("prints one readable line with the numbers and the summary under it, uncoloured off a terminal", async () => {
    let out = "";
    const notifier = new ConsoleNotifier({ write: (text) => void (out += text), color: false });
    expect(await notifier.send({ event: "firing", alert })).toEqual({ ok: true });
    expect(out).toBe(
      "FIRING    warning  negative-buzz/NegativeBuzzSpike  brand=kryptonite channel=all  412 (expected 46.2, ×8.9, p=1.2e-30)  2026-03-06 12:15 UTC\n" +
        "          kryptonite: 412 negative mentions in 5 min, about 9x the usual\n",
    );
  });

  it("colours the event word on a terminal", async () => {
    let out = "";
    await new ConsoleNotifier({ write: (text) => void (out += text), color: true }).send({
      event: "firing",
      alert,
    });
    expect(out).toContain("\u001b[");
  });

  it("prints an acknowledgement with who and their comment, a reminder as REMINDER, and Tocsin's note under the line", async () => {
    let out = "";
    const notifier = new ConsoleNotifier({ write: (text) => void (out += text), color: false });
    const acknowledged = { ...alert, acknowledged: { by: "alice", at: T + 600_000, comment: "on it" } };
    await notifier.send({ event: "acknowledged", alert: acknowledged, note: "escalation stopped" });
    await notifier.send({ event: "reminder", alert });
    expect(out.split("\n")).toEqual([
      "ACKED     warning  negative-buzz/NegativeBuzzSpike  brand=kryptonite channel=all  412 (expected 46.2, ×8.9, p=1.2e-30)  2026-03-06 12:20 UTC",
      "          note: escalation stopped",
      "          acknowledged by alice: on it",
      "          kryptonite: 412 negative mentions in 5 min, about 9x the usual",
      "REMINDER  warning  negative-buzz/NegativeBuzzSpike  brand=kryptonite channel=all  412 (expected 46.2, ×8.9, p=1.2e-30)  2026-03-06 12:15 UTC",
      "          kryptonite: 412 negative mentions in 5 min, about 9x the usual",
      "",
    ]);
  });

  it("shows control characters in alert text as escapes, so no text can restyle the terminal or forge a line", async () => {
    let out = "";
    const notifier = new ConsoleNotifier({ write: (text) => void (out += text), color: false });
    const hostile = { ...alert, annotations: { summary: "calm\u001b[2J\rFIRING fake" } };
    await notifier.send({ event: "firing", alert: hostile, note: "a\nb" });
    expect(out).not.toContain("\u001b");
    expect(out).toContain("calm\\u001b[2J\\u000dFIRING fake");
    expect(out).toContain("note: a\\u000ab");
    expect(out.split("\n")).toHaveLength(4);
  });

  it("previews the uncoloured text that send prints", async () => {
    let out = "";
    const notifier = new ConsoleNotifier({ write: (text) => void (out += text), color: false });
    const notification = { event: "firing" as const, alert, note: "a note" };
    await notifier.send(notification);
    expect(notifier.preview(notification)).toEqual({
      channel: "console",
      parts: [{ name: "line", content: out, kind: "text" }],
    });
  });
});

describe("JSON-lines alert log", () => {
  it("appends one JSON object per event, in order, without the history", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "tocsin-log-")), "alerts.jsonl");
    const log = new AlertLogNotifier(path);
    await log.send({ event: "firing", alert });
    const resolved = { ...alert, state: "resolved" as const, resolvedAt: T + 3_600_000 };
    resolved.history = [
      ...alert.history,
      { at: T + 3_600_000, event: "resolved", severity: "warning", value: 3 },
    ];
    await log.send({ event: "resolved", alert: resolved });
    await log.close();
    const lines = (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.event, line.at, line.alert.state])).toEqual([
      ["firing", "2026-03-06T12:15:00.000Z", "firing"],
      ["resolved", "2026-03-06T13:10:00.000Z", "resolved"],
    ]);
    expect(lines[0].alert.history).toBeUndefined();
  });

  it("records an acknowledgement at its own time, with who, and Tocsin's note when there is one", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "tocsin-log-")), "alerts.jsonl");
    const log = new AlertLogNotifier(path);
    const acknowledgement = { by: "alice", at: T + 600_000, comment: "on it" };
    await log.send({
      event: "acknowledged",
      alert: { ...alert, acknowledged: acknowledgement },
      note: "a note",
    });
    await log.send({ event: "reminder", alert });
    await log.close();
    const [acknowledged, reminder] = (await readFile(path, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(acknowledged).toMatchObject({
      event: "acknowledged",
      at: "2026-03-06T12:20:00.000Z",
      note: "a note",
      alert: { acknowledged: acknowledgement },
    });
    expect(reminder).toMatchObject({ event: "reminder", at: "2026-03-06T12:15:00.000Z" });
    expect(reminder.note).toBeUndefined();
  });
});
