// The demo crisis replayed into the engine with the shipped negative-buzz rules: each rule fires once
// and resolves once for the brand in crisis, inside the crisis, and never for the calm brand.
import { describe, expect, it } from "vitest";
import { scenarioFacts } from "../examples/demo/scenario.js";
import { replayDemo } from "./helpers/demo-replay.js";

describe("demo crisis alerts", () => {
  it("fires and resolves once per rule for the brand in crisis, with no flapping and nothing for the calm brand", async () => {
    const crisis = scenarioFacts().crisis!;
    const events = (await replayDemo()).filter((event) => event.type !== "pending");
    const byRule = new Map<string, string[]>();
    for (const event of events) {
      const key = `${event.alert.rule} ${event.alert.labels.brand}`;
      byRule.set(key, [...(byRule.get(key) ?? []), event.type]);
    }
    expect([...byRule.keys()].sort()).toEqual([
      "negative-buzz/NegativeBuzzSpike kryptonite",
      "negative-buzz/NegativeSlowBurn kryptonite",
    ]);
    // Escalated twice each, inside the one incident: the spike's count doubled (a worse stage), then
    // crossed the critical line; the slow burn's count more than doubled twice since it was last told.
    expect(byRule.get("negative-buzz/NegativeBuzzSpike kryptonite")).toEqual([
      "firing",
      "escalated",
      "escalated",
      "resolved",
    ]);
    expect(byRule.get("negative-buzz/NegativeSlowBurn kryptonite")).toEqual([
      "firing",
      "escalated",
      "escalated",
      "resolved",
    ]);
    const spike = events.filter((e) => e.alert.name === "NegativeBuzzSpike" && e.type !== "resolved");
    expect(spike.map((e) => `${e.alert.stage}/${e.alert.severity}`)).toEqual([
      "emerging/warning",
      "escalating/warning",
      "escalating/critical",
    ]);
    const start = Date.parse(crisis.start);
    const end = Date.parse(crisis.end);
    for (const event of events.filter((e) => e.type === "firing")) {
      expect(event.alert.firedAt).toBeGreaterThan(start);
      expect(event.alert.firedAt).toBeLessThan(end);
      expect(event.alert.annotations.summary).toMatch(/^kryptonite: /);
    }
  }, 60_000);
});
