import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ParsedBatch } from "../src/ingest/parse-batch.js";
import { replay } from "../src/ingest/replay.js";
import { ManualClock, ReplayClock } from "../src/util/clock.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

const lines = (...items: unknown[]) => Readable.from([`${items.map((i) => JSON.stringify(i)).join("\n")}\n`]);

describe("replay", () => {
  it("at speed 0 sends everything at once and its clock follows the events", async () => {
    const clock = new ReplayClock(0, new ManualClock(1_000));
    const batches: ParsedBatch[] = [];
    const slept: number[] = [];
    const sleep = async (ms: number) => void slept.push(ms);
    await replay(lines(wire({ at: T0 }), wire({ at: T0 + 60 * MIN })), (b) => batches.push(b), {
      clock,
      sleep,
    });
    expect(slept).toEqual([]);
    expect(batches.flatMap((b) => b.values)).toHaveLength(2);
    expect(clock.now()).toBe(T0 + 60 * MIN);
  });

  it("at speed X waits (t - t0) / X of wall time before sending a mention", async () => {
    const wall = new ManualClock(1_000_000);
    const clock = new ReplayClock(60, wall); // one minute of events per wall second
    const sent: Array<{ wall: number; lines: number[] }> = [];
    const sleep = async (ms: number) => wall.set(wall.now() + ms);
    await replay(
      lines(wire({ at: T0 }), wire({ at: T0 + 1000 }), wire({ at: T0 + 10 * MIN }), "not json"),
      (batch) =>
        sent.push({ wall: wall.now(), lines: [...batch.values, ...batch.errors].map((v) => v.line) }),
      { clock, sleep },
    );
    // Mentions 1 s of event time apart are due 17 ms apart: sent together. Ten minutes later is 10 s of wall time.
    expect(sent).toEqual([
      { wall: 1_000_000, lines: [1, 2] },
      { wall: 1_010_000, lines: [3, 4] },
    ]);
    expect(clock.now()).toBe(T0 + 10 * MIN);
  });
});
