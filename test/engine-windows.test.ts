// Hand-computed windows through the whole engine: validation, duplicates, classification, lateness.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import type { Metric } from "../src/model/index.js";
import { testEngine } from "./helpers/engine.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

const W = 5 * MIN;
const batch = (...values: unknown[]) => ({
  values: values.map((value, i) => ({ line: i + 1, value })),
  errors: [],
});

describe("engine windows", () => {
  it("drops a repeated (channel, id) from the window and counts it as a duplicate", async () => {
    const { engine, clock } = await testEngine("lateness: 0s");
    const first = wire({ id: "tw-1", at: T0, sentiment: "negative", author: { id: "a", followers: 10 } });
    const result = engine.ingest(
      batch(first, { ...first }, wire({ id: "tw-1", channel: "forum", at: T0 + MIN, sentiment: "neutral" })),
    );
    expect(result).toMatchObject({ accepted: 2, duplicates: 1 });
    clock.set(T0 + W);
    engine.tick();
    const at = (metric: Metric, channel: string) =>
      engine.series({ metric, match: { brand: "kryptonite", channel }, from: T0, to: T0 + W })[0]?.points[0]
        ?.value;
    // Same id on another channel is another provider's mention: counted.
    expect([at("mentions", "all"), at("negative", "all"), at("negative_reach", "all")]).toEqual([2, 1, 10]);
    expect(at("mentions", "twitter")).toBe(1);
  });

  it("remembers between half and all of dedup_capacity (channel, id) pairs, forgetting the oldest half", async () => {
    const { engine } = await testEngine("lateness: 0s\ningest: { dedup_capacity: 4 }");
    const on = (id: string, channel = "twitter") => wire({ id, channel, at: T0, sentiment: "neutral" });
    // Two generations of two pairs: c pushes tw-1 on both channels out; a and b stay one generation.
    const result = engine.ingest(
      batch(
        on("tw-1"),
        on("tw-1", "forum"),
        on("a"),
        on("b"),
        on("c"),
        on("tw-1"),
        on("a"),
        on("tw-1", "forum"),
        on("tw-1"),
      ),
    );
    expect(result).toMatchObject({ accepted: 7, duplicates: 2 });
  });

  it("counts a late mention as late and leaves the closed window as it was", async () => {
    const { engine, clock } = await testEngine("lateness: 1m");
    engine.ingest(batch(wire({ at: T0 + MIN, sentiment: -0.8 })));
    clock.set(T0 + W + MIN);
    engine.tick();
    const late = engine.ingest(batch(wire({ at: T0 + 2 * MIN, sentiment: -0.8 })));
    expect(late).toMatchObject({ accepted: 1, late: 1 });
    const points = engine.series({
      metric: "negative",
      match: { brand: "kryptonite", channel: "all" },
      from: T0,
      to: T0 + W,
    });
    expect(points[0]?.points).toEqual([{ time: T0, value: 1 }]);
  });

  it("classifies text without a provider score with the lexicon before counting it", async () => {
    const { engine, clock } = await testEngine("lateness: 0s");
    engine.ingest(
      batch(
        wire({ at: T0, text: "This lock is a disaster, opened with a pen. I want a refund!", lang: "en" }),
        wire({ at: T0, text: "Service client nul, je suis furieux, c'est une honte" }),
        wire({ at: T0, text: "Love my new lock, great quality" }),
      ),
    );
    clock.set(T0 + W);
    engine.tick();
    const negative = engine.series({
      metric: "negative",
      match: { brand: "kryptonite", channel: "all" },
      from: T0,
      to: T0 + W,
    });
    expect(negative[0]?.points[0]?.value).toBe(2);
  });
});

describe("live window closing", () => {
  it("closes a window at its deadline (end + lateness), not at the next one-second tick", async () => {
    vi.useFakeTimers({ now: T0 });
    try {
      const dir = await mkdtemp(join(tmpdir(), "tocsin-deadline-"));
      const config = parseConfig(
        `data_dir: ${dir}\nwindow: 5s\nlateness: 1500ms\nrules: { paths: [] }\nalerts: { console: false, log: "" }\nstorage: { snapshot: false }\n`,
        "test.yaml",
        {},
      );
      const engine = new Engine({ config, timers: true, notifiers: [] });
      await engine.start();
      const closed: number[] = [];
      engine.onWindowClosed((window) => closed.push(window.start - T0));
      engine.ingest(batch(wire({ at: T0 + 100 })));
      // The one-second ticks fall on T0 + 6 s and 7 s; the deadline of [0, 5 s) is 6.5 s.
      await vi.advanceTimersByTimeAsync(6_400);
      expect(closed).toEqual([]);
      await vi.advanceTimersByTimeAsync(110);
      expect(closed).toEqual([0]);
      await engine.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it("counts a large HTTP batch in slices, letting other work run between them, with the same result as one pass", async () => {
    const mentions = Array.from({ length: 1_000 }, (_, i) =>
      i % 97 === 5
        ? { id: `bad-${i}` }
        : wire({ id: `m-${i % 900}`, at: T0 + (i % 4) * MIN, sentiment: "negative" }),
    );
    // ingestDurably takes its batch over (it empties values as it counts them): one batch each.
    const big = () => ({
      values: mentions.map((value, i) => ({ line: i + 1, value })),
      errors: [{ line: 1_001, error: "not JSON" }],
    });
    const { engine: whole } = await testEngine("lateness: 0s");
    const { engine: sliced } = await testEngine("lateness: 0s");
    const order: string[] = [];
    setImmediate(() => order.push("other work"));
    const done = sliced.ingestDurably(big()).then((result) => {
      order.push("batch counted");
      return result;
    });
    const expected = whole.ingest(big());
    const result = await done;
    expect(order).toEqual(["other work", "batch counted"]);
    expect(result).toEqual(expected);
    expect(result.rejected.map((error) => error.line)).toEqual(
      [...result.rejected.map((error) => error.line)].sort((a, b) => a - b),
    );
    expect(result.rejected).toHaveLength(11 + 1);
    expect(result.duplicates).toBeGreaterThan(0);
    expect(result.accepted + result.duplicates + result.rejected.length).toBe(1_001);
  });

  it("ingestDurably lets go of each slice of a batch once counted, not after the last one", async () => {
    const { engine } = await testEngine("lateness: 0s");
    const batch = {
      values: Array.from({ length: 1_000 }, (_, i) => ({
        line: i + 1,
        value: wire({ id: `m-${i}`, at: T0, sentiment: "negative" }),
      })),
      errors: [],
    };
    const done = engine.ingestDurably(batch);
    // The first slice is counted before the first yield; the batch no longer holds it.
    expect(batch.values).toHaveLength(750);
    expect((await done).accepted).toBe(1_000);
    expect(batch.values).toHaveLength(0);
  });
});
