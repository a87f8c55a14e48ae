import { describe, expect, it } from "vitest";
import { AlertBook } from "../src/alerting/alert-book.js";
import type { AlertIdentity, Judgement, LifecyclePolicy, Tracked } from "../src/alerting/lifecycle.js";
import { advance } from "../src/alerting/lifecycle.js";

const W = 300_000;
const T0 = Date.parse("2026-03-06T09:00:00Z");

/** Drives one alert through a sequence of window verdicts: "B" breach, "C" critical breach, "h" holds only, "." quiet. */
function run(pattern: string, policy: Partial<LifecyclePolicy> = {}) {
  const full: LifecyclePolicy = { forMs: 0, keepFiringForMs: 0, severity: "warning", ...policy };
  const tracked: Tracked = {
    identity: { fingerprint: "f", rule: "g/Spike", name: "Spike", labels: { brand: "k" } },
    changes: [],
  };
  const log: string[] = [];
  [...pattern].forEach((mark, i) => {
    const time = T0 + (i + 1) * W;
    const judgement: Judgement = {
      time,
      measure: { time: time - W, value: i, expected: 1, factor: i, score: i },
      breach: mark === "B" || mark === "C",
      critical: mark === "C",
      holds: mark !== ".",
    };
    for (const event of advance(tracked, judgement, full))
      log.push(`${i}:${event.type}:${event.alert.severity}`);
  });
  return { log, tracked };
}

describe("alert lifecycle", () => {
  it("fires at once with for: 0 and resolves on the first quiet window", () => {
    expect(run("..BB..").log).toEqual(["2:pending:warning", "2:firing:warning", "4:resolved:warning"]);
  });

  it("stays pending until the condition has held for `for`, then fires", () => {
    // for 10m: breach at the ends of windows 1, 2, 3 → 10 minutes after the first → fires at 3.
    expect(run(".BBB.", { forMs: 2 * W }).log).toEqual([
      "1:pending:warning",
      "3:firing:warning",
      "4:resolved:warning",
    ]);
  });

  it("drops a pending alert whose condition stops before `for` without any firing", () => {
    const { log, tracked } = run(".BB.B", { forMs: 3 * W });
    expect(log).toEqual(["1:pending:warning", "4:pending:warning"]);
    expect(tracked.alert?.state).toBe("pending");
  });

  it("keeps firing for keep_firing_for after the condition stops, and through a short dip", () => {
    // keep 10m: quiet at 3, 4 → still firing; back at 5; quiet 6, 7, 8 → resolved at 8 (10m after 6).
    expect(run("BBB..B...", { keepFiringForMs: 2 * W }).log).toEqual([
      "0:pending:warning",
      "0:firing:warning",
      "8:resolved:warning",
    ]);
  });

  it("stays firing while the laxer recovery threshold holds (hysteresis)", () => {
    expect(run("BBhhh.").log).toEqual(["0:pending:warning", "0:firing:warning", "5:resolved:warning"]);
  });

  it("escalates to critical once inside the episode and resolves as critical", () => {
    expect(run("BBCCB.").log).toEqual([
      "0:pending:warning",
      "0:firing:warning",
      "2:escalated:critical",
      "5:resolved:critical",
    ]);
  });

  it("fires as critical when the critical threshold is crossed from the start", () => {
    expect(run("C.").log).toEqual(["0:pending:warning", "0:firing:critical", "1:resolved:critical"]);
  });

  it("holds a flapping alert firing instead of paging on every change, and resolves once quiet for the flap window", () => {
    const flap = { windowMs: 6 * W, maxChanges: 3 };
    // Without flap suppression this pattern pages 4 times.
    expect(run("B.B.B.B......").log.filter((e) => e.includes("firing"))).toHaveLength(4);
    const { log } = run("B.B.B.B......", { flap });
    // fire@0, resolve@1, fire@2 (3 changes); resolving at 3 would be a 4th → held; last breach at 6,
    // quiet for a whole flap window (6 windows) → resolved at 12.
    expect(log).toEqual([
      "0:pending:warning",
      "0:firing:warning",
      "1:resolved:warning",
      "2:pending:warning",
      "2:firing:warning",
      "12:resolved:warning",
    ]);
  });
});

describe("alert book, tracked per rule", () => {
  // Pending for 10 minutes: a breach that stops before then leaves nothing to track.
  const policy: LifecyclePolicy = { forMs: 2 * W, keepFiringForMs: 0, severity: "warning" };
  const identity = (rule: string, brand: string): AlertIdentity => ({
    fingerprint: `${rule}|${brand}`,
    rule,
    name: rule,
    labels: { brand },
  });
  const judgement = (i: number, breach: boolean): Judgement => ({
    time: T0 + (i + 1) * W,
    measure: { time: T0 + i * W, value: i, expected: 1, factor: i, score: i },
    breach,
    critical: false,
    holds: breach,
  });

  it("says a rule has nothing tracked once its last series is forgotten, through restore and rule removal", () => {
    const book = new AlertBook();
    expect(book.tracksRule("g/A")).toBe(false);
    book.judge(identity("g/A", "x"), judgement(0, true), policy);
    book.judge(identity("g/A", "y"), judgement(0, true), policy);
    book.judge(identity("g/B", "x"), judgement(0, true), policy);
    expect([book.tracksRule("g/A"), book.tracksRule("g/B")]).toEqual([true, true]);
    book.judge(identity("g/A", "x"), judgement(1, false), policy); // dropped before firing: forgotten
    expect(book.tracksRule("g/A")).toBe(true);
    book.judge(identity("g/A", "y"), judgement(1, false), policy);
    expect(book.tracksRule("g/A")).toBe(false);

    const restored = new AlertBook();
    restored.restore(book.save());
    expect([restored.tracksRule("g/A"), restored.tracksRule("g/B")]).toEqual([false, true]);
    restored.retireRules((rule) => rule !== "g/B", T0 + 3 * W);
    expect(restored.tracksRule("g/B")).toBe(false);
    expect(restored.isTracked("g/B|x")).toBe(false);
  });
});
