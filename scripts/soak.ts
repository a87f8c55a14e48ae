// Soak: a real `tocsin run` fed a steady stream of live mentions over HTTP for a long time, its memory
// and the ingest latency sampled throughout, to show that memory stays flat under sustained load.
//
//   npx tsx scripts/soak.ts --rate 10000 --duration 1h --out bench/soak-1h.json --report bench/SOAK.md
//
// The server is `node --import tsx src/cli/main.ts run` (as the tests start it; the soak needs no
// build that would overwrite dist/ under other work). tsx is not free: it wraps every function the
// engine creates in esbuild's keepNames helper, which costs heap and time the compiled engine does not
// pay (bench/lib/node-script.ts). `--server dist` runs `node dist/src/cli/main.js run`, the build users
// run, instead (after `npm run build`). It gets a temporary data_dir, 127.0.0.1:0, the shipped rules of
// rules/, the console notifier off, snapshots on; its logs go to a file in the data_dir.
//
// Load: `--rate` mentions/s as NDJSON batches of `--batch` lines POSTed to /v1/mentions by a pacing
// loop with at most `--in-flight` requests outstanding; a backlog beyond one second is dropped and
// counted as shortfall, so a server that cannot keep up shows as a lower achieved rate, not as an
// ever-growing client queue. Mentions: unique ids, created_at = now (live clock), several brands and
// channels, English and French texts, authors with followers, engagement, some brand replies to
// recent complaints; `--lexicon-share` of them carry no provider sentiment (the lexicon classifies
// them), the rest carry a provider label (mostly neutral, some negative and positive).
//
// Every `--sample` seconds: the server's RSS and V8 heap (from /metrics, and VmRSS from /proc), its
// ingested/rejected/duplicate/late counts, the event-loop lag, and over the interval the achieved rate
// and the request latency percentiles. JSON samples go to --out (rewritten after every sample, so an
// interrupted run keeps its data) and a markdown report to --report.
import { type ChildProcess, spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";
import { Random } from "../examples/demo/random.js";

const ROOT = new URL("..", import.meta.url).pathname;

// ---------------------------------------------------------------------------------------------------
// Options

interface Options {
  rate: number;
  durationMs: number;
  batch: number;
  inFlight: number;
  sampleMs: number;
  lexiconShare: number;
  brands: number;
  server: "tsx" | "dist";
  out: string;
  report: string | undefined;
  seed: number;
}

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`bad duration "${text}" (e.g. 90s, 5m, 1h)`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] ?? "s"] as number;
  return Number(match[1]) * unit;
}

function parseArgs(argv: string[]): Options {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) throw new Error(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split("=", 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    values.set(name, value);
  }
  const known = ["rate", "duration", "batch", "in-flight", "sample", "lexicon-share", "brands", "server"];
  for (const name of values.keys())
    if (![...known, "out", "report", "seed"].includes(name)) throw new Error(`unknown option --${name}`);
  const number = (name: string, fallback: number) => {
    const value = Number(values.get(name) ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number >= 0`);
    return value;
  };
  const server = values.get("server") ?? "tsx";
  if (server !== "tsx" && server !== "dist") throw new Error(`--server must be tsx or dist`);
  const options: Options = {
    rate: number("rate", 10_000),
    durationMs: parseDuration(values.get("duration") ?? "90s"),
    batch: Math.max(1, Math.round(number("batch", 100))),
    inFlight: Math.max(1, Math.round(number("in-flight", 32))),
    sampleMs: parseDuration(values.get("sample") ?? "10s"),
    lexiconShare: Math.min(1, number("lexicon-share", 0.2)),
    brands: Math.max(1, Math.round(number("brands", 8))),
    server,
    out: values.get("out") ?? "bench/out/soak.json",
    report: values.get("report"),
    seed: number("seed", 7),
  };
  if (options.sampleMs < 1_000) throw new Error("--sample must be at least 1s");
  return options;
}

// ---------------------------------------------------------------------------------------------------
// Mentions

const BRAND_NAMES = [
  "kryptonite",
  "acmebank",
  "velora",
  "nordair",
  "lumio",
  "petitbateau",
  "skyhaul",
  "quantix",
  "maisonverte",
  "orbitel",
  "fizzco",
  "trailpeak",
];
// Weighted: the big channels carry most of the talk.
const CHANNELS: Array<[string, number]> = [
  ["twitter", 30],
  ["facebook", 15],
  ["instagram", 12],
  ["reddit", 10],
  ["tiktok", 8],
  ["youtube", 6],
  ["forum", 6],
  ["news", 5],
  ["blog", 4],
  ["review", 4],
];
const TEXTS: Record<"en" | "fr", Record<"negative" | "neutral" | "positive", string[]>> = {
  en: {
    negative: [
      "The {b} lock was picked with a ballpoint pen in seconds, this is a disgrace",
      "Worst customer service ever, {b} never answered my complaint",
      "My {b} order arrived broken and nobody cares, really disappointed",
      "{b} charged me twice and support keeps closing my ticket, terrible",
      "Avoid {b}, the app crashes every time I try to pay",
      "Is anyone else having problems with {b} today? Totally unusable",
    ],
    neutral: [
      "Just saw the new {b} ad on the subway",
      "Does {b} ship to Canada?",
      "{b} announced its quarterly results this morning",
      "Picked up a {b} at the store on the way home",
      "Anyone know when the {b} store opens on Sunday?",
      "Reading an article about {b} and its new factory",
    ],
    positive: [
      "Love my new {b}, works perfectly",
      "Great support from {b} today, problem solved in five minutes",
      "{b} is the best thing I bought this year",
      "Thanks {b} for the quick delivery, very happy",
    ],
  },
  fr: {
    negative: [
      "Le cadenas {b} s'ouvre avec un stylo bille, c'est scandaleux",
      "Service client {b} nul, aucune réponse depuis une semaine",
      "Ma commande {b} est arrivée cassée, très déçu",
      "{b} m'a débité deux fois, inadmissible",
      "L'appli {b} plante encore, c'est insupportable",
    ],
    neutral: [
      "Vu la nouvelle pub {b} dans le métro",
      "Quelqu'un sait si {b} livre en Belgique ?",
      "{b} publie ses résultats trimestriels ce matin",
      "Article intéressant sur l'usine {b}",
    ],
    positive: [
      "Super content de mon nouveau {b}",
      "Merci {b} pour la livraison rapide, parfait",
      "Le service client {b} a été génial",
    ],
  },
};
const TAGS = [
  "",
  "",
  "",
  " #fail",
  " #help",
  " #deal",
  " #news",
  " lol",
  " !!",
  " :(",
  " :)",
  " #customerservice",
];

interface Generator {
  /** One NDJSON body of `count` mentions dated `now`. */
  batch(count: number, now: Date): string;
}

function mentionGenerator(options: Options, runId: string): Generator {
  const generator = new Random(options.seed);
  const random = () => generator.next();
  const brands = Array.from(
    { length: options.brands },
    (_, i) => BRAND_NAMES[i % BRAND_NAMES.length] + (i >= BRAND_NAMES.length ? String(i) : ""),
  );
  const channelTotal = CHANNELS.reduce((sum, [, weight]) => sum + weight, 0);
  const pickChannel = () => {
    let r = random() * channelTotal;
    for (const [channel, weight] of CHANNELS) if ((r -= weight) < 0) return channel;
    return CHANNELS[0]?.[0] as string;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Recent complaints per brand, so brand replies answer real mention ids (the response tracker).
  const complaints = new Map<string, Array<{ channel: string; id: string }>>(brands.map((b) => [b, []]));
  let seq = 0;
  return {
    batch(count, now) {
      const createdAt = now.toISOString();
      const lines: string[] = [];
      for (let i = 0; i < count; i++) {
        // Brand shares are skewed: the first brands are talked about more.
        const brand = brands[Math.floor(brands.length * random() * random())] as string;
        const id = `${runId}-${(seq++).toString(36)}`;
        const recent = complaints.get(brand) as Array<{ channel: string; id: string }>;
        if (random() < 0.01 && recent.length > 0) {
          const complaint = recent[Math.floor(random() * recent.length)] as { channel: string; id: string };
          lines.push(
            JSON.stringify({
              id,
              brand,
              channel: complaint.channel,
              text: `Hi, sorry to hear that, please DM us your order number so we can help.`,
              created_at: createdAt,
              lang: "en",
              sentiment: "neutral",
              author: { id: `${brand}-care`, name: `${brand} care`, followers: 50_000 },
              in_reply_to: complaint.id,
              is_brand_reply: true,
            }),
          );
          continue;
        }
        const channel = pickChannel();
        const lang = random() < 0.35 ? "fr" : "en";
        const r = random();
        const tone = r < 0.3 ? "negative" : r < 0.85 ? "neutral" : "positive";
        const text = pick(TEXTS[lang][tone]).replace("{b}", brand) + pick(TAGS);
        const mention: Record<string, unknown> = {
          id,
          brand,
          channel,
          text,
          created_at: createdAt,
          lang,
          author: {
            id: `u${Math.floor(random() * 200_000)}`,
            followers: Math.floor(10 ** (random() * 5)),
          },
          engagement: { likes: Math.floor(random() * 50), shares: Math.floor(random() * 10) },
          url: `https://${channel}.example/${id}`,
        };
        if (random() >= options.lexiconShare) mention.sentiment = tone;
        if (tone === "negative") {
          recent.push({ channel, id });
          if (recent.length > 200) recent.shift();
        }
        lines.push(JSON.stringify(mention));
      }
      return `${lines.join("\n")}\n`;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The server

interface Server {
  child: ChildProcess;
  url: string;
  dataDir: string;
  logFile: string;
}

async function startServer(options: Options): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), "tocsin-soak-"));
  const configFile = join(dataDir, "tocsin.yaml");
  writeFileSync(
    configFile,
    [
      "listen: 127.0.0.1:0",
      `data_dir: ${JSON.stringify(dataDir)}`,
      "rules:",
      `  paths: [${JSON.stringify(join(ROOT, "rules"))}]`,
      "alerts:",
      "  console: false",
      "log:",
      "  level: info",
      "",
    ].join("\n"),
  );
  const args =
    options.server === "dist"
      ? [join(ROOT, "dist/src/cli/main.js"), "run", "--config", configFile]
      : ["--import", "tsx", "src/cli/main.ts", "run", "--config", configFile];
  const logFile = join(dataDir, "tocsin.log");
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, TOCSIN_INGEST_TOKEN: "", TOCSIN_ADMIN_TOKEN: "", TOCSIN_CONFIG: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  let head = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tocsin did not start in 60 s:\n${head}`)), 60_000);
    const onData = (data: Buffer) => {
      if (head.length < 100_000) head += data.toString();
      const match = /tocsin listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(head);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`tocsin exited (${code}) before listening:\n${head}`));
    });
  });
  log.write(head);
  child.stderr?.pipe(log);
  return { child, url, dataDir, logFile };
}

// ---------------------------------------------------------------------------------------------------
// Sampling

interface Sample {
  t: number; // seconds since the load started
  at: string;
  rssMB: number;
  vmRssMB: number | null;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number | null;
  cpuSeconds: number | null;
  eventLoopLagP99Ms: number | null;
  ingested: number;
  rejected: number;
  duplicates: number;
  late: number;
  seriesKeys: number | null;
  sent: number; // mentions POSTed in the interval
  rate: number; // mentions/s acknowledged in the interval
  requests: number;
  errors: number; // non-202 responses and failed requests in the interval
  shortfall: number; // mentions the pacing loop dropped in the interval (rate not kept)
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  metricsScrapeMs: number;
  loadAverage1m: number; // the machine's, to read latency against other work on it
  clientCpuSeconds: number; // the load generator's own CPU in the interval
}

function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    const name = line.slice(0, space);
    const value = Number(line.slice(space + 1));
    // Sum a metric over its label sets under its bare name too.
    const bare = name.includes("{") ? name.slice(0, name.indexOf("{")) : name;
    values.set(name, value);
    if (bare !== name) values.set(`${bare}:sum`, (values.get(`${bare}:sum`) ?? 0) + value);
  }
  return values;
}

const total = (metrics: Map<string, number>, name: string) =>
  metrics.get(name) ?? metrics.get(`${name}:sum`) ?? 0;

function vmRss(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

// ---------------------------------------------------------------------------------------------------
// The run

interface Result {
  command: string;
  startedAt: string;
  finishedAt: string | null;
  complete: boolean;
  options: Omit<Options, "out" | "report"> & { durationS: number; sampleS: number };
  environment: Record<string, string | number>;
  samples: Sample[];
  summary: Record<string, unknown> | null;
  serverLog?: { lines: number; warnings: number; errors: number; firstProblems: string[] };
}

/** The server's pino log: how many lines, warnings and errors, and the first few problems. */
function serverLogSummary(file: string): NonNullable<Result["serverLog"]> {
  const summary = { lines: 0, warnings: 0, errors: 0, firstProblems: [] as string[] };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return summary;
  }
  for (const line of text.split("\n")) {
    if (line === "") continue;
    summary.lines++;
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
    if (level >= 50) summary.errors++;
    else if (level >= 40) summary.warnings++;
    if (level >= 40 && summary.firstProblems.length < 5) summary.firstProblems.push(line.slice(0, 400));
  }
  return summary;
}

function post(agent: Agent, url: URL, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/x-ndjson", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function get(url: string): Promise<string> {
  const response = await fetch(url);
  return response.text();
}

function environment(options: Options): Record<string, string | number> {
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  let dirty = 0;
  try {
    dirty = execFileSync("git", ["--no-optional-locks", "status", "--porcelain"], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .split("\n")
      .filter(Boolean).length;
  } catch {
    // not a git checkout
  }
  return {
    node: process.version,
    heapLimitMB: Math.round(getHeapStatistics().heap_size_limit / 1_048_576),
    uncommittedFiles: dirty,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    platform: `${process.platform} ${process.arch}`,
    commit,
    server:
      options.server === "dist" ? "node dist/src/cli/main.js run" : "node --import tsx src/cli/main.ts run",
  };
}

/**
 * `--rereport FILE [--report FILE]`: recomputes the memory floor slopes of a recorded run (after a fix
 * to how they are computed) and rewrites its JSON and report; the request latencies, which the JSON
 * does not keep, stay as summarised during the run.
 */
function rereport(argv: string[]): boolean {
  if (argv[0] !== "--rereport" || argv[1] === undefined) return false;
  const file = argv[1];
  const result = JSON.parse(readFileSync(file, "utf8")) as Result;
  const secondHalf = result.samples.filter((s) => s.t >= (result.samples.at(-1)?.t ?? 0) / 2);
  const sampleS = result.options.sampleS;
  result.summary = {
    ...result.summary,
    heapFloorSlopeSecondHalfMBPerHour: floorSlope(secondHalf, sampleS, (s) => s.heapUsedMB),
    rssFloorSlopeSecondHalfMBPerHour: floorSlope(secondHalf, sampleS, (s) => s.rssMB),
  };
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  if (argv[2] === "--report" && argv[3] !== undefined) writeFileSync(argv[3], report(result, []));
  console.error(`soak: ${JSON.stringify(result.summary)}`);
  return true;
}

async function main(): Promise<void> {
  if (rereport(process.argv.slice(2))) return;
  const options = parseArgs(process.argv.slice(2));
  const command = `npx tsx scripts/soak.ts ${process.argv.slice(2).join(" ")}`;
  const runId = `soak${Date.now().toString(36)}`;
  const generator = mentionGenerator(options, runId);
  const server = await startServer(options);
  const ingestUrl = new URL("/v1/mentions", server.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.inFlight });
  console.error(`soak: tocsin pid ${server.child.pid} on ${server.url}, data_dir ${server.dataDir}`);
  console.error(
    `soak: ${options.rate} mentions/s in batches of ${options.batch} for ${options.durationMs / 1000} s`,
  );

  const result: Result = {
    command,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    complete: false,
    options: {
      rate: options.rate,
      durationMs: options.durationMs,
      durationS: options.durationMs / 1000,
      batch: options.batch,
      inFlight: options.inFlight,
      sampleMs: options.sampleMs,
      sampleS: options.sampleMs / 1000,
      lexiconShare: options.lexiconShare,
      brands: options.brands,
      server: options.server,
      seed: options.seed,
    },
    environment: environment(options),
    samples: [],
    summary: null,
  };
  mkdirSync(dirname(options.out), { recursive: true });

  let serverExited: number | null | undefined;
  server.child.once("exit", (code) => (serverExited = code));

  // Counters of the current interval and of the whole run.
  let inFlight = 0;
  let sentTotal = 0;
  let scheduledTotal = 0;
  let shortfallTotal = 0;
  let intervalSent = 0;
  let intervalAccepted = 0;
  let intervalRequests = 0;
  let intervalErrors = 0;
  let intervalShortfall = 0;
  let intervalLatencies: number[] = [];
  const allLatencies: number[] = [];
  let acceptedTotal = 0;
  let errorsTotal = 0;
  let rejectedLinesTotal = 0;
  let lastError = "";
  let retriesTotal = 0;

  const send = (count: number) => {
    const body = generator.batch(count, new Date());
    inFlight++;
    sentTotal += count;
    intervalSent += count;
    const started = performance.now();
    // A keep-alive socket the server closed as idle just as it was reused: sent again once (the
    // server's duplicate filter makes a repeat harmless), counted apart from errors.
    const attempt = () =>
      post(agent, ingestUrl, body).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ECONNRESET" && error.code !== "EPIPE") throw error;
        retriesTotal++;
        return post(agent, ingestUrl, body);
      });
    attempt().then(
      (response) => {
        const ms = performance.now() - started;
        inFlight--;
        intervalRequests++;
        intervalLatencies.push(ms);
        allLatencies.push(ms);
        if (response.status !== 202) {
          intervalErrors++;
          errorsTotal++;
          lastError = `HTTP ${response.status}: ${response.body.slice(0, 300)}`;
          return;
        }
        const parsed = JSON.parse(response.body) as { accepted: number; rejected: unknown[] };
        intervalAccepted += parsed.accepted;
        acceptedTotal += parsed.accepted;
        rejectedLinesTotal += parsed.rejected.length;
        if (parsed.rejected.length > 0) lastError = JSON.stringify(parsed.rejected[0]);
      },
      (error: Error) => {
        inFlight--;
        intervalRequests++;
        intervalErrors++;
        errorsTotal++;
        lastError = error.message;
      },
    );
  };

  let lastClientCpu = process.cpuUsage();
  const clientCpu = () => {
    const usage = process.cpuUsage(lastClientCpu);
    lastClientCpu = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  };
  const start = performance.now();
  let lastSampleAt = start;
  let baseCpu: number | null = null;
  let lastCpu: number | null = null;

  const sample = async (): Promise<void> => {
    const now = performance.now();
    const seconds = (now - lastSampleAt) / 1000;
    lastSampleAt = now;
    const scrapeStarted = performance.now();
    const metrics = parseMetrics(await get(new URL("/metrics", server.url).href));
    const scrapeMs = performance.now() - scrapeStarted;
    const latencies = intervalLatencies.sort((a, b) => a - b);
    const cpu = metrics.get("process_cpu_seconds_total") ?? null;
    if (baseCpu === null) baseCpu = cpu;
    const cpuInterval = cpu !== null && lastCpu !== null ? cpu - lastCpu : null;
    lastCpu = cpu;
    const mb = (name: string) => round((metrics.get(name) ?? 0) / 1_048_576);
    const lag = metrics.get("nodejs_eventloop_lag_p99_seconds");
    const entry: Sample = {
      t: round((now - start) / 1000, 0),
      at: new Date().toISOString(),
      rssMB: mb("process_resident_memory_bytes"),
      vmRssMB: ((value) => (value === null ? null : round(value)))(vmRss(server.child.pid)),
      heapUsedMB: mb("nodejs_heap_size_used_bytes"),
      heapTotalMB: mb("nodejs_heap_size_total_bytes"),
      externalMB: metrics.has("nodejs_external_memory_bytes") ? mb("nodejs_external_memory_bytes") : null,
      cpuSeconds: cpuInterval === null ? null : round(cpuInterval, 2),
      eventLoopLagP99Ms: lag === undefined ? null : round(lag * 1000, 1),
      ingested: total(metrics, "tocsin_mentions_ingested_total"),
      rejected: total(metrics, "tocsin_mentions_rejected_total"),
      duplicates: total(metrics, "tocsin_mentions_duplicate_total"),
      late: total(metrics, "tocsin_mentions_late_total"),
      seriesKeys: metrics.has("tocsin_series_keys") ? (metrics.get("tocsin_series_keys") as number) : null,
      sent: intervalSent,
      rate: Math.round(intervalAccepted / seconds),
      requests: intervalRequests,
      errors: intervalErrors,
      shortfall: intervalShortfall,
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p90: round(percentile(latencies, 90)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? 0),
      },
      metricsScrapeMs: round(scrapeMs),
      loadAverage1m: round(loadavg()[0] ?? 0, 2),
      clientCpuSeconds: round(clientCpu(), 2),
    };
    intervalSent = 0;
    intervalAccepted = 0;
    intervalRequests = 0;
    intervalErrors = 0;
    intervalShortfall = 0;
    intervalLatencies = [];
    result.samples.push(entry);
    console.error(
      `soak t=${entry.t}s rss=${entry.rssMB}MB heap=${entry.heapUsedMB}MB rate=${entry.rate}/s ` +
        `p50=${entry.latencyMs.p50}ms p99=${entry.latencyMs.p99}ms errors=${entry.errors} ` +
        `shortfall=${entry.shortfall} cpu=${entry.cpuSeconds ?? "?"}s client=${entry.clientCpuSeconds}s ` +
        `load=${entry.loadAverage1m} lag99=${entry.eventLoopLagP99Ms ?? "?"}ms` +
        (lastError ? ` last error: ${lastError}` : ""),
    );
    lastError = "";
    writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
    if (options.report) writeFileSync(options.report, report(result, allLatencies));
  };

  // The pacing loop: every tick, send what the schedule says is due, in whole batches, as long as
  // fewer than `inFlight` requests are outstanding; a backlog past one second is given up.
  const TICK_MS = 5;
  let nextSample = start + options.sampleMs;
  let sampling: Promise<void> | undefined;
  let stopping = false;
  process.once("SIGINT", () => (stopping = true));
  process.once("SIGTERM", () => (stopping = true));
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const elapsed = now - start;
      if (elapsed >= options.durationMs || stopping || serverExited !== undefined) {
        resolve();
        return;
      }
      const due = Math.floor((elapsed / 1000) * options.rate);
      let backlog = due - scheduledTotal;
      if (backlog > options.rate) {
        const dropped = backlog - options.rate;
        shortfallTotal += dropped;
        intervalShortfall += dropped;
        scheduledTotal += dropped;
        backlog = options.rate;
      }
      while (backlog >= options.batch && inFlight < options.inFlight) {
        send(options.batch);
        scheduledTotal += options.batch;
        backlog -= options.batch;
      }
      if (now >= nextSample && sampling === undefined) {
        nextSample += options.sampleMs;
        sampling = sample()
          .catch((error: Error) => console.error(`soak: sample failed: ${error.message}`))
          .finally(() => (sampling = undefined));
      }
      setTimeout(tick, TICK_MS);
    };
    tick();
  });
  if (sampling) await sampling;
  // Let the last requests land, then take the closing sample.
  const drainUntil = performance.now() + 10_000;
  while (inFlight > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  if (serverExited === undefined)
    await sample().catch((error: Error) => console.error(`soak: sample failed: ${error.message}`));

  const samples = result.samples;
  result.serverLog = serverLogSummary(server.logFile);
  result.finishedAt = new Date().toISOString();
  result.complete = serverExited === undefined && !stopping;
  result.summary = summarize(result, allLatencies, {
    sentTotal,
    acceptedTotal,
    errorsTotal,
    retriesTotal,
    rejectedLinesTotal,
    shortfallTotal,
    seconds: (performance.now() - start) / 1000,
  });
  writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
  if (options.report) writeFileSync(options.report, report(result, allLatencies));
  console.error(`soak: ${samples.length} samples written to ${options.out}`);
  console.error(`soak: ${JSON.stringify(result.summary)}`);

  agent.destroy();
  if (serverExited === undefined) {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  } else {
    console.error(`soak: tocsin exited early (${serverExited}); its log: ${server.logFile}`);
    process.exitCode = 1;
    return;
  }
  rmSync(server.dataDir, { recursive: true, force: true });
}

interface Totals {
  sentTotal: number;
  acceptedTotal: number;
  errorsTotal: number;
  retriesTotal: number;
  rejectedLinesTotal: number;
  shortfallTotal: number;
  seconds: number;
}

function summarize(result: Result, latencies: number[], totals: Totals): Record<string, unknown> {
  const samples = result.samples;
  const sorted = [...latencies].sort((a, b) => a - b);
  const secondHalf = samples.filter((s) => s.t >= (samples.at(-1)?.t ?? 0) / 2);
  const perHour = (pick: (s: Sample) => number) =>
    round(slope(secondHalf.map((s) => [s.t / 3600, pick(s)] as [number, number])), 2);
  const stats = (pick: (s: Sample) => number) => ({
    first: samples[0] ? pick(samples[0]) : 0,
    last: samples.at(-1) ? pick(samples.at(-1) as Sample) : 0,
    min: Math.min(...samples.map(pick)),
    max: Math.max(...samples.map(pick)),
  });
  const achieved = totals.acceptedTotal / totals.seconds;
  // Whole intervals after the first that kept ≥ 98 % of the target rate.
  const steady = samples.slice(1);
  const kept = steady.filter((s) => s.rate >= 0.98 * result.options.rate).length;
  return {
    seconds: round(totals.seconds, 0),
    sent: totals.sentTotal,
    accepted: totals.acceptedTotal,
    achievedRate: Math.round(achieved),
    targetRate: result.options.rate,
    keptRate: achieved >= 0.98 * result.options.rate,
    intervalsKeepingRate: `${kept}/${steady.length}`,
    shortfall: totals.shortfallTotal,
    requestErrors: totals.errorsTotal,
    connectionResetsRetried: totals.retriesTotal,
    rejectedLines: totals.rejectedLinesTotal,
    requests: latencies.length,
    latencyMs: {
      p50: round(percentile(sorted, 50)),
      p90: round(percentile(sorted, 90)),
      p99: round(percentile(sorted, 99)),
      p999: round(percentile(sorted, 99.9)),
      max: round(sorted.at(-1) ?? 0),
    },
    rssMB: stats((s) => s.rssMB),
    heapUsedMB: stats((s) => s.heapUsedMB),
    rssSlopeSecondHalfMBPerHour: perHour((s) => s.rssMB),
    heapUsedSlopeSecondHalfMBPerHour: perHour((s) => s.heapUsedMB),
    heapFloorSlopeSecondHalfMBPerHour: floorSlope(secondHalf, result.options.sampleS, (s) => s.heapUsedMB),
    rssFloorSlopeSecondHalfMBPerHour: floorSlope(secondHalf, result.options.sampleS, (s) => s.rssMB),
  };
}

/**
 * Least-squares slope (MB/hour) of the lowest value of each 5-minute interval: heap used right after
 * a collection is what is live, the samples between collections also count garbage not yet
 * collected, so the floor is what shows whether live memory grows.
 */
function floorSlope(samples: readonly Sample[], sampleS: number, pick: (s: Sample) => number): number {
  // Interval k holds the samples of (300k, 300(k + 1)]: the one taken at the end of the run belongs to
  // the last interval, not to one of its own (a lone sample is no floor: it pulled the slope up).
  const floors = new Map<number, { t: number; value: number; count: number }>();
  for (const sample of samples) {
    const interval = Math.ceil(sample.t / 300) - 1;
    const floor = floors.get(interval);
    if (!floor) floors.set(interval, { t: sample.t, value: pick(sample), count: 1 });
    else {
      floor.count++;
      if (pick(sample) < floor.value) Object.assign(floor, { t: sample.t, value: pick(sample) });
    }
  }
  // Partial intervals (the second half may start inside one) have too few samples to hold a collection.
  const whole = [...floors.values()].filter((floor) => floor.count >= 300 / sampleS / 2);
  return round(slope(whole.map((floor) => [floor.t / 3600, floor.value] as [number, number])), 2);
}

function report(result: Result, latencies: number[]): string {
  const samples = result.samples;
  const summary =
    result.summary ??
    summarize(result, latencies, {
      sentTotal: samples.reduce((s, x) => s + x.sent, 0),
      acceptedTotal: samples.reduce((s, x) => s + x.rate * result.options.sampleS, 0),
      errorsTotal: samples.reduce((s, x) => s + x.errors, 0),
      retriesTotal: 0,
      rejectedLinesTotal: 0,
      shortfallTotal: samples.reduce((s, x) => s + x.shortfall, 0),
      seconds: samples.at(-1)?.t ?? 0,
    });
  const s = summary as ReturnType<typeof summarize> & {
    latencyMs: Record<string, number>;
    rssMB: Record<string, number>;
    heapUsedMB: Record<string, number>;
  };
  // A row every 5 minutes (every sample on runs shorter than 5 minutes of samples).
  const stride = Math.max(1, Math.round(300 / result.options.sampleS));
  const rows = samples.filter((_, i) => (samples.length <= 30 ? true : (i + 1) % stride === 0 || i === 0));
  const lines = [
    "# Soak",
    "",
    result.complete
      ? `Recorded ${result.startedAt} – ${result.finishedAt}.`
      : `**In progress or interrupted** (started ${result.startedAt}; ${samples.length} samples so far).`,
    "",
    "```sh",
    result.command,
    "```",
    "",
    `Samples: \`${result.command.match(/--out\s+(\S+)/)?.[1] ?? "bench/out/soak.json"}\`. ` +
      `Server: \`${result.environment.server}\` (temporary data_dir, 127.0.0.1, the shipped rules/ ` +
      `evaluated, console notifier off, everything else at its default: snapshots, the write-ahead log with fsync, the rate limit). Machine: ${result.environment.cores} × ` +
      `${result.environment.cpu}, Node ${result.environment.node} (heap limit ${result.environment.heapLimitMB} MB), ` +
      `commit ${result.environment.commit} plus ${result.environment.uncommittedFiles} uncommitted files; ` +
      `the load generator runs on the same machine, which other work ` +
      `shares (its 1-minute load average is sampled).`,
    "",
    `Load: ${result.options.rate} mentions/s for ${result.options.durationS} s, NDJSON batches of ` +
      `${result.options.batch} POSTed to /v1/mentions, ≤ ${result.options.inFlight} in flight; ` +
      `live event time (created_at = now), unique ids, ${result.options.brands} brands × 10 channels, ` +
      `English and French, ~30 % negative, 1 % brand replies to recent complaints; ` +
      `${Math.round(result.options.lexiconShare * 100)} % without provider sentiment (lexicon-classified).`,
    "",
    "## Result",
    "",
    `| | |`,
    `|---|---|`,
    `| achieved rate | ${s.achievedRate} mentions/s of ${s.targetRate} (${s.keptRate ? "kept" : "**not kept**"}; intervals ≥ 98 %: ${s.intervalsKeepingRate}; shortfall ${s.shortfall}) |`,
    `| accepted | ${s.accepted} of ${s.sent} sent; ${s.requestErrors} request errors, ${s.rejectedLines} rejected lines, ${s.connectionResetsRetried} keep-alive resets retried |`,
    `| RSS | first ${s.rssMB.first} MB, last ${s.rssMB.last} MB, max ${s.rssMB.max} MB |`,
    `| heap used | first ${s.heapUsedMB.first} MB, last ${s.heapUsedMB.last} MB, max ${s.heapUsedMB.max} MB |`,
    `| RSS slope, second half | ${s.rssSlopeSecondHalfMBPerHour} MB/hour (least squares) |`,
    `| heap slope, second half | ${s.heapUsedSlopeSecondHalfMBPerHour} MB/hour (least squares) |`,
    ...(s.heapFloorSlopeSecondHalfMBPerHour === undefined
      ? []
      : [
          `| live heap slope, second half | ${s.heapFloorSlopeSecondHalfMBPerHour} MB/hour (least squares over each 5-minute interval's lowest heap used: the live heap after a collection) |`,
          `| RSS floor slope, second half | ${s.rssFloorSlopeSecondHalfMBPerHour} MB/hour (the same over each interval's lowest RSS) |`,
        ]),
    `| server log | ${result.serverLog ? `${result.serverLog.lines} lines, ${result.serverLog.warnings} warnings, ${result.serverLog.errors} errors` : "(read at the end)"} |`,
    `| request latency | p50 ${s.latencyMs.p50} ms, p90 ${s.latencyMs.p90} ms, p99 ${s.latencyMs.p99} ms, p99.9 ${s.latencyMs.p999} ms, max ${s.latencyMs.max} ms (${s.requests} requests) |`,
    "",
    `## Samples`,
    "",
    "| t | RSS MB | heap used MB | heap total MB | ingested | rate /s | p50 ms | p99 ms | max ms | loop lag p99 ms | CPU s | client CPU s | load 1m | errors | shortfall |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (x) =>
        `| ${formatT(x.t)} | ${x.rssMB} | ${x.heapUsedMB} | ${x.heapTotalMB} | ${x.ingested} | ${x.rate} | ` +
        `${x.latencyMs.p50} | ${x.latencyMs.p99} | ${x.latencyMs.max} | ${x.eventLoopLagP99Ms ?? ""} | ` +
        `${x.cpuSeconds ?? ""} | ${x.clientCpuSeconds} | ${x.loadAverage1m} | ${x.errors} | ${x.shortfall} |`,
    ),
    "",
    `Rows every ${samples.length <= 30 ? result.options.sampleS : stride * result.options.sampleS} s; ` +
      `every ${result.options.sampleS} s sample is in the JSON. Rate, latency, CPU and errors are over ` +
      "the interval ending at t; memory and ingested at t.",
    "",
  ];
  return lines.join("\n");
}

const formatT = (t: number) => `${Math.floor(t / 60)}:${String(Math.round(t % 60)).padStart(2, "0")}`;

main().catch((error: Error) => {
  console.error(`soak: ${error.stack ?? error.message}`);
  process.exit(1);
});
