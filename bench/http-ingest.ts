// HTTP ingest throughput: a real `tocsin run` process on 127.0.0.1 (temporary data_dir, no rules,
// console off, snapshots off, the write-ahead log on with its default fsync, rate limits lifted) fed by
// autocannon POSTing NDJSON batches of 1,000 mentions with provider sentiment to /v1/mentions, against
// the "HTTP + JSON.parse floor" (bench/lib/http-floor-server.ts, a bare node:http server in its own
// process) loaded the same way in the same run. Afterwards /metrics must count what the 202s
// acknowledged. Set BENCH_CPU_PROF=DIR to write the engine process's CPU profile there.
// Usage: npm run bench -- --only http-ingest [--size small|full]
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeScript, ROOT } from "./lib/node-script.js";
import { exited } from "../test/helpers/tocsin-process.js";
import { runBench } from "./lib/cli.js";
import type { Figure } from "./lib/figure.js";
import type { LoadResult } from "./lib/http-load.js";
import { runLoad } from "./lib/http-load.js";
import { startTocsinWith } from "./lib/http-tocsin.js";

const COMMAND = "npm run bench -- --only http-ingest";
const BATCH = 1_000;
const CONNECTIONS = 8;

async function startFloor(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, nodeScript("bench/lib/http-floor-server"), {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (data: Buffer) => {
      stderr += data.toString();
      const match = /floor listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`floor server exited (${code}):\n${stderr}`)));
  });
  return { child, url };
}

/** The value of an unlabelled counter or gauge in a Prometheus text exposition. */
function metric(text: string, name: string): number {
  const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

async function measure(url: string, seconds: number): Promise<LoadResult> {
  // A short first run warms both sides' JIT and the connections; only the second counts.
  await runLoad({ url, path: "/v1/mentions", durationSeconds: 2, connections: CONNECTIONS, batch: BATCH });
  return runLoad({
    url,
    path: "/v1/mentions",
    durationSeconds: seconds,
    connections: CONNECTIONS,
    batch: BATCH,
  });
}

await runBench(async ({ size }) => {
  const seconds = size === "small" ? 4 : 20;
  const dir = await mkdtemp(join(tmpdir(), "tocsin-bench-http-"));
  let engine: LoadResult;
  let floor: LoadResult;
  let counted: { ingested: number; rejected: number; duplicates: number; late: number };
  try {
    const config = join(dir, "tocsin.yaml");
    await writeFile(
      config,
      `listen: 127.0.0.1:0
data_dir: ${JSON.stringify(join(dir, "state"))}
storage: { snapshot: false }
rules: { paths: [], watch: false }
alerts: { console: false, log: "" }
api:
  rate_limit: { mentions_per_second: 1.0e12, mentions_burst: 1.0e12, admin_requests_per_second: 1.0e6, admin_burst: 1.0e6 }
`,
    );
    const profile = process.env.BENCH_CPU_PROF;
    const tocsin = await startTocsinWith(profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [], [
      "--config",
      config,
    ]);
    try {
      engine = await measure(tocsin.url, seconds);
      const text = await (await fetch(`${tocsin.url}/metrics`)).text();
      counted = {
        ingested: metric(text, "tocsin_mentions_ingested_total"),
        rejected: sumOf(text, "tocsin_mentions_rejected_total"),
        duplicates: metric(text, "tocsin_mentions_duplicate_total"),
        late: metric(text, "tocsin_mentions_late_total"),
      };
    } finally {
      tocsin.child.kill("SIGTERM");
      await exited(tocsin.child);
    }
    const server = await startFloor();
    try {
      floor = await measure(server.url, seconds);
    } finally {
      server.child.kill("SIGTERM");
      await exited(server.child);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const rate = (result: LoadResult) => (result.ok * BATCH) / result.seconds;
  const tocsinRate = rate(engine);
  const floorRate = rate(floor);
  // Both runs' warm-ups are in the engine's counters: 2 s of load before the measured run.
  const agree = counted.ingested >= engine.acknowledged;
  const check = `${agree ? "ok" : "MISMATCH"}: /metrics tocsin_mentions_ingested_total ${counted.ingested} (warm-up run included) ≥ ${engine.acknowledged} acknowledged by 202s in the measured run; rejected ${counted.rejected}, duplicates ${counted.duplicates}, late ${counted.late}`;
  if (!agree || counted.rejected > 0 || counted.duplicates > 0 || counted.late > 0 || engine.non2xx > 0)
    console.error(`http-ingest: the engine did not count what it acknowledged: ${check}`);
  const figures: Figure[] = [
    {
      id: "http.ingest",
      title: "HTTP ingest, POST /v1/mentions NDJSON batches of 1,000 (provider sentiment)",
      value: tocsinRate,
      unit: "mentions/s",
      target: { op: ">=", value: 200_000, unit: "mentions/s" },
      comparison: {
        against: "HTTP + JSON.parse floor (bare node:http)",
        value: floorRate,
        ratio: tocsinRate / floorRate,
      },
      command: COMMAND,
      details: {
        "duration s": Math.round(engine.seconds),
        connections: CONNECTIONS,
        "batch bytes": engine.bodyBytes,
        "2xx": engine.ok,
        "non-2xx": engine.non2xx,
        errors: engine.errors,
        "batch latency p50 / p99 ms": `${engine.latencyP50} / ${engine.latencyP99}`,
        "floor batch latency p50 / p99 ms": `${floor.latencyP50} / ${floor.latencyP99}`,
        "write-ahead log":
          "on, fsync: true (default: write + fsync before the 202, one group commit per event-loop turn)",
        "counted by the engine": check,
      },
      notes:
        "2 cores: autocannon (one thread, workers off) and the server share them, so both sides are client-bound as well as server-bound; the ratio to the floor, measured the same way in the same run, is the figure that travels. Only 2xx responses count.",
    },
    {
      id: "http.ingest.latency.p99",
      title: "HTTP ingest, batch of 1,000 latency p99 at saturation",
      value: engine.latencyP99,
      unit: "ms",
      command: COMMAND,
      details: { "p50 ms": engine.latencyP50, connections: CONNECTIONS },
      notes: "Closed loop: 8 connections each with one batch in flight, so latency is queueing at full load.",
    },
  ];
  return figures;
});

function sumOf(text: string, name: string): number {
  let total = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "gm")))
    total += Number(match[1]);
  return total;
}
