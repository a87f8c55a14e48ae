// The demo scenario replayed through the engine: the crisis shows in the right brand's series, at
// the right hours, and the calm brand stays calm.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { generateMentions, scenarioFacts } from "../examples/demo/scenario.js";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import { replay } from "../src/ingest/replay.js";
import { ReplayClock } from "../src/util/clock.js";

async function replayDemo() {
  const config = parseConfig(
    'storage: { snapshot: false }\nrules: { paths: [] }\nalerts: { console: false, log: "" }',
    "test.yaml",
    {},
  );
  const clock = new ReplayClock(0);
  const engine = new Engine({ config, clock });
  await engine.start();
  const lines = Readable.from(
    (function* () {
      for (const mention of generateMentions()) yield `${JSON.stringify(mention)}\n`;
    })(),
  );
  let accepted = 0;
  let rejected = 0;
  await replay(
    lines,
    (batch) => {
      const result = engine.ingest(batch);
      accepted += result.accepted;
      rejected += result.rejected.length;
    },
    { clock },
  );
  engine.flush();
  return { engine, accepted, rejected };
}

const hourly = (values: number[]) => {
  const hours: number[] = [];
  for (let i = 0; i < values.length; i += 12) hours.push(values.slice(i, i + 12).reduce((a, b) => a + b, 0));
  return hours;
};

describe("demo crisis through the engine", () => {
  it("shows the crisis in kryptonite's negative series on crisis day, not in velora's, with nothing rejected", async () => {
    const facts = scenarioFacts();
    const crisis = facts.crisis!;
    const { engine, accepted, rejected } = await replayDemo();
    expect(rejected).toBe(0);
    expect(accepted).toBeGreaterThan(10_000);

    const crisisStart = Date.parse(crisis.start);
    const dayBefore = { from: crisisStart - 86_400_000, to: crisisStart - 86_400_000 + 10 * 3_600_000 };
    const during = { from: crisisStart, to: crisisStart + 10 * 3_600_000 };
    const negative = (brand: string, range: { from: number; to: number }) =>
      engine
        .series({ metric: "negative", match: { brand, channel: "all" }, ...range })[0]!
        .points.map((p) => p.value);

    const kryptoniteDuring = hourly(negative("kryptonite", during));
    const kryptoniteBefore = hourly(negative("kryptonite", dayBefore));
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(sum(kryptoniteDuring)).toBeGreaterThan(4 * sum(kryptoniteBefore));
    expect(Math.max(...kryptoniteDuring)).toBeGreaterThan(8 * Math.max(...kryptoniteBefore));
    // The calm brand's crisis-day hours look like its day before.
    const veloraDuring = sum(negative("velora", during));
    const veloraBefore = sum(negative("velora", dayBefore));
    expect(veloraDuring).toBeLessThan(1.6 * veloraBefore);
    expect(veloraDuring).toBeGreaterThan(0.6 * veloraBefore);

    // The story reaches the forum first: its negative series rises before the news channel's.
    const firstNegativeHour = (channel: string) =>
      engine
        .series({ metric: "negative", match: { brand: "kryptonite", channel }, ...during })[0]!
        .points.findIndex((p, i, all) => p.value + (all[i + 1]?.value ?? 0) >= 4);
    expect(firstNegativeHour("forum")).toBeGreaterThanOrEqual(0);
    expect(firstNegativeHour("forum")).toBeLessThan(
      firstNegativeHour("news") === -1 ? Infinity : firstNegativeHour("news"),
    );
  }, 60_000);
});
