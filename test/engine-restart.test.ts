import { describe, expect, it } from "vitest";
import { testEngine } from "./helpers/engine.js";
import { MIN, mention, T0 } from "./helpers/mentions.js";

const W = 5 * MIN;

describe("engine restart", () => {
  it("restores its series from the snapshot and treats mentions for restored windows as late", async () => {
    const first = await testEngine("lateness: 0s");
    const values = [];
    for (let i = 0; i < 12; i++) {
      for (let n = 0; n <= i; n++)
        values.push({
          line: values.length + 1,
          value: wireOf(mention({ at: T0 + i * W + n, sentiment: "negative" })),
        });
    }
    first.clock.set(T0 + 12 * W);
    expect(first.engine.ingest({ values, errors: [] }).accepted).toBe(78);
    await first.engine.stop();

    const second = await testEngine("lateness: 0s", { dataDir: first.dataDir });
    const restored = second.engine.series({
      metric: "negative",
      match: { brand: "kryptonite", channel: "all" },
      from: T0,
      to: T0 + 12 * W,
    });
    expect(restored[0]?.points.map((p) => p.value)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    second.clock.set(T0 + 12 * W);
    const result = second.engine.ingest({
      values: [{ line: 1, value: wireOf(mention({ at: T0 + 11 * W + 1 })) }],
      errors: [],
    });
    expect(result.late).toBe(1);
    second.clock.set(T0 + 13 * W);
    second.engine.tick();
    const next = second.engine.series({
      metric: "negative",
      match: { brand: "kryptonite", channel: "all" },
      from: T0 + 12 * W,
      to: T0 + 13 * W,
    });
    expect(next[0]?.points).toEqual([{ time: T0 + 12 * W, value: 0 }]);
  });
});

function wireOf(m: ReturnType<typeof mention>) {
  const { time: _time, ...rest } = m;
  return rest;
}
