import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClosedWindow, Metric } from "../src/model/index.js";
import { METRICS } from "../src/model/index.js";
import { MemoryStore } from "../src/store/memory.js";
import { writeSnapshotFile } from "../src/store/snapshot.js";

const W = 300_000;
const T0 = Date.parse("2026-03-02T10:00:00Z");

const window = (start: number, rows: Array<[string, string, number]>): ClosedWindow => ({
  start,
  end: start + W,
  rows: rows.map(([brand, channel, negative]) => {
    const values = new Float64Array(METRICS.length);
    values[0] = negative * 2;
    values[1] = negative;
    return { key: { brand, channel }, values };
  }),
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-store-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("memory store", () => {
  it("answers range queries by metric and labels, oldest first", () => {
    const store = new MemoryStore({ windowMs: W });
    store.writeWindow(
      window(T0, [
        ["k", "all", 3],
        ["k", "forum", 1],
        ["v", "all", 9],
      ]),
    );
    store.writeWindow(
      window(T0 + W, [
        ["k", "all", 4],
        ["k", "forum", 0],
        ["v", "all", 8],
      ]),
    );
    const result = store.query({
      metric: "negative",
      match: { brand: "k", channel: "all" },
      from: T0,
      to: T0 + 2 * W,
    });
    expect(result).toEqual([
      {
        key: { brand: "k", channel: "all" },
        points: [
          { time: T0, value: 3 },
          { time: T0 + W, value: 4 },
        ],
      },
    ]);
    const mentions = store.query({ metric: "mentions", match: { brand: "k" }, from: T0 + W, to: T0 + 2 * W });
    expect(mentions.map((s) => [s.key.channel, s.points.map((p) => p.value)])).toEqual([
      ["all", [8]],
      ["forum", [0]],
    ]);
    expect(store.lastWindowStart()).toBe(T0 + W);
  });

  it("copies the rows it is given: one array may serve several keys and windows", () => {
    const store = new MemoryStore({ windowMs: W });
    const key = { brand: "k", channel: "all" };
    const values = new Float64Array(METRICS.length);
    values[1] = 5;
    store.writeWindow({
      start: T0,
      end: T0 + W,
      rows: [
        { key, values },
        { key: { brand: "v", channel: "all" }, values },
      ],
    });
    values[1] = 7;
    store.writeWindow({ start: T0 + W, end: T0 + 2 * W, rows: [{ key, values }] });
    values[1] = 9;
    const negative = store.query({ metric: "negative", from: T0, to: T0 + 2 * W });
    expect(negative.map((s) => [s.key.brand, s.points.map((p) => p.value)])).toEqual([
      ["k", [5, 7]],
      ["v", [5]],
    ]);
    // The same labels in a new object are the same series.
    expect(store.points("negative", { channel: "all", brand: "k" }, T0, T0 + 2 * W)).toHaveLength(2);
  });

  it("restores its series from the snapshot written on close", async () => {
    const path = join(dir, "series.snapshot");
    const first = new MemoryStore({ windowMs: W, snapshotPath: path });
    await first.open();
    for (let i = 0; i < 300; i++)
      first.writeWindow(
        window(T0 + i * W, [
          ["k", "all", i],
          ["k", "blog", i % 3],
        ]),
      );
    await first.close();

    const second = new MemoryStore({ windowMs: W, snapshotPath: path });
    expect(await second.open()).toContain("restored 2 series keys");
    expect(second.lastWindowStart()).toBe(T0 + 299 * W);
    const all = second.query({
      metric: "negative",
      match: { brand: "k", channel: "all" },
      from: T0,
      to: T0 + 300 * W,
    });
    expect(all[0]?.points.map((p) => p.value)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const blog = second.query({
      metric: "mentions",
      match: { channel: "blog" },
      from: T0 + 298 * W,
      to: T0 + 300 * W,
    });
    expect(blog[0]?.points.map((p) => p.value)).toEqual([(298 % 3) * 2, (299 % 3) * 2]);
  });

  it("keeps only its retention when restoring a longer snapshot", async () => {
    const path = join(dir, "series.snapshot");
    const long = new MemoryStore({ windowMs: W, snapshotPath: path, retentionMs: 100 * W });
    for (let i = 0; i < 100; i++) long.writeWindow(window(T0 + i * W, [["k", "all", i]]));
    await long.close();
    const short = new MemoryStore({ windowMs: W, snapshotPath: path, retentionMs: 10 * W });
    await short.open();
    const points = short.query({ metric: "negative", from: T0, to: T0 + 100 * W })[0]?.points ?? [];
    expect(points.map((p) => p.value)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
  });

  it("ignores a snapshot taken with another window width and says so", async () => {
    const path = join(dir, "series.snapshot");
    const old = new MemoryStore({ windowMs: 60_000, snapshotPath: path });
    old.writeWindow(window(T0, [["k", "all", 1]]));
    await old.close();
    const store = new MemoryStore({ windowMs: W, snapshotPath: path });
    expect(await store.open()).toContain("ignored");
    expect(store.keys()).toEqual([]);
  });

  it("restores a snapshot written before the responsiveness metrics by column name, the new ones as 0", async () => {
    const path = join(dir, "series.snapshot");
    // What the code before response_rate, first_response_seconds and unanswered_overdue wrote.
    const old = [
      "mentions",
      "negative",
      "negative_share",
      "negative_reach",
      "negative_authors",
      "brand_replies",
      "unanswered_negative",
    ];
    const rows = new Float64Array([10, 4, 0.4, 900, 3, 2, 1, 20, 5, 0.25, 1200, 4, 3, 2]);
    await writeSnapshotFile(path, {
      windowMs: W,
      metrics: old,
      savedAt: T0,
      keys: [{ key: { brand: "k", channel: "all" }, first: T0 / W, rows }],
    });
    const store = new MemoryStore({ windowMs: W, snapshotPath: path });
    const message = await store.open();
    expect(message).toContain("restored 1 series keys");
    expect(message).toContain("response_rate, first_response_seconds, unanswered_overdue not in it");
    const values = (metric: Metric) =>
      store.query({ metric, from: T0, to: T0 + 2 * W })[0]?.points.map((point) => point.value);
    expect(values("mentions")).toEqual([10, 20]);
    expect(values("negative_share")).toEqual([0.4, 0.25]);
    expect(values("unanswered_negative")).toEqual([1, 2]);
    expect(values("response_rate")).toEqual([0, 0]);
    expect(values("unanswered_overdue")).toEqual([0, 0]);
    expect(store.lastWindowStart()).toBe(T0 + W);
  });

  it("refuses a file that is not a snapshot with a clear error", async () => {
    const path = join(dir, "series.snapshot");
    await writeFile(path, "hello");
    await expect(new MemoryStore({ windowMs: W, snapshotPath: path }).open()).rejects.toThrow(
      /not a Tocsin series snapshot/,
    );
  });
});
