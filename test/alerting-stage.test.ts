import { describe, expect, it } from "vitest";
import type { Judgement, Tracked } from "../src/alerting/lifecycle.js";
import { advance } from "../src/alerting/lifecycle.js";
import type { Trajectory } from "../src/alerting/stage.js";
import { nextStage } from "../src/alerting/stage.js";
import type { Trend } from "../src/model/index.js";

const W = 300_000;
const T0 = Date.parse("2026-03-06T09:00:00Z");
const GROWING: Trend = { ratePerHour: 2.8, low: 1.5, high: 4 };
const FLAT: Trend = { ratePerHour: 0.1, low: -0.5, high: 0.7 };
const FALLING: Trend = { ratePerHour: -2, low: -3, high: -1 };

describe("crisis stage from the trajectory", () => {
  const at = (current: Parameters<typeof nextStage>[0], trajectory: Partial<Trajectory>) =>
    nextStage(current, { last: 0, peak: 0, told: 20, grew: false, trend: FLAT, ...trajectory });

  it("escalates, a worse stage, only when the growth is significant and the count has doubled since the last page", () => {
    expect(at("emerging", { last: 40, peak: 40, trend: GROWING })).toEqual({
      stage: "escalating",
      worse: true,
    });
    // Doubled, but the fit does not say it grows (a single jump): no escalation.
    expect(at("emerging", { last: 40, peak: 40, trend: FLAT })).toEqual({ stage: "emerging", worse: false });
    // Growing, but only ×1.5 of what was told: not yet.
    expect(at("emerging", { last: 30, peak: 30, trend: GROWING })).toEqual({
      stage: "emerging",
      worse: false,
    });
    expect(at("emerging", { last: 40, peak: 40, trend: undefined }).stage).toBe("emerging");
    // Already escalating: doubling again is no new stage.
    expect(at("escalating", { last: 80, peak: 80, trend: GROWING })).toEqual({
      stage: "escalating",
      worse: false,
    });
  });

  it("calls the top once the growth stops below the peak, and subsiding once well below it or falling", () => {
    expect(at("escalating", { last: 90, peak: 100 }).stage).toBe("peak");
    expect(at("escalating", { last: 100, peak: 100 }).stage).toBe("escalating");
    expect(at("peak", { last: 50, peak: 100 }).stage).toBe("subsiding");
    expect(at("peak", { last: 80, peak: 100, trend: FALLING }).stage).toBe("subsiding");
    expect(at("emerging", { last: 20, peak: 60, trend: undefined }).stage).toBe("subsiding");
    expect(at("subsiding", { last: 55, peak: 100 }).stage).toBe("subsiding");
  });

  it("returns to the stage it grew in at a new top without telling anyone again, short of another doubling", () => {
    expect(at("peak", { last: 31, peak: 31, told: 24, grew: true, trend: FLAT })).toEqual({
      stage: "escalating",
      worse: false,
    });
    expect(at("peak", { last: 31, peak: 31, told: 24, grew: false })).toEqual({
      stage: "emerging",
      worse: false,
    });
    expect(at("subsiding", { last: 60, peak: 100, told: 100, grew: true, trend: GROWING })).toEqual({
      stage: "escalating",
      worse: false,
    });
    // A flare-up past twice what was last told is worse again.
    expect(at("subsiding", { last: 60, peak: 100, told: 30, trend: GROWING })).toEqual({
      stage: "escalating",
      worse: true,
    });
  });
});

describe("crisis stage through the alert lifecycle", () => {
  /** Feeds window values with their trends; returns each event with the stage it carried. */
  function run(steps: Array<[value: number, trend?: Trend, breach?: boolean]>) {
    const tracked: Tracked = {
      identity: { fingerprint: "f", rule: "g/Spike", name: "Spike", labels: { brand: "k" } },
      changes: [],
    };
    const log: string[] = [];
    steps.forEach(([value, trend, breach = true], i) => {
      const time = T0 + (i + 1) * W;
      const judgement: Judgement = {
        time,
        measure: { time: time - W, value, expected: 5, factor: value / 5, score: value },
        breach,
        critical: false,
        holds: breach,
        trend: () => trend,
      };
      const policy = { forMs: 0, keepFiringForMs: 0, severity: "warning" as const };
      for (const event of advance(tracked, judgement, policy))
        log.push(`${i}:${event.type}:${event.alert.stage ?? "-"}`);
    });
    return log;
  }

  it("re-notifies once when the crisis escalates, not when it peaks or subsides, and resolves once", () => {
    expect(
      run([
        [20],
        [30, GROWING],
        [45, GROWING],
        [60, GROWING],
        [55, FLAT],
        [25, FALLING],
        [20, FALLING],
        [3, FALLING, false],
      ]),
    ).toEqual(["0:pending:-", "0:firing:emerging", "2:escalated:escalating", "7:resolved:resolved"]);
  });

  it("re-notifies again when a subsiding crisis flares up past twice what was last told, and records every stage in the history", () => {
    const tracked: Tracked = {
      identity: { fingerprint: "f", rule: "g/Spike", name: "Spike", labels: { brand: "k" } },
      changes: [],
    };
    const steps: Array<[number, Trend | undefined]> = [
      [20, undefined],
      [45, GROWING],
      [15, FALLING],
      [100, GROWING],
    ];
    const types: string[] = [];
    steps.forEach(([value, trend], i) => {
      const time = T0 + (i + 1) * W;
      for (const event of advance(
        tracked,
        {
          time,
          measure: { time: time - W, value, expected: 5, factor: value / 5, score: value },
          breach: true,
          critical: false,
          holds: true,
          trend: () => trend,
        },
        { forMs: 0, keepFiringForMs: 0, severity: "warning" },
      ))
        types.push(`${event.type}:${event.alert.stage}`);
    });
    expect(types).toEqual([
      "pending:undefined",
      "firing:emerging",
      "escalated:escalating",
      "escalated:escalating",
    ]);
    expect(tracked.alert?.stageSince).toEqual({ at: T0 + 4 * W, value: 100 });
  });
});
