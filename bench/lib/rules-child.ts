// One size of the rule-evaluation benchmark, in a process of its own (bench/rule-eval.ts spawns it,
// so each size's memory is its own and a size too big for the machine stops alone). Writes 7 days
// of 5-minute windows of N series keys into the engine's memory store (what a restart restores from
// its snapshot), closes one window through the engine (the warm-up tick: every detector is created
// and warmed from the stored history), then times `ticks` more window closes (the steady ticks).
// Usage (after npm run bench has compiled it): node --expose-gc dist/bench/lib/rules-child.js '<RulesChildSpec JSON>' result.json
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { writeHeapSnapshot } from "node:v8";
import { Engine } from "../../src/engine.js";
import { METRICS } from "../../src/model/index.js";
import { ReplayClock } from "../../src/util/clock.js";
import { profileRun } from "./cpu-profile.js";
import {
  benchConfig,
  closedWindow,
  population,
  RULE_COUNT,
  rowFiller,
  WINDOW_MS,
  WINDOWS_PER_DAY,
} from "./rules-scenario.js";

export interface RulesChildSpec {
  series: number;
  days: number;
  ticks: number;
  /** Stop (and say so) before RSS passes this many MiB. */
  budgetMb: number;
  /** Detector bytes per series measured at a smaller size: refuse a warm-up that cannot fit. */
  detectorBytesPerSeries?: number;
  /** Write .cpuprofile files of the warm-up tick and of the steady ticks here. */
  profileDir?: string;
  /** Write a heap snapshot here after the steady ticks. */
  heapSnapshot?: string;
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  external: number;
}

export interface RulesChildResult {
  spec: RulesChildSpec;
  rules: number;
  /** Set when the run stopped before the steady ticks: where and why. */
  stopped?: string;
  fill: { windows: number; windowsPlanned: number; seconds: number };
  memory: { base: MemorySample; store?: MemorySample; warm?: MemorySample; end?: MemorySample };
  warmupMs?: number;
  /** CPU time (user + system) of the warm-up tick: less sensitive to a busy machine than wall time. */
  warmupCpuMs?: number;
  ticksMs: number[];
  ticksCpuMs: number[];
  alerts?: { pending: number; firing: number };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as RulesChildSpec;
const out = process.argv[3];
if (!out || !spec.series) throw new Error("usage: rules-child.ts '<spec json>' result.json");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

const MIB = 1024 * 1024;
/** 2024-01-01T00:00Z: whole days, so slots are times of day. */
const EPOCH = Date.UTC(2024, 0, 1);

function sample(): MemorySample {
  gc!();
  gc!();
  const { rss, heapUsed, arrayBuffers, external } = process.memoryUsage();
  return { rss, heapUsed, arrayBuffers, external };
}

async function profiled<T>(name: string, body: () => T): Promise<T> {
  if (!spec.profileDir) return body();
  const { result, profile } = await profileRun(body, 200);
  await writeFile(join(spec.profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
  return result;
}

const dir = await mkdtemp(join(tmpdir(), "tocsin-rule-eval-"));
const result: RulesChildResult = {
  spec,
  rules: RULE_COUNT,
  fill: { windows: 0, windowsPlanned: spec.days * WINDOWS_PER_DAY, seconds: 0 },
  memory: { base: sample() },
  ticksMs: [],
  ticksCpuMs: [],
};
try {
  const config = await benchConfig(dir, spec.days);
  const clock = new ReplayClock(0);
  const engine = new Engine({ config, clock, notifiers: [], paging: false });
  await engine.start();
  const people = population(spec.series);
  const fill = rowFiller(people);
  result.memory.base = sample();

  // History: written to the store window by window, all keys each window, as a restart restores it.
  const first = EPOCH / WINDOW_MS - spec.days * WINDOWS_PER_DAY;
  const rows = people.keys.map((key) => ({ key, values: new Float64Array(METRICS.length) }));
  const budget = spec.budgetMb * MIB;
  const fillStart = performance.now();
  for (let w = 0; w < result.fill.windowsPlanned; w++) {
    // A store ring doubles when it is full (64, 128, … rows, up to the retention): all keys at once,
    // in one window. Stop before a doubling that would pass the budget, not after it.
    if (w >= 64 && (w & (w - 1)) === 0) {
      const ringRows = Math.min(2 * w, result.fill.windowsPlanned);
      const growth = spec.series * METRICS.length * Float64Array.BYTES_PER_ELEMENT * ringRows;
      if (process.memoryUsage.rss() + growth > budget) {
        result.stopped = `fill stopped after window ${w} of ${result.fill.windowsPlanned} (${(w / WINDOWS_PER_DAY).toFixed(2)} of ${spec.days} days): the next window grows every key's store ring to ${ringRows} rows (+${(growth / MIB).toFixed(0)} MiB), past the ${spec.budgetMb} MiB budget`;
        break;
      }
    }
    const index = first + w;
    for (let i = 0; i < rows.length; i++) fill(i, index, rows[i]!.values);
    engine.store.writeWindow({ start: index * WINDOW_MS, end: (index + 1) * WINDOW_MS, rows });
    result.fill.windows = w + 1;
    if (process.memoryUsage.rss() > budget) {
      result.stopped = `fill stopped at window ${w + 1} of ${result.fill.windowsPlanned} (${((w + 1) / WINDOWS_PER_DAY).toFixed(2)} of ${spec.days} days): RSS passed the ${spec.budgetMb} MiB budget`;
      break;
    }
  }
  result.fill.seconds = (performance.now() - fillStart) / 1000;
  result.memory.store = sample();

  const projected =
    result.memory.store.rss + spec.series * (spec.detectorBytesPerSeries ?? 0) - result.memory.base.rss;
  if (!result.stopped && result.memory.base.rss + projected > budget) {
    result.stopped = `warm-up not run: the store holds ${(result.memory.store.rss / MIB).toFixed(0)} MiB and the detectors would add about ${((spec.series * (spec.detectorBytesPerSeries ?? 0)) / MIB).toFixed(0)} MiB (as measured per series at a smaller size), past the ${spec.budgetMb} MiB budget`;
  }
  if (!result.stopped) {
    // A tick: one window of every key closes, lateness after its end.
    let next = first + result.fill.windows;
    const tick = () => {
      const window = closedWindow(people, fill, next++);
      clock.observe(window.end + config.lateness);
      const cpu = process.cpuUsage();
      const start = performance.now();
      engine.emit([window]);
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      return { wall, cpu: (used.user + used.system) / 1000 };
    };
    const warmup = await profiled("warmup", tick);
    result.warmupMs = warmup.wall;
    result.warmupCpuMs = warmup.cpu;
    result.memory.warm = sample();
    const steady = await profiled("steady", () => Array.from({ length: spec.ticks }, tick));
    result.ticksMs = steady.map((one) => one.wall);
    result.ticksCpuMs = steady.map((one) => one.cpu);
    const alerts = engine.listAlerts();
    result.alerts = {
      pending: alerts.filter((alert) => alert.state === "pending").length,
      firing: alerts.filter((alert) => alert.state === "firing").length,
    };
    result.memory.end = sample();
    if (spec.heapSnapshot) writeHeapSnapshot(spec.heapSnapshot);
  }
  await engine.stop();
} finally {
  await rm(dir, { recursive: true, force: true });
}
await writeFile(out, `${JSON.stringify(result)}\n`);
