// `npm run bench`: runs each benchmark in its own process (so memory figures are its own), collects
// their figures into bench/results.json and the generated table of bench/RESULTS.md. The hand-written
// parts of RESULTS.md (profiles, what changed and by how much) are kept: only the text between the
// results markers is replaced. It runs compiled (tsc -p tsconfig.bench.json into dist/), children too:
// the engine measured is the one users run (bench/lib/node-script.ts says why that matters).
// Usage: npm run bench -- [--size small|full] [--only name,name] [--results FILE] [--markdown FILE]
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Figure } from "./lib/figure.js";
import { resultsTable } from "./lib/markdown.js";
import { nodeScript } from "./lib/node-script.js";

/** Each is bench/<name>.ts; slow-starting servers last. */
export const BENCHES = [
  "pipeline",
  "classify",
  "backtest",
  "rule-eval",
  "detection-latency",
  "http-ingest",
  "peer",
] as const;

const START = "<!-- results:start -->";
const END = "<!-- results:end -->";

const { values } = parseArgs({
  options: {
    size: { type: "string", default: "full" },
    only: { type: "string" },
    results: { type: "string", default: "bench/results.json" },
    markdown: { type: "string", default: "bench/RESULTS.md" },
  },
});
const size = values.size === "small" ? "small" : "full";
const only = values.only ? values.only.split(",") : [...BENCHES];
const dir = await mkdtemp(join(tmpdir(), "tocsin-bench-"));
const figures: Figure[] = [];
const failed: string[] = [];
try {
  for (const name of only) {
    if (!(BENCHES as readonly string[]).includes(name)) throw new Error(`no benchmark named ${name}`);
    console.log(`== ${name} (${size})`);
    const out = join(dir, `${name}.json`);
    const code = await runScript(name, size, out);
    if (code !== 0) {
      failed.push(name);
      continue;
    }
    figures.push(...(JSON.parse(await readFile(out, "utf8")) as Figure[]));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}

if (size === "full") {
  // Only full runs are the record; a CI-sized run checks that every benchmark still runs.
  const measuredAt = new Date().toISOString();
  await writeFile(values.results, `${JSON.stringify({ measuredAt, figures }, null, 2)}\n`);
  await updateMarkdown(values.markdown, resultsTable(figures, measuredAt));
}
console.log(`${figures.length} figures from ${only.length - failed.length} benchmark(s)`);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(", ")}`);
  process.exit(1);
}

function runScript(name: string, size: string, out: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--expose-gc", ...nodeScript(`bench/${name}`), "--size", size, "--out", out],
      { stdio: "inherit" },
    );
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

async function updateMarkdown(path: string, table: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    text = `# Benchmark results\n\n${START}\n${END}\n`;
  }
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const generated = `${START}\n${table}\n${END}`;
  text =
    start === -1 || end === -1
      ? `${text.trimEnd()}\n\n${generated}\n`
      : `${text.slice(0, start)}${generated}${text.slice(end + END.length)}`;
  await writeFile(path, text);
}
