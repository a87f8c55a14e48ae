// Backtest speed: `tocsin evaluate`'s code path (read the series CSVs, replay each through an engine
// with the shipped NAB rule, score against the labelled windows) over generated history the size of
// NAB v1.1 (≈ 365k points) and 10× it (the same files, ten times longer).
// Usage: npm run bench -- --only backtest [--size small|full]
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findCsvFiles, readCsvSeries } from "../src/backtest/csv-series.js";
import { evaluate } from "../src/backtest/evaluate.js";
import { loadNabWindows } from "../src/backtest/nab-labels.js";
import { backtestConfig } from "../src/backtest/run-backtest.js";
import { parseConfig } from "../src/config/load.js";
import { runBench } from "./lib/cli.js";
import type { SeriesCorpus } from "./lib/corpus-series.js";
import { writeSeriesCorpus } from "./lib/corpus-series.js";
import type { Figure } from "./lib/figure.js";
import { collectGarbage, median } from "./lib/pipeline-measure.js";

const COMMAND = "npm run bench -- --only backtest";
const RULES = "rules/volume-spike.yaml";
/** NAB v1.1: 58 data files, about 365k points in all. */
const NAB_FILES = 58;
const NAB_ROWS_PER_FILE = 6_300;

const SIZES = {
  // CI: 6 files of a tenth of NAB's length (and 10× that), once each; the target only means
  // something in full.
  small: { files: 6, rows: NAB_ROWS_PER_FILE / 10, repeats: 1, largeRepeats: 1 },
  // The 10× run (3.65M points) is long and steady enough to run once.
  full: { files: NAB_FILES, rows: NAB_ROWS_PER_FILE, repeats: 3, largeRepeats: 1 },
} as const;

interface Timed {
  /** Median CPU seconds (user + system of this process) and wall seconds of the runs. */
  cpu: number;
  wall: number;
  alerts: number;
}

await runBench(async ({ size }) => {
  const plan = SIZES[size];
  const dir = await mkdtemp(join(tmpdir(), "tocsin-bench-backtest-"));
  try {
    const config = backtestConfig(parseConfig(`data_dir: ${JSON.stringify(dir)}`, "bench.yaml", {}), [RULES]);
    const run = async (corpus: SeriesCorpus, repeats: number): Promise<Timed> => {
      const windows = await loadNabWindows(corpus.windows);
      const cpu: number[] = [];
      const wall: number[] = [];
      let alerts = 0;
      for (let i = 0; i < repeats; i++) {
        collectGarbage();
        const cpuBefore = process.cpuUsage();
        const started = process.hrtime.bigint();
        const evaluation = await evaluate({ config, data: corpus.data, windows, metric: "mentions" });
        wall.push(Number(process.hrtime.bigint() - started) / 1e9);
        const used = process.cpuUsage(cpuBefore);
        cpu.push((used.user + used.system) / 1e6);
        alerts = evaluation.groups.find((group) => group.name === "all")?.alerts ?? 0;
      }
      return { cpu: median(cpu), wall: median(wall), alerts };
    };

    // Warm-up: the code paths JIT-compiled on a few short files before anything is timed.
    await run(await writeSeriesCorpus(join(dir, "warm"), { files: 2, rowsPerFile: 1_000, seed: 1 }), 1);
    const nab = await writeSeriesCorpus(join(dir, "nab"), { files: plan.files, rowsPerFile: plan.rows });
    const nabTime = await run(nab, plan.repeats);
    const csvSeconds = await csvOnly(nab.data);
    const large = await writeSeriesCorpus(join(dir, "large"), {
      files: plan.files,
      rowsPerFile: plan.rows * 10,
    });
    const largeTime = await run(large, plan.largeRepeats);

    const details = (corpus: SeriesCorpus, timed: Timed, repeats: number) => ({
      files: corpus.files,
      points: corpus.points,
      "CSV MB": corpus.bytes / 1e6,
      "CPU s": timed.cpu,
      "wall s": timed.wall,
      alerts: timed.alerts,
      repetitions: repeats,
    });
    const notes =
      `tocsin evaluate's path (evaluate(): CSV read, one engine per file with ${RULES}, NAB scoring), seeded generated ` +
      "Twitter-volume-like series at a 5-minute step with labelled bursts; CPU time of the process (user + system), median";
    const nabRate = nab.points / nabTime.cpu;
    const largeRate = large.points / largeTime.cpu;
    const figures: Figure[] = [
      {
        id: "backtest.nab.seconds",
        title:
          size === "full"
            ? "Backtest of NAB-size history (≈365k points)"
            : `Backtest of CI-size history (${nab.points} points; NAB size in full)`,
        value: nabTime.cpu,
        unit: "s",
        target: { op: "<=", value: 2, unit: "s" },
        command: COMMAND,
        details: { ...details(nab, nabTime, plan.repeats), "of which CSV parsing s": csvSeconds },
        notes,
      },
      {
        id: "backtest.nab",
        title: `Backtest speed, ${size === "full" ? "NAB-size" : "CI-size"} history`,
        value: nabRate,
        unit: "points/s",
        command: COMMAND,
        details: details(nab, nabTime, plan.repeats),
        notes,
      },
      {
        id: "backtest.10x",
        title: "Backtest speed, 10× NAB-size history (same files, 10× longer)",
        value: largeRate,
        unit: "points/s",
        comparison: {
          against: `${size === "full" ? "NAB" : "CI"}-size history (same run)`,
          value: nabRate,
          ratio: largeRate / nabRate,
        },
        command: COMMAND,
        details: details(large, largeTime, plan.largeRepeats),
        notes,
      },
    ];
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** CPU seconds of reading and parsing the CSVs alone: the part of the backtest that is not the engine. */
async function csvOnly(data: string): Promise<number> {
  collectGarbage();
  const before = process.cpuUsage();
  for (const file of await findCsvFiles(data)) await readCsvSeries(file.path, file.name);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}
