// The two sides of the pipeline benchmark on the same NDJSON bytes: the JSON.parse-only floor and the
// real engine (parse, validate, deduplicate, classify, aggregate, store), run alternately so that both
// see the same machine, with medians over repetitions.
import { parseConfig } from "../../src/config/load.js";
import { Engine } from "../../src/engine.js";
import { parseNdjson } from "../../src/ingest/parse-batch.js";
import { ReplayClock } from "../../src/util/clock.js";
import { CHUNK_LINES } from "./corpus-mentions.js";

/** The engine of the benchmark: embedded memory store, no snapshot, no rules, no notifier. */
const CONFIG_YAML = 'storage: { snapshot: false }\nrules: { paths: [] }\nalerts: { console: false, log: "" }';

const WARM_UP_CHUNKS = 50;

/** JSON.parse of every line, nothing else: what any NDJSON consumer pays. */
export function parseFloor(chunks: readonly Buffer[]): number {
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

/** The whole ingest path of a replay, through a fresh engine; returns the mentions accepted. */
export function runPipeline(chunks: readonly Buffer[]): number {
  const config = parseConfig(CONFIG_YAML, "bench.yaml", {});
  const engine = new Engine({ config, clock: new ReplayClock(0) });
  let accepted = 0;
  let line = 1;
  for (const chunk of chunks) {
    accepted += engine.ingest(parseNdjson(chunk.toString("utf8"), line)).accepted;
    line += CHUNK_LINES;
  }
  engine.flush();
  return accepted;
}

export interface Alternated {
  /** Median rates (count per CPU-second of this process) of each side. */
  floor: number;
  pipeline: number;
  /** Median of the per-repetition ratios pipeline / floor (CPU time). */
  ratio: number;
  /** The same medians by wall-clock time, which other work on the machine inflates. */
  wallFloor: number;
  wallPipeline: number;
  repeats: number;
}

/** Runs floor and pipeline alternately (after one warm-up of each) and takes medians. */
export function alternate(chunks: readonly Buffer[], mentions: number, repeats: number): Alternated {
  // Warm-up on at most WARM_UP_CHUNKS: enough for the JIT, without a whole extra pass of a big corpus.
  const warm = chunks.slice(0, WARM_UP_CHUNKS);
  parseFloor(warm);
  check(runPipeline(warm), warm.length === chunks.length ? mentions : parseFloor(warm));
  const floors: Rate[] = [];
  const pipelines: Rate[] = [];
  for (let i = 0; i < repeats; i++) {
    // Alternate which side goes first, so that neither always runs on the other's leftover garbage.
    if (i % 2 === 0) {
      floors.push(rate(() => parseFloor(chunks)));
      pipelines.push(rate(() => check(runPipeline(chunks), mentions)));
    } else {
      pipelines.push(rate(() => check(runPipeline(chunks), mentions)));
      floors.push(rate(() => parseFloor(chunks)));
    }
  }
  return {
    floor: median(floors.map((r) => r.cpu)),
    pipeline: median(pipelines.map((r) => r.cpu)),
    ratio: median(pipelines.map((r, i) => r.cpu / (floors[i] as Rate).cpu)),
    wallFloor: median(floors.map((r) => r.wall)),
    wallPipeline: median(pipelines.map((r) => r.wall)),
    repeats,
  };
}

function check(accepted: number, mentions: number): number {
  if (accepted !== mentions) throw new Error(`the engine accepted ${accepted} of ${mentions} mentions`);
  return accepted;
}

export interface Rate {
  /** Items per CPU-second (user + system time of this process: one core's worth of work). */
  cpu: number;
  /** Items per wall-clock second. */
  wall: number;
}

/**
 * Items per second of one run, after a full GC so that no run pays for the previous one's garbage.
 * CPU time is the headline: on a shared machine, wall time also counts the time other processes ran.
 */
export function rate(run: () => number): Rate {
  collectGarbage();
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const count = run();
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpu: count / ((cpu.user + cpu.system) / 1e6), wall: count / wall };
}

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
