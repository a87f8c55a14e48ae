// An InfluxDB outage in the middle of a replay through the engine: influxd (real, 1.x) is stopped after
// the first of three parts of two days of demo talk and started again after the second. Detection goes
// on from memory meanwhile (windows keep closing), points pile up and spill to disk, and once the
// server is back every window of every series reaches it exactly once.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateMentions } from "../examples/demo/scenario.js";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import { replay } from "../src/ingest/replay.js";
import { keyId } from "../src/model/index.js";
import { ReplayClock } from "../src/util/clock.js";
import { influxql } from "./helpers/influx-fixtures.js";
import { hasBinary, type RealServer, startInfluxd } from "./helpers/servers.js";

const lines = (mentions: readonly unknown[]) =>
  Readable.from(mentions.map((mention) => `${JSON.stringify(mention)}\n`));

describe.skipIf(!hasBinary("influxd"))("InfluxDB outage during a replay through the engine", () => {
  let influx: RealServer;
  let dataDir: string;

  beforeAll(async () => {
    influx = await startInfluxd();
    dataDir = await mkdtemp(join(tmpdir(), "tocsin-influx-replay-"));
  }, 60_000);

  afterAll(async () => {
    await influx?.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("delivers every window of every series exactly once after the server comes back, detection going on meanwhile", async () => {
    const config = parseConfig(
      `data_dir: ${dataDir}
alerts: { console: false, log: "" }
rules: { paths: [rules/negative-buzz.yaml], watch: false }
storage:
  type: influx
  snapshot: false
  influx:
    url: "${influx.url}"
    database: tocsin
    flush_interval: 50ms
    batch_size: 500
    buffer_points: 400
    retry_delay: 50ms
    retry_max_delay: 300ms
    close_timeout: 20s
`,
      "test.yaml",
      {},
    );
    const clock = new ReplayClock(0);
    const engine = new Engine({ config, clock, notifiers: [] });
    const closed = new Map<string, Set<number>>();
    engine.onWindowClosed((window) => {
      for (const row of window.rows) {
        const id = keyId(row.key);
        closed.set(id, (closed.get(id) ?? new Set()).add(window.start));
      }
    });
    await engine.start();

    const mentions = [...generateMentions({ days: 2, crisis: false, baseRatePerHour: 120 })];
    const third = Math.floor(mentions.length / 3);
    await replay(lines(mentions.slice(0, third)), (batch) => engine.ingest(batch), { clock });

    await influx.stop();
    const windowsBefore = [...closed.values()].reduce((n, starts) => n + starts.size, 0);
    await replay(lines(mentions.slice(third, 2 * third)), (batch) => engine.ingest(batch), { clock });
    // Detection went on: windows kept closing while the points waited, some of them on disk.
    expect([...closed.values()].reduce((n, starts) => n + starts.size, 0)).toBeGreaterThan(windowsBefore);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few failed tries and a spill
    const backlog = engine.store.backlog?.();
    expect((backlog?.buffered ?? 0) + (backlog?.spilled ?? 0)).toBeGreaterThan(0);
    expect(backlog?.spilled).toBeGreaterThan(0);

    await influx.restart();
    await replay(lines(mentions.slice(2 * third)), (batch) => engine.ingest(batch), { clock });
    engine.flush();
    await engine.stop(); // drains what is left
    expect(engine.store.backlog?.()).toEqual({ buffered: 0, spilled: 0 });

    const counted = await influxql(
      influx.url,
      "tocsin",
      'SELECT count("mentions") FROM "tocsin_series" GROUP BY "brand", "channel"',
    );
    const inInflux = new Map(
      counted.map((series) => [keyId(series.tags), Number(series.rows[0]?.count ?? 0)]),
    );
    expect(inInflux.size).toBe(closed.size);
    for (const [id, starts] of closed) expect(inInflux.get(id), id).toBe(starts.size);
    // Exactly once: a point written twice at the same time would be merged by InfluxDB, so also check
    // that no window start is missing or extra for one busy series, time by time.
    const times = await influxql(
      influx.url,
      "tocsin",
      `SELECT "mentions" FROM "tocsin_series" WHERE "brand" = 'kryptonite' AND "channel" = 'all'`,
    );
    const starts = [...(closed.get(keyId({ brand: "kryptonite", channel: "all" })) ?? [])].sort(
      (a, b) => a - b,
    );
    expect(times[0]?.rows.map((row) => Number(row.time))).toEqual(starts);
  }, 120_000);
});
