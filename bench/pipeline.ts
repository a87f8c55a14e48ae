// Pipeline throughput: NDJSON bytes → parse, validate, classify, aggregate, store, against the
// JSON.parse-only floor on the same bytes, measured in the same run (ratios, not absolute speed, are
// what compare across noisy machines). Usage: npm run bench -- [--mentions N]
import { generateMentions } from "../examples/demo/scenario.js";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import { parseNdjson } from "../src/ingest/parse-batch.js";
import { ReplayClock } from "../src/util/clock.js";

const argIndex = process.argv.indexOf("--mentions");
const target = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 200_000;
const CHUNK_LINES = 1_000;

/** NDJSON chunks of the demo scenario, stretched over enough days to hold `count` mentions. */
function corpus(count: number, providerSentimentShare: number): Buffer[] {
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  let n = 0;
  for (const mention of generateMentions({ days: 60, baseRatePerHour: 400, providerSentimentShare })) {
    lines.push(JSON.stringify(mention));
    if (lines.length === CHUNK_LINES) {
      chunks.push(Buffer.from(`${lines.join("\n")}\n`));
      lines = [];
    }
    if (++n >= count) break;
  }
  if (lines.length > 0) chunks.push(Buffer.from(`${lines.join("\n")}\n`));
  return chunks;
}

function floor(chunks: Buffer[]): number {
  let parsed = 0;
  for (const chunk of chunks) {
    const text = chunk.toString("utf8");
    let start = 0;
    for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
      if (JSON.parse(text.slice(start, end))) parsed++;
      start = end + 1;
    }
  }
  return parsed;
}

function pipeline(chunks: Buffer[]): number {
  const config = parseConfig(
    'storage: { snapshot: false }\nrules: { paths: [] }\nalerts: { console: false, log: "" }',
    "bench.yaml",
    {},
  );
  const engine = new Engine({ config, clock: new ReplayClock(0) });
  let accepted = 0;
  let line = 1;
  for (const chunk of chunks) {
    const batch = parseNdjson(chunk.toString("utf8"), line);
    line += CHUNK_LINES;
    accepted += engine.ingest(batch).accepted;
  }
  engine.flush();
  return accepted;
}

function rate(run: () => number, repeats = 3): number {
  let best = 0;
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    const count = run();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    best = Math.max(best, count / seconds);
  }
  return best;
}

const provider = corpus(target, 1);
const lexicon = corpus(Math.min(target, 50_000), 0);
const bytes = provider.reduce((sum, chunk) => sum + chunk.length, 0);
const floorRate = rate(() => floor(provider));
const providerRate = rate(() => pipeline(provider));
const lexiconFloor = rate(() => floor(lexicon));
const lexiconRate = rate(() => pipeline(lexicon));
const fmt = (n: number) => `${Math.round(n).toLocaleString("en-US")}/s`;
console.log(
  `pipeline throughput, ${provider.length * CHUNK_LINES} mentions, ${(bytes / provider.length / CHUNK_LINES).toFixed(0)} bytes each`,
);
console.log(`  JSON.parse floor                 ${fmt(floorRate)}`);
console.log(
  `  provider sentiment (full path)   ${fmt(providerRate)}   ${(providerRate / floorRate).toFixed(2)} of the floor`,
);
console.log(
  `  lexicon classification (full)    ${fmt(lexiconRate)}   ${(lexiconRate / lexiconFloor).toFixed(2)} of the floor`,
);
