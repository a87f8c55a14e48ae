// Rule evaluation at scale: N series with 7 days of 5-minute history in the memory store and ten rules
// (nine detector types) judging every key at each window close. A series is one (metric, key labels)
// pair (design.md §2): each {brand, channel} key carries every metric, so N series are N / 10 keys. Per size: the steady tick (one
// window close through Engine.emit: store, every rule, alert lifecycle), the warm-up tick (the first
// close after a restart, which builds and warms every detector from the stored history), the fill rate
// of the history, RSS after GC and the memory per series. Sizes 1k, 10k and 100k series show how the
// cost grows; each runs in its own process under a memory budget, and a size that does not fit says
// where it stopped instead of reporting a number it did not measure.
// Usage: npm run bench -- --only rule-eval [--size small|full]
//   TOCSIN_BENCH_RULES_BUDGET_MB: RSS budget per size (default: 6 GiB, at most half the free memory).
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { freemem, tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchArgs } from "./lib/cli.js";
import { runBench } from "./lib/cli.js";
import type { Figure } from "./lib/figure.js";
import { nodeScript } from "./lib/node-script.js";
import type { RulesChildResult, RulesChildSpec } from "./lib/rules-child.js";
import { METRICS } from "../src/model/index.js";

const MIB = 1024 * 1024;
const TICK_TARGET_MS = 250;
const RSS_TARGET_MB = 2048;
/** The size the issue's targets are set for. */
const TARGET_SERIES = 100_000;

/** Series per key: a {brand, channel} key carries every metric (src/model METRICS). */
const SERIES_PER_KEY = METRICS.length;

/** `series` in a child's spec counts keys. */
const PLANS: Record<BenchArgs["size"], Array<Pick<RulesChildSpec, "series" | "days" | "ticks">>> = {
  small: [{ series: 100, days: 3, ticks: 10 }],
  full: [
    { series: 100, days: 7, ticks: 20 },
    { series: 1_000, days: 7, ticks: 20 },
    { series: 10_000, days: 7, ticks: 20 },
  ],
};

await runBench(async ({ size }) => {
  const budgetMb = Math.round(
    Number(process.env.TOCSIN_BENCH_RULES_BUDGET_MB) || Math.min(6_144, freemem() / MIB / 2),
  );
  const dir = await mkdtemp(join(tmpdir(), "tocsin-bench-rules-"));
  const figures: Figure[] = [];
  try {
    let detectorBytesPerSeries: number | undefined;
    for (const plan of PLANS[size]) {
      const spec: RulesChildSpec = {
        ...plan,
        budgetMb,
        ...(detectorBytesPerSeries === undefined ? {} : { detectorBytesPerSeries }),
      };
      const label = sizeLabel(plan.series * SERIES_PER_KEY);
      console.log(
        `rule-eval: ${label} series (${plan.series} keys), ${plan.days} days of history (budget ${budgetMb} MiB)`,
      );
      const result = await runChild(spec, join(dir, `${label}.json`), budgetMb);
      if (result.rules === 0) {
        // Died without measuring anything: no figure (a zero would read as a target met), a failure.
        console.error(`rule-eval: ${result.stopped}`);
        process.exitCode = 1;
        continue;
      }
      figures.push(...figuresOf(result, size));
      const { store, warm } = result.memory;
      if (store && warm) detectorBytesPerSeries = Math.max(0, (warm.rss - store.rss) / plan.series);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
});

function runChild(spec: RulesChildSpec, out: string, budgetMb: number): Promise<RulesChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--expose-gc",
        `--max-old-space-size=${budgetMb}`,
        ...nodeScript("bench/lib/rules-child"),
        JSON.stringify(spec),
        out,
      ],
      { stdio: "inherit" },
    );
    child.on("exit", (code, signal) => {
      if (code === 0) {
        readFile(out, "utf8").then((text) => resolve(JSON.parse(text) as RulesChildResult), reject);
        return;
      }
      // A crash is a result too: the size did not fit (heap limit, OOM killer), said as such.
      resolve({
        spec,
        rules: 0,
        stopped: `the ${sizeLabel(spec.series * SERIES_PER_KEY)} series process died (${signal ?? `exit ${code}`}) before reporting`,
        fill: { windows: 0, windowsPlanned: 0, seconds: 0 },
        memory: { base: { rss: 0, heapUsed: 0, arrayBuffers: 0, external: 0 } },
        ticksMs: [],
        ticksCpuMs: [],
      });
    });
  });
}

function figuresOf(result: RulesChildResult, size: BenchArgs["size"]): Figure[] {
  const { spec } = result;
  const label = sizeLabel(spec.series * SERIES_PER_KEY);
  const command = `npm run bench -- --only rule-eval${size === "small" ? " --size small" : ""}`;
  const targeted = spec.series * SERIES_PER_KEY === TARGET_SERIES;
  const common = {
    series: spec.series * SERIES_PER_KEY,
    "series keys": spec.series,
    rules: result.rules,
    "history days": spec.days,
    window: "5m",
  };
  const figures: Figure[] = [];
  const { base, store, warm, end } = result.memory;
  const pairs = spec.series * result.rules;

  if (result.fill.windows > 0) {
    const seriesWindows = result.fill.windows * spec.series;
    figures.push({
      id: `rules.fill.${label}`,
      title: `Rule eval ${label}: history fill rate (store writes)`,
      value: seriesWindows / result.fill.seconds,
      unit: "series-windows/s",
      command,
      details: { ...common, "windows written": result.fill.windows, seconds: result.fill.seconds },
      ...(result.stopped ? { notes: result.stopped } : {}),
    });
  }

  if (!end || !store || !warm || result.warmupMs === undefined) {
    // Stopped early: the RSS it had reached is measured; the tick was not, and is not reported.
    const reached = store ?? base;
    const perSeries =
      store && result.fill.windows > 0
        ? ((store.rss - base.rss) / spec.series) * (result.fill.windowsPlanned / result.fill.windows)
        : undefined;
    figures.push({
      id: `rules.rss.${label}`,
      title: `Rule eval ${label}: RSS reached before stopping`,
      value: reached.rss / MIB,
      unit: "MiB",
      ...(targeted ? { target: { op: "<=", value: RSS_TARGET_MB, unit: "MiB" } } : {}),
      command,
      details: {
        ...common,
        budget: `${spec.budgetMb} MiB`,
        ...(perSeries === undefined
          ? {}
          : { "store KiB per series (full history, extrapolated)": perSeries / 1024 }),
      },
      notes: `${result.stopped ?? "stopped"}; no tick was measured at this size`,
    });
    return figures;
  }

  const ticks = [...result.ticksMs].sort((a, b) => a - b);
  const cpu = [...result.ticksCpuMs].sort((a, b) => a - b);
  const median = quantile(ticks, 0.5);
  figures.push({
    id: `rules.tick.${label}`,
    title: `Rule eval ${label}: steady tick (one window close, median)`,
    value: median,
    unit: "ms",
    ...(targeted ? { target: { op: "<=", value: TICK_TARGET_MS, unit: "ms" } } : {}),
    command,
    details: {
      ...common,
      ticks: ticks.length,
      p99: quantile(ticks, 0.99),
      "CPU median ms": quantile(cpu, 0.5),
      "µs per rule × series (CPU)": (quantile(cpu, 0.5) * 1000) / pairs,
      "alerts pending": result.alerts?.pending ?? 0,
      "alerts firing": result.alerts?.firing ?? 0,
    },
    notes:
      "store write, 10 × N detector evaluations, alert lifecycle; wall time, with the CPU time beside it",
  });
  figures.push({
    id: `rules.warmup.${label}`,
    title: `Rule eval ${label}: warm-up tick (first close: detectors built from history)`,
    value: result.warmupMs,
    unit: "ms",
    command,
    details: { ...common, "CPU ms": result.warmupCpuMs ?? 0, "detectors built": pairs },
  });
  figures.push({
    id: `rules.rss.${label}`,
    title: `Rule eval ${label}: RSS after fill, warm-up and ticks (after GC)`,
    value: end.rss / MIB,
    unit: "MiB",
    ...(targeted ? { target: { op: "<=", value: RSS_TARGET_MB, unit: "MiB" } } : {}),
    command,
    details: {
      ...common,
      "heap used MiB": end.heapUsed / MIB,
      "array buffers MiB": end.arrayBuffers / MIB,
      "RSS before fill MiB": base.rss / MIB,
    },
  });
  figures.push({
    id: `rules.memory-per-series.${label}`,
    title: `Rule eval ${label}: memory per series (RSS growth / series)`,
    value: (end.rss - base.rss) / (spec.series * SERIES_PER_KEY) / 1024,
    unit: "KiB",
    command,
    details: {
      ...common,
      "per key KiB": (end.rss - base.rss) / spec.series / 1024,
      "store KiB per key": (store.rss - base.rss) / spec.series / 1024,
      "detectors KiB per key": (warm.rss - store.rss) / spec.series / 1024,
      "heap KiB per key": (end.heapUsed - base.heapUsed) / spec.series / 1024,
    },
    notes: "a key carries all 10 metrics (10 series); the 10 rules keep one detector each per key",
  });
  return figures;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function sizeLabel(series: number): string {
  return series >= 1000 && series % 1000 === 0 ? `${series / 1000}k` : String(series);
}
