// `tocsin run`: the engine with the HTTP API, optionally fed by a replay of an NDJSON file or stdin.
import { createReadStream } from "node:fs";
import type { Command } from "commander";
import { createApp, tokensFromEnv } from "../api/app.js";
import type { ApiTokens } from "../api/app.js";
import { isLoopback, serverTimeouts, splitListen, startServer } from "../api/server.js";
import { loadConfig } from "../config/load.js";
import type { IngestResult } from "../engine.js";
import { Engine } from "../engine.js";
import { replay } from "../ingest/replay.js";
import { createLogger } from "../telemetry/logger.js";
import type { Logger } from "../telemetry/logger.js";
import { Metrics } from "../telemetry/metrics.js";
import { otlpTracesEndpoint } from "../telemetry/otlp-endpoint.js";
import type { Tracing } from "../telemetry/otlp.js";
import { ReplayClock } from "../util/clock.js";
import { LocatedError } from "../util/located-error.js";
import { ReplayReport } from "./replay-report.js";

interface RunOptions {
  config?: string;
  rules?: string[];
  listen?: string;
  replay?: string;
  speed: string;
}

export function registerRun(program: Command): void {
  program
    .command("run")
    .description("run the engine: HTTP API on 127.0.0.1:8080, embedded store, console output")
    .option("-c, --config <file>", "tocsin.yaml (default: $TOCSIN_CONFIG, else built-in defaults)")
    .option("--rules <path...>", "rule files or folders (overrides the config's rules.paths)")
    .option("-l, --listen <host:port>", "address of the HTTP API (overrides the config)")
    .option("-r, --replay <file|->", "replay mentions from an NDJSON file, or - for stdin")
    .option("-s, --speed <x>", "replay at x times real time; 0 means as fast as possible", "0")
    .action((options: RunOptions) => run(options));
}

async function run(options: RunOptions): Promise<void> {
  const config = await loadConfigOrExplain(options.config || process.env.TOCSIN_CONFIG || undefined);
  if (options.listen) config.listen = options.listen;
  if (options.rules) config.rules.paths = options.rules;
  // Before anything starts: an open port without tokens is refused, not started and warned about.
  const tokens = tokensFromEnv();
  refuseOpenListen(config.listen, tokens);
  const speed = Number(options.speed);
  if (!Number.isFinite(speed) || speed < 0)
    throw new Error(`--speed must be a number >= 0, got "${options.speed}"`);

  const logger = createLogger({ level: config.log.level });
  const tracing = await startTracing(logger);
  const replayClock = options.replay === undefined ? undefined : new ReplayClock(speed);
  const engine = new Engine({
    config,
    logger,
    metrics: new Metrics(),
    ...(replayClock ? { clock: replayClock } : {}),
    // An as-fast-as-possible replay has no "now" to be in the future of.
    guardFuture: replayClock === undefined || speed > 0,
    timers: replayClock === undefined || speed > 0,
    watchRules: true,
    // Acknowledged mentions are logged before the 202; a replayed file is its own log.
    wal: replayClock === undefined,
  });
  await engine.start();
  const server = await startServer(
    createApp(engine, tokens),
    config.listen,
    tokens,
    serverTimeouts(config.api),
  );
  logger.info({ url: server.url }, `tocsin listening on ${server.url}`);

  const stop = async (signal: string) => {
    logger.info(`${signal}: shutting down`);
    // Not ready first (load balancers move away), then the requests in flight finish, then the
    // engine saves its series, cuts its mention log and closes its outbox.
    engine.beginShutdown();
    await server.close();
    await engine.stop();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  if (replayClock && options.replay !== undefined) {
    const report = new ReplayReport(config.window);
    engine.onWindowClosed((window) => report.addWindow(window));
    const source = options.replay === "-" ? process.stdin : createReadStream(options.replay);
    const totals: IngestResult = { accepted: 0, rejected: [], duplicates: 0, late: 0 };
    let rejectedCount = 0;
    const summary = await replay(
      source,
      (batch) => {
        const result = engine.ingest(batch);
        totals.accepted += result.accepted;
        totals.duplicates += result.duplicates;
        totals.late += result.late;
        rejectedCount += result.rejected.length;
        for (const { line, error } of result.rejected.slice(0, 20))
          logger.warn(`${options.replay}:${line}: ${error}`);
      },
      { clock: replayClock, maxLineBytes: config.ingest.max_line_bytes },
    );
    if (speed === 0) engine.flush();
    process.stdout.write(report.render());
    logger.info(
      {
        lines: summary.lines,
        accepted: totals.accepted,
        rejected: rejectedCount,
        duplicates: totals.duplicates,
        late: totals.late,
      },
      `replay of ${options.replay} done; still serving ${server.url} (GET /v1/series?metric=negative&brand=...), Ctrl-C to stop`,
    );
  }
}

/**
 * Loopback by default; any other address only with both tokens, else exit 2 (a usage error) with
 * the reason. startServer refuses too; this check runs first so nothing has started yet.
 */
function refuseOpenListen(listen: string, tokens: ApiTokens): void {
  if (isLoopback(splitListen(listen).host) || (tokens.ingest && tokens.admin)) return;
  const missing = [tokens.ingest ? "" : "TOCSIN_INGEST_TOKEN", tokens.admin ? "" : "TOCSIN_ADMIN_TOKEN"];
  process.stderr.write(
    `tocsin: refusing to listen on ${listen}, which is not a loopback address, without ${missing.filter(Boolean).join(" and ")}: ` +
      `anyone who can reach it could post mentions and acknowledge or silence alerts. ` +
      `Set both tokens (or their *_FILE forms), or listen on 127.0.0.1.\n`,
  );
  process.exit(2);
}

/** OTLP/HTTP trace export when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set; nothing otherwise. */
async function startTracing(logger: Logger): Promise<Tracing | undefined> {
  const endpoint = otlpTracesEndpoint();
  if (endpoint === undefined) return undefined;
  const { startOtlpTracing } = await import("../telemetry/otlp.js");
  const tracing = startOtlpTracing(endpoint, logger);
  logger.info({ endpoint }, `tracing: exporting spans over OTLP/HTTP to ${endpoint}`);
  return tracing;
}

async function loadConfigOrExplain(path: string | undefined) {
  try {
    return await loadConfig(path);
  } catch (error) {
    if (error instanceof LocatedError) throw new Error(`invalid config:\n${error.message}`, { cause: error });
    throw error;
  }
}
