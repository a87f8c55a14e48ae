// Fuzz: pushes generated hostile payloads through POST /v1/mentions of a real `tocsin run` and reports
// crashes (the process dying, or a 5xx), rejections grouped by reason, and whether every valid mention
// that reached the engine was counted.
//
//   npx tsx scripts/fuzz-api.ts [--payloads 100000] [--seed N] [--concurrency 16] [--out FILE]
//
// The server is `node --import tsx src/cli/main.ts run` (as test/helpers/tocsin-process.ts starts it)
// on 127.0.0.1:0 with a temporary data_dir, no rules, no console output, the WAL without fsync, the
// rate limits out of the way, and small size limits (body 256 KiB, line 8 KiB, batch 200) so that
// oversize payloads are cheap to make. Payloads, from a seeded generator: single objects, arrays and
// NDJSON batches mixing valid mentions with broken ones (a field missing or of the wrong type, bad
// dates, control characters, dated a day ahead), duplicates of earlier valid mentions, garbage lines,
// over-long lines, blank and CRLF lines; and whole bodies that are garbage, invalid UTF-8, deeply
// nested, of an unsupported content type, over the body limit or over the batch limit.
//
// Valid mentions have unique ids and created_at within the last 30 s when sent (the open windows:
// lateness is 2 min), so none is late; the engine must count each one that reached it exactly once:
// tocsin_mentions_ingested_total (GET /metrics) must equal the number of distinct valid mentions sent
// in payloads the server had to read (supported content type, within the body and batch limits).
// Exit code 1 when a crash happened or the counts differ.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Random } from "../examples/demo/random.js";

const ROOT = new URL("..", import.meta.url).pathname;
const BODY_LIMIT = 256 * 1024;
const MAX_LINE_BYTES = 8 * 1024;
const MAX_BATCH = 200;

export interface FuzzOptions {
  payloads: number;
  seed: number;
  concurrency?: number;
  /** Progress lines (every 10%) go here; nothing by default. */
  log?: (line: string) => void;
}

export interface FuzzSummary {
  payloads: number;
  seed: number;
  seconds: number;
  statuses: Record<string, number>;
  crashes: { total: number; processExited: boolean; serverErrors: number; unexplainedNetworkErrors: number };
  /** The server closed the connection while an over-limit body was still being sent: its right. */
  closedOnOversizeBody: number;
  rejections: { total: number; withoutReason: number; byReason: Record<string, number> };
  mentions: { validSent: number; validUnique: number; counted: number; duplicatesResent: number };
  ok: boolean;
}

interface Payload {
  body: Buffer;
  contentType: string | undefined;
  /** Ids (channel\0id) of the valid mentions inside, when the server must read the body. */
  valid: string[];
  /** Whether the server must read it: supported type, within the body and batch limits. */
  read: boolean;
}

const NASTY = [
  "<!channel>",
  "<script>alert(1)</script>",
  "\u202e",
  "🔒",
  "\ud800",
  "@here",
  "'; DROP TABLE",
  "\\",
];
const BRANDS = ["kryptonite", "acme", "Zoë & Co", "🔒lock"];
const CHANNELS = ["twitter", "reddit", "forum", "news", "tiktok", "blog"];

class Generator {
  private readonly next: () => number;
  private serial = 0;
  private readonly sentValid: Array<Record<string, unknown>> = [];

  constructor(seed: number) {
    const generator = new Random(seed);
    this.next = () => generator.next();
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  private chance(p: number): boolean {
    return this.next() < p;
  }
  private int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  private text(max: number): string {
    const words = ["la", "serrure", "lock", "opened", "with", "a", "pen", "nul", "great", "awful", ...NASTY];
    return Array.from({ length: this.int(1, max) }, () => this.pick(words)).join(" ");
  }

  /** A valid mention: unique id, dated within the last 30 s (inside the open windows). */
  private valid(): Record<string, unknown> {
    const mention: Record<string, unknown> = {
      id: `fz-${++this.serial}`,
      brand: this.pick(BRANDS),
      text: this.text(30),
      channel: this.pick(CHANNELS),
      created_at: new Date(Date.now() - this.int(0, 30_000)).toISOString(),
    };
    if (this.chance(0.5))
      mention.sentiment = this.pick([-0.9, -0.2, 0, 0.4, 1, "negative", "neutral", "positive"]);
    if (this.chance(0.3)) mention.author = { id: `u${this.int(1, 500)}`, followers: this.int(0, 2_000_000) };
    if (this.chance(0.2)) mention.engagement = { likes: this.int(0, 900), shares: this.int(0, 50) };
    if (this.chance(0.2)) mention.vendor_field = { nested: [1, "x", null] };
    if (this.chance(0.1)) mention.lang = this.pick(["en", "fr"]);
    // Resends come from the latest few only, so a resend is never late (see the header).
    this.sentValid.push(mention);
    if (this.sentValid.length > 200) this.sentValid.shift();
    return mention;
  }

  /** A mention broken in one way the schema must refuse (fresh ids: never the id of a valid one). */
  private invalid(): unknown {
    const base: Record<string, unknown> = {
      id: `bad-${++this.serial}`,
      brand: "kryptonite",
      text: "t",
      channel: "twitter",
      created_at: new Date().toISOString(),
    };
    switch (this.int(0, 13)) {
      case 0:
        delete base.id;
        break;
      case 1:
        base.brand = "";
        break;
      case 2:
        base.channel = "tw\u0000itter";
        break;
      case 3:
        base.created_at = "2026-03-02 10:00";
        break;
      case 4:
        base.created_at = "2026-02-30T10:00:00Z";
        break;
      case 5:
        base.sentiment = this.pick([2, -1.5, "angry", null, [], {}]);
        break;
      case 6:
        base.author = { followers: this.pick([-1, 1.5, "many"]) };
        break;
      case 7:
        base.topics = this.pick(["x", [1, 2], {}]);
        break;
      case 8:
        base.id = "x".repeat(600);
        break;
      case 9:
        base.text = this.pick([null, 5, { t: 1 }]);
        break;
      case 10:
        base.is_brand_reply = "yes";
        break;
      // Dated a day ahead: refused by the clock-skew guard (max_future).
      case 11:
        base.created_at = new Date(Date.now() + 86_400_000).toISOString();
        break;
      case 12:
        return this.pick([null, 42, "a mention", [], true]);
      default:
        base.brand = "b".repeat(300);
        break;
    }
    return base;
  }

  /** A line of an NDJSON batch, and the valid mention it carries if any. */
  private line(): { text: string; mention?: Record<string, unknown> } {
    const roll = this.next();
    if (roll < 0.55) {
      const mention = this.valid();
      return { text: JSON.stringify(mention), mention };
    }
    if (roll < 0.58 && this.sentValid.length > 0) {
      // A resend: a duplicate, accepted but counted once.
      const mention = this.pick(this.sentValid);
      return { text: JSON.stringify(mention), mention };
    }
    if (roll < 0.8) return { text: JSON.stringify(this.invalid()) };
    if (roll < 0.88)
      return { text: this.pick(["{", '{"id":', "}{", "nul", "[1,", "\u0000", "{'a':1}", '{"a":1}}']) };
    if (roll < 0.95) return { text: this.pick(["", "  ", "\t", "\r", "\ufeff"]) };
    if (roll < 0.97)
      return { text: `{"id":"long","text":"${"x".repeat(MAX_LINE_BYTES + this.int(1, 4000))}"}` };
    return { text: `{"id":"${this.pick(NASTY)}","brand":${JSON.stringify(this.pick(NASTY))}` };
  }

  payload(): Payload {
    const roll = this.next();
    let valid: Record<string, unknown>[] = [];
    let body: Buffer;
    let contentType: string | undefined = "application/json";
    let items = 1;
    if (roll < 0.4) {
      const lines = Array.from({ length: this.int(1, 40) }, () => this.line());
      valid = lines.flatMap((l) => (l.mention ? [l.mention] : []));
      const eol = this.chance(0.2) ? "\r\n" : "\n";
      body = Buffer.from(lines.map((l) => l.text).join(eol) + (this.chance(0.5) ? eol : ""));
      contentType = this.pick([
        "application/x-ndjson",
        "application/ndjson; charset=utf-8",
        "application/jsonl",
      ]);
      items = lines.length;
    } else if (roll < 0.6) {
      const array = Array.from({ length: this.int(0, 40) }, () =>
        this.chance(0.6) ? this.valid() : this.invalid(),
      );
      valid = array.filter(
        (item): item is Record<string, unknown> =>
          typeof item === "object" &&
          item !== null &&
          String((item as { id?: unknown }).id).startsWith("fz-"),
      );
      body = Buffer.from(JSON.stringify(array));
      items = array.length;
    } else if (roll < 0.8) {
      const single = this.chance(0.6) ? this.valid() : this.invalid();
      if (
        typeof single === "object" &&
        single !== null &&
        String((single as { id?: unknown }).id).startsWith("fz-")
      )
        valid = [single as Record<string, unknown>];
      body = Buffer.from(JSON.stringify(single));
      contentType = this.pick(["application/json", "Application/JSON; charset=utf-8"]);
    } else if (roll < 0.88) {
      // Garbage bodies: random bytes (invalid UTF-8), truncated JSON, empty, nothing but blanks.
      const kind = this.int(0, 3);
      body =
        kind === 0
          ? Buffer.from(Array.from({ length: this.int(0, 2000) }, () => this.int(0, 255)))
          : kind === 1
            ? Buffer.from('[{"id":"t","brand":')
            : kind === 2
              ? Buffer.alloc(0)
              : Buffer.from(" \n\r\n\t\n");
      contentType = this.pick(["application/json", "application/x-ndjson"]);
    } else if (roll < 0.93) {
      // Unsupported content types, with a valid-looking body that must not be read.
      body = Buffer.from(
        JSON.stringify({
          id: "never",
          brand: "b",
          text: "t",
          channel: "c",
          created_at: new Date().toISOString(),
        }),
      );
      contentType = this.pick([
        undefined,
        "text/plain",
        "application/xml",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "",
      ]);
    } else if (roll < 0.96) {
      // Deep nesting.
      const depth = this.int(1_000, 200_000);
      body = Buffer.from(
        this.chance(0.5)
          ? `${"[".repeat(depth)}${"]".repeat(depth)}`
          : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
      );
    } else if (roll < 0.98) {
      // Over the batch limit: refused whole, none of it counted.
      const lines = Array.from({ length: MAX_BATCH + this.int(1, 50) }, () => JSON.stringify(this.invalid()));
      body = Buffer.from(lines.join("\n"));
      contentType = "application/x-ndjson";
      items = lines.length;
    } else {
      // Over the body limit: refused before it is read.
      body = Buffer.from(`{"id":"huge","text":"${"x".repeat(BODY_LIMIT + this.int(1, 64 * 1024))}"}`);
    }
    const supported =
      contentType !== undefined &&
      /^application\/(json|x-ndjson|ndjson|jsonl)(;|$)/i.test(contentType.trim());
    const read = supported && body.length <= BODY_LIMIT && items <= MAX_BATCH;
    return { body, contentType, read, valid: valid.map((m) => `${String(m.channel)}\u0000${String(m.id)}`) };
  }
}

/** A reason as a person groups them: quoted values, numbers and JSON positions made generic. */
export function normaliseReason(reason: string): string {
  return reason
    .replace(/token '[^]*?', ".*is not valid JSON$/, "token '…' is not valid JSON")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\(line \d+ column \d+\)/g, "")
    .replace(/ at position \d+/g, "")
    .replace(/\d+(\.\d+)?/g, "N")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 140);
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: () => boolean;
  stderrTail: () => string;
}

async function startServer(dataDir: string): Promise<Server> {
  const config = join(dataDir, "tocsin.yaml");
  writeFileSync(
    config,
    [
      `data_dir: ${JSON.stringify(dataDir)}`,
      "rules: { paths: [], watch: false }",
      'alerts: { console: false, log: "" }',
      "storage: { snapshot: false }",
      `ingest: { body_limit: ${BODY_LIMIT}, max_line_bytes: ${MAX_LINE_BYTES}, max_batch: ${MAX_BATCH}, wal: { fsync: false } }`,
      "api: { rate_limit: { mentions_per_second: 1.0e9, mentions_burst: 1.0e9, admin_requests_per_second: 1.0e6, admin_burst: 1.0e6 } }",
      "log: { level: info }",
      "",
    ].join("\n"),
  );
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "run", "--config", config, "--listen", "127.0.0.1:0"],
    {
      cwd: ROOT,
      env: { ...process.env, TOCSIN_INGEST_TOKEN: "", TOCSIN_ADMIN_TOKEN: "" },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let tail = "";
  let dead = false;
  child.once("exit", () => {
    dead = true;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (data: Buffer) => {
      tail = (tail + data.toString()).slice(-64 * 1024);
      const found = /tocsin listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(tail);
      if (found?.[1]) resolve(found[1]);
    });
    child.once("exit", (code) => reject(new Error(`tocsin exited (${code}) before listening:\n${tail}`)));
  });
  return { child, url, exited: () => dead, stderrTail: () => tail };
}

async function ingestedTotal(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const found = /^tocsin_mentions_ingested_total (\d+(?:\.\d+)?(?:e\+?\d+)?)$/m.exec(text);
  return found ? Number(found[1]) : 0;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const { payloads, seed } = options;
  const concurrency = options.concurrency ?? 16;
  const dataDir = mkdtempSync(join(tmpdir(), "tocsin-fuzz-"));
  const server = await startServer(dataDir);
  const generator = new Generator(seed);
  const statuses: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  let rejections = 0;
  let withoutReason = 0;
  let serverErrors = 0;
  let networkErrors = 0;
  let closedOnOversize = 0;
  let validSent = 0;
  let duplicatesResent = 0;
  const validIds = new Set<string>();
  const started = performance.now();
  let sent = 0;
  const reject = (reason: unknown) => {
    rejections++;
    if (typeof reason !== "string" || reason.trim() === "") withoutReason++;
    else {
      const key = normaliseReason(reason);
      byReason[key] = (byReason[key] ?? 0) + 1;
    }
  };

  const worker = async () => {
    while (sent < payloads && !server.exited()) {
      sent++;
      if (options.log && sent % Math.max(1, Math.floor(payloads / 10)) === 0)
        options.log(`${sent}/${payloads} payloads sent`);
      const payload = generator.payload();
      let status: number;
      let answer: unknown;
      try {
        const response = await fetch(`${server.url}/v1/mentions`, {
          method: "POST",
          body: payload.body,
          headers: payload.contentType === undefined ? {} : { "content-type": payload.contentType },
        });
        status = response.status;
        const text = await response.text();
        try {
          answer = JSON.parse(text);
        } catch {
          answer = { error: text };
        }
      } catch (error) {
        // The server may close the connection on a body over its limit while it is still being sent.
        if (payload.body.length > BODY_LIMIT && !server.exited()) closedOnOversize++;
        else networkErrors++;
        if (!server.exited() && payload.body.length <= BODY_LIMIT)
          options.log?.(`network error: ${(error as Error).message}`);
        continue;
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 500) serverErrors++;
      if (payload.read) {
        for (const id of payload.valid) {
          validSent++;
          if (validIds.has(id)) duplicatesResent++;
          validIds.add(id);
        }
      }
      const result = answer as { error?: unknown; rejected?: Array<{ line?: unknown; error?: unknown }> };
      if (Array.isArray(result.rejected)) for (const item of result.rejected) reject(item.error);
      if (status >= 400 && status < 500 && !Array.isArray(result.rejected)) reject(result.error);
      else if (status >= 400 && status < 500 && result.rejected?.length === 0) reject(result.error);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    const processExited = server.exited();
    const counted = processExited ? Number.NaN : await ingestedTotal(server.url);
    const crashes = (processExited ? 1 : 0) + serverErrors + networkErrors;
    const summary: FuzzSummary = {
      payloads: sent,
      seed,
      seconds: Math.round((performance.now() - started) / 100) / 10,
      statuses,
      crashes: { total: crashes, processExited, serverErrors, unexplainedNetworkErrors: networkErrors },
      closedOnOversizeBody: closedOnOversize,
      rejections: {
        total: rejections,
        withoutReason,
        byReason: Object.fromEntries(Object.entries(byReason).sort((a, b) => b[1] - a[1])),
      },
      mentions: { validSent, validUnique: validIds.size, counted, duplicatesResent },
      ok: crashes === 0 && counted === validIds.size,
    };
    if (processExited) options.log?.(`tocsin died; its last words:\n${server.stderrTail()}`);
    return summary;
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) =>
      server.exited() ? resolve(undefined) : server.child.once("exit", resolve),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The summary for people: the figures, then the reasons by count. */
export function renderSummary(summary: FuzzSummary): string {
  const { mentions, crashes, rejections } = summary;
  const lines = [
    `fuzz: ${summary.payloads} payloads (seed ${summary.seed}) in ${summary.seconds} s`,
    `HTTP statuses: ${Object.entries(summary.statuses)
      .map(([code, n]) => `${code} ×${n}`)
      .join(", ")}`,
    `crashes: ${crashes.total} (process exited: ${crashes.processExited ? "yes" : "no"}, 5xx: ${crashes.serverErrors}, unexplained network errors: ${crashes.unexplainedNetworkErrors})`,
    `connections closed by the server while an over-limit body was sent: ${summary.closedOnOversizeBody}`,
    `valid mentions: ${mentions.validUnique} distinct sent (${mentions.validSent} with ${mentions.duplicatesResent} resent duplicates), ${mentions.counted} counted by the engine: ${mentions.counted === mentions.validUnique ? "all counted" : "MISMATCH"}`,
    `rejections: ${rejections.total} (${rejections.withoutReason} without a reason), by reason:`,
    ...Object.entries(rejections.byReason).map(([reason, n]) => `  ${String(n).padStart(7)}  ${reason}`),
    summary.ok ? "OK" : "FAILED",
  ];
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      payloads: { type: "string", default: "100000" },
      seed: { type: "string", default: "1" },
      concurrency: { type: "string", default: "16" },
      out: { type: "string" },
    },
  });
  const summary = await runFuzz({
    payloads: Number(values.payloads),
    seed: Number(values.seed),
    concurrency: Number(values.concurrency),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const json = `${JSON.stringify(summary, null, 2)}\n`;
  if (values.out) writeFileSync(values.out, json);
  else process.stdout.write(json);
  process.stdout.write(renderSummary(summary));
  process.exitCode = summary.ok ? 0 : 1;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) await main();
