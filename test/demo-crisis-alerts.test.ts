// The demo crisis replayed into the engine with the shipped negative-buzz rules: each rule fires once
// and resolves once for the brand in crisis, inside the crisis, and never for the calm brand.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { generateMentions, scenarioFacts } from "../examples/demo/scenario.js";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import { replay } from "../src/ingest/replay.js";
import type { AlertEvent } from "../src/model/index.js";
import { ReplayClock } from "../src/util/clock.js";

async function replayDemo(): Promise<AlertEvent[]> {
  const config = parseConfig(
    "storage: { snapshot: false }\nrules: { paths: [rules/negative-buzz.yaml], watch: false }",
    "test.yaml",
    {},
  );
  const clock = new ReplayClock(0);
  const engine = new Engine({ config, clock, notifiers: [] });
  const events: AlertEvent[] = [];
  engine.onAlertEvent((event) => events.push(event));
  await engine.start();
  const lines = Readable.from(
    (function* () {
      for (const mention of generateMentions()) yield `${JSON.stringify(mention)}\n`;
    })(),
  );
  await replay(lines, (batch) => engine.ingest(batch), { clock });
  engine.flush();
  await engine.stop();
  return events;
}

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
    expect(byRule.get("negative-buzz/NegativeBuzzSpike kryptonite")).toEqual([
      "firing",
      "escalated",
      "resolved",
    ]);
    expect(byRule.get("negative-buzz/NegativeSlowBurn kryptonite")).toEqual(["firing", "resolved"]);
    const start = Date.parse(crisis.start);
    const end = Date.parse(crisis.end);
    for (const event of events.filter((e) => e.type === "firing")) {
      expect(event.alert.firedAt).toBeGreaterThan(start);
      expect(event.alert.firedAt).toBeLessThan(end);
      expect(event.alert.annotations.summary).toMatch(/^kryptonite: /);
    }
  }, 60_000);
});
