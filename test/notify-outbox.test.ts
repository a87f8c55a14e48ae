import { readFileSync } from "node:fs";
import { appendFile, mkdtemp, readFile, rm, truncate } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PageEvent } from "../src/model/index.js";
import type { Notification, Notifier, Receipt, SendResult } from "../src/notify/notifier.js";
import { Outbox } from "../src/notify/outbox.js";
import type { OutboxOptions } from "../src/notify/outbox.js";
import { ManualScheduler } from "../src/notify/outbox-scheduler.js";
import { RetryPolicy } from "../src/notify/retry-policy.js";
import { ManualClock } from "../src/util/clock.js";
import { contractAlert } from "./helpers/notifier-contract.js";

const T = Date.parse("2026-03-06T12:15:00Z");
const unavailable: SendResult = { ok: false, retryable: true, error: "503 Service Unavailable" };
const badRequest: SendResult = { ok: false, retryable: false, error: "400 invalid_blocks" };

type Step = SendResult | "hang";

interface Call {
  at: number;
  incident: string;
  event: PageEvent;
  thread?: Receipt;
}

/** Records every send; answers from its script, then succeeds with receipt {ts: "<n>"}. */
class ScriptedNotifier implements Notifier {
  readonly calls: Call[] = [];
  constructor(
    readonly name: string,
    private readonly clock: ManualClock,
    readonly script: Step[] = [],
    private readonly onSend: (notification: Notification) => void = () => {},
  ) {}
  send(notification: Notification): Promise<SendResult> {
    this.onSend(notification);
    const { alert, event, thread } = notification;
    this.calls.push({ at: this.clock.now(), incident: alert.id, event, ...(thread && { thread }) });
    const step = this.script.shift() ?? { ok: true, receipt: { ts: String(this.calls.length) } };
    return step === "hang" ? new Promise(() => {}) : Promise.resolve(step);
  }
}

function note(incident: string, event: Notification["event"]): Notification {
  return { event, alert: contractAlert({ id: incident, fingerprint: incident.split("-")[0] ?? incident }) };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-outbox-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const journalPath = () => join(dir, "outbox.jsonl");
const journalLines = async () => (await readFile(journalPath(), "utf8")).split("\n").filter(Boolean);

/** An outbox on a manual clock; `advance(ms)` fires due retry timers and lets their sends finish. */
async function start(
  script: Step[] = [],
  options: Partial<OutboxOptions> & { onSend?: (n: Notification) => void } = {},
) {
  const clock = new ManualClock(T);
  const scheduler = new ManualScheduler(clock);
  const slack = new ScriptedNotifier("slack", clock, script, options.onSend);
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const outbox = new Outbox({
    dir,
    notifiers: new Map([["slack", slack]]),
    clock,
    scheduler,
    random: () => 0.5,
    policy: new RetryPolicy({ baseMs: 1_000, maxMs: 60_000 }),
    log: (_level, message, fields) => logs.push({ message, fields }),
    ...options,
  });
  await outbox.open();
  await outbox.quiet();
  const advance = (ms: number) => scheduler.advance(clock.now() + ms, () => outbox.quiet());
  return { clock, scheduler, slack, outbox, logs, advance };
}

describe("outbox sending", () => {
  it("writes the notification to the journal, fsync'd, before the channel sees it", async () => {
    const seen: string[] = [];
    const { outbox } = await start([], { onSend: () => seen.push(readFileSync(journalPath(), "utf8")) });
    const seq = await outbox.enqueue("slack", note("a-1", "firing"));
    await outbox.quiet();
    expect(seq).toBe(1);
    expect(seen).toHaveLength(1);
    expect(JSON.parse(seen[0] ?? "")).toMatchObject({
      t: "enqueue",
      seq: 1,
      receiver: "slack",
      incident: "a-1",
    });
    expect(outbox.depth()).toBe(0);
    expect(outbox.counters).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect((await journalLines()).map((line) => JSON.parse(line).t)).toEqual(["enqueue", "done"]);
    await outbox.close();
  });

  it("keeps each incident in order under failures: the resolve waits for its trigger, other incidents go on", async () => {
    // answers in call order: a-1 firing fails, b-1 firing succeeds, a-1's first retry fails again
    const { slack, outbox, advance } = await start([unavailable, { ok: true }, unavailable]);
    await outbox.enqueue("slack", note("a-1", "firing"));
    await outbox.enqueue("slack", note("a-1", "resolved"));
    await outbox.enqueue("slack", note("b-1", "firing"));
    await outbox.quiet();
    expect(slack.calls.map((c) => `${c.incident} ${c.event}`)).toEqual(["a-1 firing", "b-1 firing"]);
    expect(outbox.depth()).toBe(2);
    await advance(10_000);
    expect(slack.calls.map((c) => `${c.incident} ${c.event}`)).toEqual([
      "a-1 firing",
      "b-1 firing",
      "a-1 firing",
      "a-1 firing",
      "a-1 resolved",
    ]);
    expect(outbox.counters).toEqual({ sent: 3, failed: 0, retried: 2 });
    await outbox.close();
  });

  it("backs off exponentially with jitter from the injected random", async () => {
    const { slack, outbox, advance } = await start([unavailable, unavailable, unavailable]);
    await outbox.enqueue("slack", note("a-1", "firing"));
    await outbox.quiet();
    await advance(60_000);
    // random 0.5 × caps 1000, 2000, 4000
    expect(slack.calls.map((c) => c.at - T)).toEqual([0, 500, 1_500, 3_500]);
    await outbox.close();
  });

  it("waits out a 429's Retry-After before trying again", async () => {
    const { slack, outbox, advance } = await start([
      { ok: false, retryable: true, retryAfterMs: 30_000, error: "429 Too Many Requests" },
    ]);
    await outbox.enqueue("slack", note("a-1", "firing"));
    await outbox.quiet();
    await advance(29_999);
    expect(slack.calls).toHaveLength(1);
    await advance(1);
    expect(slack.calls.map((c) => c.at - T)).toEqual([0, 30_000]);
    expect(outbox.depth()).toBe(0);
    await outbox.close();
  });

  it("records a fatal failure once, does not retry it, and sends the incident's next message", async () => {
    const { slack, outbox, advance, logs } = await start([badRequest]);
    await outbox.enqueue("slack", note("a-1", "firing"));
    await outbox.enqueue("slack", note("a-1", "resolved"));
    await outbox.quiet();
    await advance(600_000);
    expect(slack.calls.map((c) => c.event)).toEqual(["firing", "resolved"]);
    expect(outbox.counters).toEqual({ sent: 1, failed: 1, retried: 0 });
    expect((await journalLines()).map((line) => JSON.parse(line))).toContainEqual({
      t: "failed",
      seq: 1,
      error: "400 invalid_blocks",
      attempts: 1,
      fatal: true,
    });
    expect(logs.map((l) => l.message)).toContain("notification given up");
    await outbox.close();
  });

  it("threads an incident's later messages under the receipt of its first successful send", async () => {
    const { slack, outbox, advance } = await start([
      unavailable, // a-1 firing
      { ok: true, receipt: { channel: "C1", ts: "111.1" } }, // b-1 firing, meanwhile
      { ok: true, receipt: { channel: "C1", ts: "222.2" } }, // a-1 firing, retried
    ]);
    await outbox.enqueue("slack", note("a-1", "firing"));
    await outbox.enqueue("slack", note("a-1", "escalated"));
    await outbox.enqueue("slack", note("b-1", "firing"));
    await outbox.quiet();
    await advance(5_000);
    await outbox.enqueue("slack", note("a-1", "resolved"));
    await outbox.quiet();
    const a = slack.calls.filter((c) => c.incident === "a-1");
    expect(a.map((c) => [c.event, c.thread])).toEqual([
      ["firing", undefined],
      ["firing", undefined],
      ["escalated", { channel: "C1", ts: "222.2" }],
      ["resolved", { channel: "C1", ts: "222.2" }],
    ]);
    expect(slack.calls.find((c) => c.incident === "b-1")?.thread).toBeUndefined();
    await outbox.close();
  });

  it("refuses an unknown receiver before writing anything", async () => {
    const { outbox } = await start();
    await expect(outbox.enqueue("pager", note("a-1", "firing"))).rejects.toThrow('no receiver named "pager"');
    expect(await journalLines()).toEqual([]);
    await outbox.close();
  });

  it("drain gives up after its timeout while a channel keeps failing, and close cancels the retry", async () => {
    const { slack, outbox, scheduler, clock } = await start(Array(100).fill(unavailable));
    await outbox.enqueue("slack", note("a-1", "firing"));
    await outbox.quiet();
    const drained = outbox.drain(5_000);
    await scheduler.advance(clock.now() + 5_000, () => outbox.quiet());
    expect(await drained).toBe(false);
    const calls = slack.calls.length;
    await outbox.close();
    await scheduler.advance(clock.now() + 600_000);
    expect(slack.calls).toHaveLength(calls);
    expect(outbox.depth()).toBe(1);
  });
});

describe("outbox restart", () => {
  it("delivers what a crash left pending exactly once, in order, and never re-sends what was done", async () => {
    const first = await start([{ ok: true, receipt: { ts: "1.0" } }, "hang", "hang"]);
    await first.outbox.enqueue("slack", note("a-1", "firing"));
    await first.outbox.quiet();
    await first.outbox.enqueue("slack", note("a-1", "escalated"));
    await first.outbox.enqueue("slack", note("a-1", "resolved"));
    await first.outbox.enqueue("slack", note("b-1", "firing"));
    await first.outbox.flush();
    // Crash: the escalation is in flight, nothing is closed.
    expect(first.slack.calls.map((c) => `${c.incident} ${c.event}`)).toEqual([
      "a-1 firing",
      "a-1 escalated",
      "b-1 firing",
    ]);

    const second = await start();
    await second.outbox.drain(1_000);
    const sent = (incident: string) =>
      second.slack.calls.filter((c) => c.incident === incident).map((c) => [c.event, c.thread]);
    expect(sent("a-1")).toEqual([
      ["escalated", { ts: "1.0" }],
      ["resolved", { ts: "1.0" }],
    ]);
    expect(sent("b-1")).toEqual([["firing", undefined]]);
    expect(second.outbox.depth()).toBe(0);
    await second.outbox.close();

    const third = await start();
    await third.outbox.drain(1_000);
    expect(third.slack.calls).toEqual([]);
    await third.outbox.close();
  });

  it("gives up on a pending message whose receiver is gone from the config after a restart", async () => {
    const first = await start(["hang"]);
    await first.outbox.enqueue("slack", note("a-1", "firing"));
    await first.outbox.flush();
    const second = await start([], { notifiers: new Map() });
    await second.outbox.drain(1_000);
    expect(second.outbox.depth()).toBe(0);
    expect(second.outbox.counters.failed).toBe(1);
    expect(second.logs.find((l) => l.message === "notification given up")?.fields).toMatchObject({
      receiver: "slack",
      error: 'no receiver named "slack"',
    });
    await second.outbox.close();
  });

  it("keeps the attempt count across a restart", async () => {
    const first = await start([unavailable, unavailable]);
    await first.outbox.enqueue("slack", note("a-1", "firing"));
    await first.outbox.quiet();
    await first.advance(500);
    // crash while waiting for the third attempt (2 failures so far)
    const second = await start([unavailable]);
    await second.advance(60_000);
    // 3rd failure: cap 4000 × 0.5
    expect(second.slack.calls.map((c) => c.at - T)).toEqual([0, 2_000]);
    await second.outbox.close();
  });

  it("drops a record torn by a crash mid-write and keeps appending after the last whole line", async () => {
    const first = await start(["hang"]);
    await first.outbox.enqueue("slack", note("a-1", "firing"));
    await first.outbox.flush();
    await appendFile(journalPath(), '{"t":"done","seq":1,"rece');

    const second = await start();
    expect(second.logs.map((l) => l.message)).toContain("dropped the torn last line of the outbox journal");
    await second.outbox.drain(1_000);
    expect(second.slack.calls.map((c) => c.event)).toEqual(["firing"]);
    await second.outbox.enqueue("slack", note("a-1", "resolved"));
    await second.outbox.close();
    for (const line of await journalLines()) expect(() => JSON.parse(line)).not.toThrow();

    const third = await start();
    expect(third.outbox.depth()).toBe(0);
    expect(third.slack.calls).toEqual([]);
    await third.outbox.close();
  });

  it("re-sends once a message whose done record was torn: the documented at-least-once window", async () => {
    const first = await start();
    await first.outbox.enqueue("slack", note("a-1", "firing"));
    await first.outbox.quiet();
    const size = (await readFile(journalPath())).length;
    await truncate(journalPath(), size - 5);

    const second = await start();
    await second.outbox.drain(1_000);
    expect(second.slack.calls.map((c) => c.event)).toEqual(["firing"]);
    await second.outbox.close();
    const third = await start();
    await third.outbox.drain(1_000);
    expect(third.slack.calls).toEqual([]);
    await third.outbox.close();
  });
});

describe("outbox compaction", () => {
  it("rewrites a mostly-done journal with only live entries, threads and the sequence", async () => {
    const compaction = { minRecords: 20, doneFraction: 0.5 };
    // stuck-1 fails once and waits for a retry timer that never fires
    const first = await start([unavailable], { compaction });
    await first.outbox.enqueue("slack", note("stuck-1", "firing"));
    for (let i = 0; i < 12; i += 1) {
      await first.outbox.enqueue("slack", note(`open-1`, i === 0 ? "firing" : "escalated"));
      await first.outbox.quiet();
    }
    await first.outbox.flush();
    const lines = (await journalLines()).map((line) => JSON.parse(line));
    expect(lines.length).toBeLessThan(20);
    expect(lines[0]).toEqual({ t: "seq", next: expect.any(Number) });
    expect(lines.filter((l) => l.t === "enqueue").map((l) => l.incident)).toContain("stuck-1");
    expect(first.logs.map((l) => l.message)).toContain("compacted the outbox journal");

    const second = await start([], { compaction });
    await second.outbox.drain(1_000);
    expect(second.slack.calls.map((c) => c.incident)).toEqual(["stuck-1"]);
    const seq = await second.outbox.enqueue("slack", note("open-1", "resolved"));
    await second.outbox.quiet();
    expect(seq).toBe(14);
    expect(second.slack.calls.at(-1)).toMatchObject({ event: "resolved", thread: { ts: "2" } });
    await second.outbox.close();
  });
});

describe("outbox page keys", () => {
  it("journals a page key once per receiver, across a restart and a compaction: a decision made again is not sent again", async () => {
    const compaction = { minRecords: 6, doneFraction: 0.5 };
    const keyed = (incident: string, event: Notification["event"], key: string) => ({
      ...note(incident, event),
      key,
    });
    const first = await start([], { compaction });
    expect(await first.outbox.enqueue("slack", keyed("a-1", "firing", "a-1:firing"))).toBe(1);
    expect(await first.outbox.enqueue("slack", keyed("a-1", "firing", "a-1:firing"))).toBeUndefined();
    for (let i = 1; i <= 6; i += 1) {
      await first.outbox.enqueue("slack", keyed("a-1", "escalated", `a-1:escalated:${i}`));
      await first.outbox.quiet();
    }
    await first.outbox.close();
    expect(first.logs.map((l) => l.message)).toContain("compacted the outbox journal");
    expect(first.slack.calls).toHaveLength(7);

    const second = await start([], { compaction });
    expect(await second.outbox.enqueue("slack", keyed("a-1", "firing", "a-1:firing"))).toBeUndefined();
    expect(
      await second.outbox.enqueue("slack", keyed("a-1", "escalated", "a-1:escalated:3")),
    ).toBeUndefined();
    expect(await second.outbox.enqueue("slack", keyed("a-1", "resolved", "a-1:resolved"))).toBeTypeOf(
      "number",
    );
    await second.outbox.quiet();
    expect(second.slack.calls.map((call) => call.event)).toEqual(["resolved"]);
    await second.outbox.close();
  });
});
