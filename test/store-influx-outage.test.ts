// An InfluxDB outage loses nothing: influxd is stopped while windows keep coming (a small buffer, so
// points spill to disk), then restarted; every window reaches it exactly once and in order. And a
// store closed during an outage leaves its points on disk for the next start to deliver.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Labels } from "../src/model/index.js";
import type { InfluxSettings } from "../src/store/influx-config.js";
import type { LineTransport } from "../src/store/influx-http.js";
import type { InfluxWriteFailure } from "../src/store/influx.js";
import { InfluxStore } from "../src/store/influx.js";
import { seriesLines } from "../src/store/influx-points.js";
import { createV1Transport } from "../src/store/influx-write-v1.js";
import { MemoryStore } from "../src/store/memory.js";
import {
  influxql,
  influxSettings,
  metricValues,
  seriesWindow,
  T0,
  valuesOf,
  W,
  waitFor,
} from "./helpers/influx-fixtures.js";
import { hasBinary, type RealServer, startInfluxd } from "./helpers/servers.js";

const KEYS: Labels[] = [
  { brand: "kryptonite", channel: "all" },
  { brand: "kryptonite", channel: "twitter" },
  { brand: "vespa", channel: "all" },
];

let server: RealServer;
let dir: string;

beforeAll(async () => {
  if (!hasBinary("influxd")) return;
  server = await startInfluxd();
  dir = await mkdtemp(join(tmpdir(), "tocsin-influx-outage-"));
});
afterAll(async () => {
  await server?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The real v1 transport, recording every line InfluxDB acknowledged, in the order it did. */
function recordingTransport(settings: InfluxSettings): { transport: LineTransport; acknowledged: string[] } {
  const inner = createV1Transport(settings);
  const acknowledged: string[] = [];
  return {
    acknowledged,
    transport: {
      async write(lines) {
        const result = await inner.write(lines);
        if (result.ok) acknowledged.push(...lines);
        return result;
      },
      close: () => inner.close(),
    },
  };
}

function outageStore(
  database: string,
  spillDir: string,
  failures: InfluxWriteFailure[] = [],
  transport?: LineTransport,
) {
  const settings = influxSettings({ url: server.url, database, batch_size: 10, buffer_points: 20 });
  return new InfluxStore({
    memory: new MemoryStore({ windowMs: W }),
    settings,
    spillDir,
    retentionMs: 86_400_000,
    onWriteFailed: (failure) => failures.push(failure),
    ...(transport ? { transport } : {}),
  });
}

const windowAt = (i: number) =>
  seriesWindow(
    T0 + i * W,
    KEYS.map((key, k) => [key, metricValues(i * 10 + k)]),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every point of tocsin_series, per key, as [time, values]. */
async function stored(database: string): Promise<Map<string, Array<[unknown, number[]]>>> {
  const series = await influxql(server.url, database, "SELECT * FROM tocsin_series GROUP BY *");
  return new Map(
    series.map((s) => [`${s.tags.brand}/${s.tags.channel}`, s.rows.map((row) => [row.time, valuesOf(row)])]),
  );
}

function expected(windows: number): Map<string, Array<[unknown, number[]]>> {
  return new Map(
    KEYS.map((key, k) => [
      `${key.brand}/${key.channel}`,
      Array.from({ length: windows }, (_, i): [unknown, number[]] => [T0 + i * W, metricValues(i * 10 + k)]),
    ]),
  );
}

describe.skipIf(!hasBinary("influxd"))("InfluxDB store through an outage", () => {
  it("delivers every window exactly once and in order when influxd stops mid-stream and comes back", async () => {
    const failures: InfluxWriteFailure[] = [];
    const settings = influxSettings({ url: server.url, database: "outage" });
    const { transport, acknowledged } = recordingTransport(settings);
    const store = outageStore("outage", join(dir, "stream"), failures, transport);
    await store.open();
    const windows = 60;
    // What the producer writes, line for line, is what InfluxDB must acknowledge, in this order.
    const produced = Array.from({ length: windows }, (_, i) => seriesLines(windowAt(i))).flat();
    let maxSpilled = 0;
    let sent = 0;
    const producer = (async () => {
      for (let i = 0; i < windows; i++, sent++) {
        const before = performance.now();
        store.writeWindow(windowAt(i));
        // Detection never waits on InfluxDB: writeWindow returns at once, up or down.
        expect(performance.now() - before).toBeLessThan(20);
        maxSpilled = Math.max(maxSpilled, store.backlog().spilled);
        await sleep(20);
      }
    })();

    await waitFor(() => (acknowledged.length >= 30 ? true : undefined));
    await server.stop();
    const sentAtStop = sent;
    await waitFor(() => (store.backlog().spilled > 0 && failures.length > 0 ? true : undefined));
    await sleep(200);
    await server.restart();
    const sentAtRestart = sent;
    await producer;
    await waitFor(() => {
      const { buffered, spilled } = store.backlog();
      return buffered === 0 && spilled === 0 && acknowledged.length === produced.length ? true : undefined;
    });

    // The outage fell mid-stream: windows kept coming while influxd was down, and after it was back.
    expect(sentAtStop).toBeGreaterThan(0);
    expect(sentAtRestart).toBeGreaterThan(sentAtStop);
    expect(sentAtRestart).toBeLessThan(windows);
    expect(maxSpilled).toBeGreaterThan(0);
    expect(failures.every((failure) => failure.action === "retry")).toBe(true);
    expect(acknowledged).toEqual(produced);
    expect(store.writeStats()).toMatchObject({ written: produced.length, dropped: 0 });
    expect(await stored("outage")).toEqual(expected(windows));
    const counts = await influxql(
      server.url,
      "outage",
      "SELECT count(mentions) FROM tocsin_series GROUP BY *",
    );
    expect(counts.map((s) => s.rows[0]?.count)).toEqual([windows, windows, windows]);
    await store.close();
  });

  it("keeps what close() could not send on disk; the next store on that spill folder delivers it when InfluxDB returns", async () => {
    const spillDir = join(dir, "restart");
    const first = outageStore("restart", spillDir);
    await first.open();
    await server.stop();
    for (let i = 0; i < 30; i++) first.writeWindow(windowAt(i));
    await first.close();
    expect(first.backlog()).toEqual({ buffered: 0, spilled: 90 });

    const failures: InfluxWriteFailure[] = [];
    const second = outageStore("restart", spillDir, failures);
    const line = await second.open();
    expect(line).toContain("90 points spilled by the last run are being sent");
    expect(line).toMatch(/is not answering .*: starting from memory/);
    second.writeWindow(windowAt(30));
    await server.restart();
    await waitFor(() => {
      const { buffered, spilled } = second.backlog();
      return buffered === 0 && spilled === 0 && second.writeStats().written === 93 ? true : undefined;
    });
    expect(await stored("restart")).toEqual(expected(31));
    await second.close();
  });
});
