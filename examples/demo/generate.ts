// CLI: writes the demo scenario as NDJSON (one mention per line) to a file or stdout.
//   node dist/examples/demo/generate.js [--seed N] [--days N] [--start ISO] [--rate N] [--no-crisis] [--out FILE]
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { generateMentions, type ScenarioOptions } from "./scenario.js";

export interface WriteSummary {
  count: number;
  /** created_at of the first and last mention written, or null when none was. */
  first: string | null;
  last: string | null;
}

/** Lines are batched into chunks of about this size: one write() per mention would dominate the cost. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Streams the scenario to `stream` as NDJSON, waiting for 'drain' whenever write() says the buffer is
 * full, so memory stays flat however large the scenario. Does not end the stream.
 */
export async function writeScenario(
  opts: ScenarioOptions,
  stream: NodeJS.WritableStream,
): Promise<WriteSummary> {
  const summary: WriteSummary = { count: 0, first: null, last: null };
  let chunk = "";
  const flush = async () => {
    const ok = stream.write(chunk);
    chunk = "";
    if (!ok) await once(stream, "drain");
  };
  for (const mention of generateMentions(opts)) {
    chunk += `${JSON.stringify(mention)}\n`;
    summary.count++;
    summary.first ??= mention.created_at;
    summary.last = mention.created_at;
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  if (chunk.length > 0) await flush();
  return summary;
}

/** A commander argument parser for numbers that pass `ok`, described as `what` in the error. */
function numberArg(what: string, ok: (n: number) => boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || !ok(n))
      throw new InvalidArgumentError(`expected ${what}`);
    return n;
  };
}
const integer = numberArg("an integer", Number.isInteger);
const positive = numberArg("a number > 0", (n) => n > 0);
const nonNegative = numberArg("a number >= 0", (n) => n >= 0);
const fraction = numberArg("a number between 0 and 1", (n) => n >= 0 && n <= 1);

function isoDate(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError("expected an ISO 8601 date");
  return value;
}

interface CliOptions {
  seed?: number;
  days?: number;
  start?: string;
  rate?: number;
  crisis: boolean;
  brands?: string;
  sentimentShare?: number;
  out?: string;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = new Command("generate")
    .description("Write the Tocsin demo scenario (Kryptonite-style crisis) as NDJSON")
    .option("--seed <n>", "random seed (same seed, same output)", integer)
    .option("--days <n>", "number of days (default 6)", positive)
    .option("--start <iso>", "start time (default 2026-03-02T00:00:00Z, a Monday)", isoDate)
    .option("--rate <n>", "mean mentions per hour per brand at the evening peak (default 120)", nonNegative)
    .option("--brands <list>", "comma-separated brands (default kryptonite,velora)")
    .option("--sentiment-share <x>", "fraction of mentions with a provider sentiment (default 0.5)", fraction)
    .option("--no-crisis", "no crisis: everyday talk only")
    .option("--out <file>", "output file (default stdout)")
    .parse(argv);
  const o = program.opts<CliOptions>();
  const opts: ScenarioOptions = {
    seed: o.seed,
    days: o.days,
    start: o.start,
    baseRatePerHour: o.rate,
    brands: o.brands?.split(",").map((b) => b.trim()),
    providerSentimentShare: o.sentimentShare,
    ...(o.crisis ? {} : { crisis: false as const }),
  };
  if (o.out) mkdirSync(dirname(o.out), { recursive: true });
  const out = o.out ? createWriteStream(o.out) : process.stdout;
  out.on("error", (err: NodeJS.ErrnoException) => {
    // A closed pipe (`| head`) is the reader's choice, not an error.
    if (err.code === "EPIPE") process.exit(0);
    process.stderr.write(`generate: ${err.message}\n`);
    process.exit(1);
  });
  const started = performance.now();
  const summary = await writeScenario(opts, out);
  if (out !== process.stdout) {
    out.end();
    await once(out, "finish");
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const span = summary.first ? `${summary.first} .. ${summary.last}` : "nothing";
  process.stderr.write(`wrote ${summary.count} mentions (${span}) to ${o.out ?? "stdout"} in ${seconds}s\n`);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
