// Generated series history for the backtest benchmark: NAB-shaped CSV files (timestamp,value at a
// 5-minute step, Twitter-volume-like counts with a daily rhythm and a few injected bursts) and their
// labelled windows in NAB's combined_windows.json format. Seeded: the same files on every machine.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Random } from "../../examples/demo/random.js";

const STEP_MS = 300_000;
const DAY_MS = 86_400_000;
const START = Date.parse("2015-02-26T21:40:00Z");

export interface SeriesCorpusOptions {
  files: number;
  rowsPerFile: number;
  seed?: number;
}

export interface SeriesCorpus {
  data: string;
  windows: string;
  files: number;
  points: number;
  bytes: number;
}

/** NAB's timestamp layout: "2015-02-26 21:42:53", UTC without an offset. */
const stamp = (time: number): string => new Date(time).toISOString().slice(0, 19).replace("T", " ");

/** Writes `files` series under `dir`/data/generated/ and the windows file; returns their paths. */
export async function writeSeriesCorpus(dir: string, options: SeriesCorpusOptions): Promise<SeriesCorpus> {
  const data = join(dir, "data");
  await mkdir(join(data, "generated"), { recursive: true });
  const windows: Record<string, Array<[string, string]>> = {};
  let bytes = 0;
  for (let f = 0; f < options.files; f++) {
    const rng = Random.stream(options.seed ?? 2015, `series-${f}`);
    const level = rng.logNormal(3.5, 1); // ~33 a window, from a few to a few hundred
    const amplitude = rng.uniform(0.2, 0.7);
    const phase = rng.uniform(0, 2 * Math.PI);
    // NAB: about one anomaly per 2,000 rows, each window 10% of the file split between its anomalies.
    const bursts = Math.max(1, Math.round(options.rowsPerFile / 2_000));
    const burstRows = new Map<number, number>();
    const name = `generated/series-${String(f).padStart(4, "0")}.csv`;
    const half = Math.floor((options.rowsPerFile * 0.1) / bursts / 2);
    windows[name] = [];
    for (let b = 0; b < bursts; b++) {
      // One burst per equal segment after NAB's 15% probation, so windows stay apart and in order.
      const segment = (options.rowsPerFile * 0.85) / bursts;
      const quarter = Math.floor(segment / 4);
      const at = Math.floor(options.rowsPerFile * 0.15 + (b + 0.5) * segment) + rng.int(-quarter, quarter);
      const height = rng.uniform(3, 10);
      for (let r = 0; r < 24; r++) burstRows.set(at + r, 1 + height * Math.exp(-r / 6));
      windows[name].push([
        `${stamp(START + Math.max(0, at - half) * STEP_MS)}.000000`,
        `${stamp(START + Math.min(options.rowsPerFile - 1, at + half) * STEP_MS)}.000000`,
      ]);
    }
    const lines = ["timestamp,value"];
    for (let row = 0; row < options.rowsPerFile; row++) {
      const time = START + row * STEP_MS;
      const daily = 1 + amplitude * Math.sin((2 * Math.PI * (time % DAY_MS)) / DAY_MS + phase);
      lines.push(`${stamp(time)},${rng.poisson(level * daily * (burstRows.get(row) ?? 1))}`);
    }
    const text = `${lines.join("\n")}\n`;
    bytes += Buffer.byteLength(text);
    await writeFile(join(data, name), text);
  }
  const windowsPath = join(dir, "combined_windows.json");
  await writeFile(windowsPath, `${JSON.stringify(windows, null, 2)}\n`);
  return {
    data,
    windows: windowsPath,
    files: options.files,
    points: options.files * options.rowsPerFile,
    bytes,
  };
}
