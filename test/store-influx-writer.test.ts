// The writer against a scripted transport: order, batching, outage, spill and restart, without a server.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LineTransport, WriteResult } from "../src/store/influx-http.js";
import { SpillFile } from "../src/store/influx-spill.js";
import type { InfluxWriteFailure, InfluxWriterOptions } from "../src/store/influx-writer.js";
import { InfluxWriter } from "../src/store/influx-writer.js";
import { waitFor } from "./helpers/influx-fixtures.js";

/** Records delivered batches; answers with `failWith` while it is set (`failTimes` times, if given). */
class ScriptedTransport implements LineTransport {
  batches: string[][] = [];
  failWith: WriteResult | undefined;
  failTimes = Infinity;
  async write(lines: readonly string[]): Promise<WriteResult> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failWith && this.failTimes > 0) {
      this.failTimes -= 1;
      return this.failWith;
    }
    this.batches.push([...lines]);
    return { ok: true };
  }
  close(): void {}
  get delivered(): string[] {
    return this.batches.flat();
  }
}

const DOWN: WriteResult = { ok: false, message: "connect ECONNREFUSED" };
const points = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `m v=${from + i} ${from + i}`);

let dir: string;
const writers: InfluxWriter[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-writer-"));
});
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close();
  await rm(dir, { recursive: true, force: true });
});

async function startWriter(transport: LineTransport, options: Partial<InfluxWriterOptions> = {}) {
  const spill = new SpillFile(dir);
  await spill.open();
  const failures: InfluxWriteFailure[] = [];
  const writer = new InfluxWriter({
    transport,
    spill,
    batchSize: 10,
    flushIntervalMs: 20,
    bufferPoints: 25,
    backoff: { initialMs: 5, maxMs: 20 },
    closeTimeoutMs: 200,
    onWriteFailed: (failure) => failures.push(failure),
    ...options,
  });
  writer.start();
  writers.push(writer);
  return { writer, spill, failures };
}

describe("InfluxDB writer", () => {
  it("sends points in order, in batches of at most batch_size, once the flush interval passes", async () => {
    const transport = new ScriptedTransport();
    const { writer } = await startWriter(transport);
    writer.add(points(0, 23));
    await waitFor(() => (transport.delivered.length === 23 ? true : undefined));
    expect(transport.batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(transport.delivered).toEqual(points(0, 23));
    expect(writer.stats()).toMatchObject({ written: 23, failedWrites: 0, dropped: 0 });
  });

  it("returns from add() at once while the server hangs", async () => {
    let release = () => {};
    const hung = new Promise<WriteResult>((resolve) => (release = () => resolve(DOWN)));
    const transport: LineTransport = { write: () => hung, close() {} };
    const { writer } = await startWriter(transport, { closeTimeoutMs: 10 });
    writer.add(points(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = performance.now();
    for (let i = 10; i < 100; i++) writer.add(points(i, i + 1));
    expect(performance.now() - started).toBeLessThan(50);
    expect(writer.backlog().buffered).toBe(100);
    release();
  });

  it("rides out an outage: spills past the buffer, then delivers everything once, in order", async () => {
    const transport = new ScriptedTransport();
    transport.failWith = DOWN;
    const { writer, failures } = await startWriter(transport);
    for (let i = 0; i < 100; i += 5) {
      writer.add(points(i, i + 5));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await waitFor(() => (writer.backlog().spilled > 0 ? true : undefined));
    expect(writer.backlog().buffered).toBeLessThanOrEqual(25 + 5);
    expect(writer.backlog().buffered + writer.backlog().spilled).toBe(100);
    transport.failWith = undefined;
    await waitFor(() => (transport.delivered.length >= 100 ? true : undefined));
    expect(transport.delivered).toEqual(points(0, 100));
    expect(writer.backlog()).toEqual({ buffered: 0, spilled: 0 });
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((failure) => failure.action === "retry" && failure.retryInMs !== undefined)).toBe(
      true,
    );
    expect(writer.stats().failedWrites).toBe(failures.length);
  });

  it("on close during an outage spills what is left; the next start sends it first", async () => {
    const transport = new ScriptedTransport();
    transport.failWith = DOWN;
    const first = await startWriter(transport);
    first.writer.add(points(0, 40));
    writers.splice(0);
    await first.writer.close();
    expect(transport.delivered).toEqual([]);

    const again = new ScriptedTransport();
    const second = await startWriter(again);
    expect(second.spill.pending).toBe(40);
    second.writer.add(points(40, 45));
    await waitFor(() => (again.delivered.length === 45 ? true : undefined));
    expect(again.delivered).toEqual(points(0, 45));
  });

  it("persist() puts every point still in memory in the spill file, so a kill after it loses none", async () => {
    const transport = new ScriptedTransport();
    transport.failWith = DOWN;
    const first = await startWriter(transport, { flushIntervalMs: 60_000, bufferPoints: 1_000 });
    first.writer.add(points(0, 7));
    await first.writer.persist();
    expect(first.spill.pending).toBe(7);
    expect(first.writer.backlog()).toEqual({ buffered: 0, spilled: 7 });
    // Killed here: no close. The next start sends the points from the spill file.
    writers.splice(0);
    const again = new ScriptedTransport();
    await startWriter(again);
    await waitFor(() => (again.delivered.length === 7 ? true : undefined));
    expect(again.delivered).toEqual(points(0, 7));
    await first.writer.close();
  });

  it("drops a batch the server rejects as malformed and carries on with the next", async () => {
    const transport = new ScriptedTransport();
    transport.failWith = { ok: false, status: 400, message: "HTTP 400: unable to parse" };
    transport.failTimes = 1;
    const { writer, failures } = await startWriter(transport);
    writer.add(points(0, 10));
    await waitFor(() => (failures.length > 0 ? true : undefined));
    writer.add(points(10, 12));
    await waitFor(() => (transport.delivered.length === 2 ? true : undefined));
    expect(transport.delivered).toEqual(points(10, 12));
    expect(failures[0]).toMatchObject({ action: "drop", status: 400, points: 10 });
    expect(writer.stats().dropped).toBe(10);
  });

  it("halves a batch the server finds too large", async () => {
    const transport = new ScriptedTransport();
    transport.failWith = { ok: false, status: 413, message: "HTTP 413" };
    transport.failTimes = 1;
    const { writer, failures } = await startWriter(transport);
    writer.add(points(0, 10));
    await waitFor(() => (transport.delivered.length === 10 ? true : undefined));
    expect(transport.batches.map((batch) => batch.length)).toEqual([5, 5]);
    expect(failures).toMatchObject([{ action: "split", status: 413, points: 10 }]);
  });
});
