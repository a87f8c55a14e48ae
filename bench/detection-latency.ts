// Detection latency: from the close of the window that holds a spike to the page reaching a webhook
// receiver. The real Engine runs in-process with a hand-moved clock, a threshold rule with `for: 0s`,
// a route with `group_wait: 0s` to a webhook receiver served by a local node:http server, the outbox
// journal fsync'd as configured (the page is on disk before it is sent) and the write-ahead log on, as
// in `tocsin run`. Each spike is 60 negative mentions of a brand of its own (a group and an incident of
// its own); the clock then moves to the window's end plus the lateness and `engine.tick()` (what the
// live timer calls) closes it. Timed with performance.now(): tick → the webhook notifier's send()
// called (before the HTTP hop) → the receiver's `request` event. A quiet window follows each spike and
// the outbox is drained, so spikes do not overlap. Run twice: alone, and with a background ingest load
// (NDJSON batches through ingestDurably, spread over many brands and channels) sharing the event loop.
// Usage: npm run bench -- --only detection-latency [--size small|full]
import { mkdtemp, open, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import { parseNdjson } from "../src/ingest/parse-batch.js";
import type { Notification } from "../src/notify/notifier.js";
import { WebhookNotifier } from "../src/notify/webhook.js";
import { ManualClock } from "../src/util/clock.js";
import { runBench } from "./lib/cli.js";
import type { Figure } from "./lib/figure.js";
import { summary } from "./lib/latency-stats.js";

const COMMAND = "npm run bench -- --only detection-latency";
const WINDOW_MS = 300_000;
const LATENESS_MS = 120_000;
const SPIKE_MENTIONS = 60;
const THRESHOLD = 50;
/** Background load: mentions per second, in batches every BATCH_EVERY_MS. */
const LOAD_RATE = 20_000;
const BATCH_EVERY_MS = 50;
const LOAD_BRANDS = 100;
const LOAD_CHANNELS = ["twitter", "facebook", "reddit", "news", "forum"];
/** Real time each window stays open under load, so it fills with the load's series. */
const HOLD_MS = 200;
const START = Date.UTC(2026, 0, 5);
/** Spikes first run and not counted: the JIT's first compilations and the receiver's first connection. */
const WARMUP = 3;

interface Timings {
  /** engine.tick() returning: close, store, rules, lifecycle, dispatch (synchronous). */
  tick: number[];
  /** The webhook notifier's send() called: after the outbox journal's write and fsync. */
  send: number[];
  /** The local receiver's `request` event: the page arrived. */
  received: number[];
}

/** Spike brand → when its firing page reached the notifier and the receiver (performance.now()). */
const sendCalls = new Map<string, number>();
const arrivals = new Map<string, (at: number) => void>();

// Timestamp each firing page as the outbox hands it to the notifier, before its HTTP request.
const originalSend = WebhookNotifier.prototype.send;
WebhookNotifier.prototype.send = function (this: WebhookNotifier, notification: Notification) {
  if (notification.event === "firing")
    sendCalls.set(String(notification.alert.labels.brand), performance.now());
  return originalSend.call(this, notification);
};

async function startReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        event: string;
        alert: { labels: Record<string, string> };
      };
      if (body.event === "firing") arrivals.get(String(body.alert.labels.brand))?.(at);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function mentionsNdjson(count: number, at: number, pick: (i: number) => [string, string, string]): string {
  const created = new Date(at).toISOString();
  let text = "";
  for (let i = 0; i < count; i++) {
    const [brand, channel, sentiment] = pick(i);
    text += `${JSON.stringify({ id: `m${++serial}`, brand, channel, text: "bench mention", created_at: created, sentiment })}\n`;
  }
  return text;
}
let serial = 0;

/** The background load: LOAD_RATE mentions/s over LOAD_BRANDS × LOAD_CHANNELS, 5 % negative. */
function startLoad(engine: Engine, clock: ManualClock): () => Promise<number> {
  const perBatch = Math.round((LOAD_RATE * BATCH_EVERY_MS) / 1000);
  let ingested = 0;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const loop = async () => {
    while (!stopped) {
      const started = performance.now();
      const body = mentionsNdjson(perBatch, clock.now(), (i) => [
        `load-${(serial + i) % LOAD_BRANDS}`,
        LOAD_CHANNELS[(serial + i) % LOAD_CHANNELS.length] as string,
        (serial + i) % 20 === 0 ? "negative" : "neutral",
      ]);
      ingested += (await engine.ingestDurably(parseNdjson(body, 1))).accepted;
      const wait = BATCH_EVERY_MS - (performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    }
  };
  running = loop();
  return async () => {
    stopped = true;
    await running;
    return ingested;
  };
}

async function scenario(spikes: number, load: boolean): Promise<Timings & { loadIngested: number }> {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-bench-latency-"));
  const receiver = await startReceiver();
  const config = parseConfig(
    `data_dir: ${JSON.stringify(dir)}
storage: { snapshot: false }
rules: { paths: [], watch: false }
alerts: { console: false, log: "" }
receivers:
  hook: { type: webhook, url: "${receiver.url}", secret: bench-secret }
route: { receiver: hook, group_by: [brand], group_wait: 0s }
`,
    "bench.yaml",
    {},
  );
  const clock = new ManualClock(START + 1_000);
  const engine = new Engine({ config, clock, wal: true, timers: false });
  await engine.start();
  // The rule is loaded from a temporary file, as rule authors write it.
  const rules = join(dir, "spike.yaml");
  const handle = await open(rules, "w");
  await handle.writeFile(`groups:
  - name: bench
    rules:
      - alert: BenchSpike
        metric: negative
        by: [brand]
        detector: { type: threshold, above: ${THRESHOLD} }
        for: 0s
        severity: warning
        annotations: { summary: "{{ brand }}: {{ value }} negative mentions" }
`);
  await handle.close();
  engine.config.rules.paths = [rules];
  const reload = await engine.reloadRules();
  if (!reload.ok) throw new Error(reload.errors.join("\n"));

  const stopLoad = load ? startLoad(engine, clock) : undefined;
  const timings: Timings = { tick: [], send: [], received: [] };
  try {
    for (let i = -WARMUP; i < spikes; i++) {
      const brand = `spike-${i + WARMUP}`;
      const windowStart = Math.floor(clock.now() / WINDOW_MS) * WINDOW_MS;
      await engine.ingestDurably(
        parseNdjson(
          mentionsNdjson(SPIKE_MENTIONS, clock.now(), () => [brand, "twitter", "negative"]),
          1,
        ),
      );
      if (load) await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
      const arrived = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no page for ${brand} within 10 s`)), 10_000);
        arrivals.set(brand, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
      // The window's end plus the lateness: the watermark reaches its end, this tick closes it.
      clock.set(windowStart + WINDOW_MS + LATENESS_MS);
      const started = performance.now();
      engine.tick();
      const ticked = performance.now();
      const received = await arrived;
      arrivals.delete(brand);
      if (i >= 0) {
        timings.tick.push(ticked - started);
        timings.send.push((sendCalls.get(brand) ?? Number.NaN) - started);
        timings.received.push(received - started);
      }
      // A quiet window (the spike resolves), then the outbox drained: the next spike starts clean.
      clock.set(windowStart + 2 * WINDOW_MS + LATENESS_MS);
      engine.tick();
      await engine.drainPages(10_000);
      if (load) await new Promise((resolve) => setTimeout(resolve, HOLD_MS / 4));
      clock.set(clock.now() + 1_000);
    }
  } finally {
    const loadIngested = (await stopLoad?.()) ?? 0;
    await engine.stop();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
    Object.assign(timings, { loadIngested });
  }
  return timings as Timings & { loadIngested: number };
}

/** write + fsync of a small record on the same disk: the floor of the outbox journal's commit. */
async function fsyncProbe(samples: number): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-bench-fsync-"));
  const handle = await open(join(dir, "probe.jsonl"), "a");
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      await handle.write(`${JSON.stringify({ t: "enqueue", seq: i, pad: "x".repeat(2_000) })}\n`);
      await handle.sync();
      times.push(performance.now() - started);
    }
  } finally {
    await handle.close();
    await rm(dir, { recursive: true, force: true });
  }
  return times;
}

await runBench(async ({ size }) => {
  const spikes = size === "small" ? 20 : 200;
  const quiet = await scenario(spikes, false);
  const loaded = await scenario(size === "small" ? 10 : spikes, true);
  const fsync = summary(await fsyncProbe(size === "small" ? 50 : 200));
  const q = { tick: summary(quiet.tick), send: summary(quiet.send), received: summary(quiet.received) };
  const l = { tick: summary(loaded.tick), send: summary(loaded.send), received: summary(loaded.received) };
  const target = { op: "<=" as const, value: 50, unit: "ms" };
  const common = {
    window: "5m",
    lateness: "2m",
    rule: `threshold above ${THRESHOLD}, for 0s`,
    route: "group_wait 0s, webhook on 127.0.0.1",
    "outbox journal fsync p50 / p99 (probe, ms)": `${fsync.p50} / ${fsync.p99}`,
  };
  const notes =
    "Measured from engine.tick(), the call that closes the window once the watermark (clock − lateness) passes its end; in `tocsin run` that tick comes from a 1 s timer (TICK_MS) or from the next ingested batch, so a live page also waits up to 1 s (0.5 s on average) for the close to be noticed. The page is journalled (write + fsync) before send(), which is part of this path.";
  const split = (t: typeof q) => ({
    "tick (close → rules → dispatch) p50 / p99 ms": `${t.tick.p50} / ${t.tick.p99}`,
    "tick → notifier send() p50 / p99 ms": `${t.send.p50} / ${t.send.p99}`,
    "tick → receiver p50 / max ms": `${t.received.p50} / ${t.received.max}`,
  });
  const figures: Figure[] = [
    {
      id: "detection.latency.p50",
      title: "Detection latency p50, window close → webhook received",
      value: q.received.p50,
      unit: "ms",
      command: COMMAND,
      details: {
        spikes: quiet.received.length,
        "warm-up spikes (not counted)": WARMUP,
        ...common,
        ...split(q),
      },
      notes,
    },
    {
      id: "detection.latency.p99",
      title: "Detection latency p99, window close → webhook received",
      value: q.received.p99,
      unit: "ms",
      target,
      command: COMMAND,
      details: {
        "warm-up spikes (not counted)": WARMUP,
        spikes: quiet.received.length,
        ...common,
        ...split(q),
      },
      notes,
    },
    {
      id: "detection.latency.loaded.p99",
      title: `Detection latency p99 under ${LOAD_RATE.toLocaleString("en-US")} mentions/s of ingest`,
      value: l.received.p99,
      unit: "ms",
      target,
      command: COMMAND,
      details: {
        spikes: loaded.received.length,
        "background load": `${LOAD_RATE} mentions/s in batches of ${(LOAD_RATE * BATCH_EVERY_MS) / 1000} through ingestDurably (WAL on), ${LOAD_BRANDS} brands × ${LOAD_CHANNELS.length} channels`,
        "load mentions ingested": loaded.loadIngested,
        "p50 ms": l.received.p50,
        ...common,
        ...split(l),
      },
      notes: `${notes} The load shares the engine's event loop (no HTTP parsing in this figure: see http-ingest for that).`,
    },
  ];
  return figures;
});
