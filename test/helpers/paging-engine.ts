// An engine that pages: a threshold rule in a temp dir, webhook receivers on local fake HTTP servers,
// a route from the test, a manual clock, and the Hono app over it. `fire` makes one alert fire.
import { afterEach } from "vitest";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { createApp } from "../../src/api/app.js";
import type { ApiTokens } from "../../src/api/app.js";
import { parseConfig } from "../../src/config/load.js";
import { Engine } from "../../src/engine.js";
import { ManualClock } from "../../src/util/clock.js";
import type { FakeHttpReceiver } from "./fake-http-receiver.js";
import { startFakeHttpReceiver } from "./fake-http-receiver.js";
import { MIN, T0, wire } from "./mentions.js";

/** Fires on 3 negative mentions of a brand in one 5-minute window, and keeps firing for an hour. */
export const BUZZ_RULES = `groups:
  - name: buzz
    rules:
      - alert: NegativeBuzz
        metric: negative
        by: [brand]
        detector: { type: threshold, above: 3 }
        keep_firing_for: 1h
        annotations:
          summary: "{{ brand }}: {{ value }} negative mentions"
`;

export const WINDOW = 5 * MIN;

/** One webhook request as the receiver saw it, parsed. */
export interface WebhookEvent {
  event: string;
  note?: string;
  alert: {
    id: string;
    state: string;
    labels: Record<string, string>;
    acknowledged?: { by: string; at: number; comment?: string };
  };
}

export interface PagingEngineOptions {
  /** Receiver names; each is a webhook to its own fake server. */
  receivers?: readonly string[];
  /** The `route:` section (YAML flow mapping); none: nobody is paged. */
  route?: string;
  /** Reuse a data dir (restarts); the caller then removes it. */
  dataDir?: string;
  tokens?: ApiTokens;
  /** The clock's start, default T0. */
  now?: number;
}

export interface PagingEngine {
  engine: Engine;
  app: Hono;
  clock: ManualClock;
  dataDir: string;
  hooks: Map<string, FakeHttpReceiver>;
  /** The events a receiver got, in order. */
  events(receiver: string): WebhookEvent[];
  /**
   * Ingests 5 negative mentions of `brand` in the window that starts at `windowStart` and closes it
   * (clock to the window's end, lateness 0): the alert fires there. Returns its id.
   */
  fire(windowStart: number, brand?: string): string;
  /** Moves the clock and lets the engine close windows and send what is due. */
  tickAt(time: number): void;
  /** Stops the engine and the receivers, and removes the data dir unless the caller gave it. */
  close(): Promise<void>;
}

export async function pagingEngine(options: PagingEngineOptions = {}): Promise<PagingEngine> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "tocsin-paging-")));
  const rulesDir = join(dataDir, "rules");
  await mkdir(rulesDir, { recursive: true });
  await writeFile(join(rulesDir, "buzz.yaml"), BUZZ_RULES);
  const hooks = new Map<string, FakeHttpReceiver>();
  for (const name of options.receivers ?? []) hooks.set(name, await startFakeHttpReceiver());
  const receivers = [...hooks].map(
    ([name, hook]) => `  ${name}: { type: webhook, url: "${hook.url}/hook", secret: test-secret }`,
  );
  const yaml = [
    `data_dir: ${dataDir}`,
    "lateness: 0s",
    `rules: { paths: [${rulesDir}], watch: false }`,
    "storage: { snapshot: false }",
    'alerts: { console: false, log: "" }',
    ...(receivers.length > 0 ? ["receivers:", ...receivers] : []),
    ...(options.route ? [`route: ${options.route}`] : []),
  ].join("\n");
  const config = parseConfig(yaml, "tocsin.yaml", {});
  const clock = new ManualClock(options.now ?? T0);
  const engine = new Engine({ config, clock, notifiers: [] });
  await engine.start();

  const events = (receiver: string): WebhookEvent[] =>
    (hooks.get(receiver)?.requests ?? []).map((request) => JSON.parse(request.body) as WebhookEvent);
  const tickAt = (time: number) => {
    clock.set(time);
    engine.tick();
  };
  return {
    engine,
    app: createApp(engine, options.tokens),
    clock,
    dataDir,
    hooks,
    events,
    fire(windowStart, brand = "kryptonite") {
      const values = Array.from({ length: 5 }, (_, i) => ({
        line: i + 1,
        value: wire({ at: windowStart + i, brand, sentiment: "negative" }),
      }));
      const result = engine.ingest({ values, errors: [] });
      if (result.accepted !== values.length) throw new Error(`mentions refused: ${JSON.stringify(result)}`);
      tickAt(windowStart + WINDOW);
      const alert = engine.listAlerts("firing").find((a) => a.labels.brand === brand);
      if (!alert) throw new Error(`no firing alert for ${brand}`);
      return alert.id;
    },
    tickAt,
    async close() {
      await engine.stop();
      await Promise.all([...hooks.values()].map((hook) => hook.stop()));
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A starter for one test file: every engine it starts is closed after each test. */
export function pagingEngines(): (options?: PagingEngineOptions) => Promise<PagingEngine> {
  const open: PagingEngine[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((paging) => paging.close()));
  });
  return async (options = {}) => {
    const paging = await pagingEngine(options);
    open.push(paging);
    return paging;
  };
}
