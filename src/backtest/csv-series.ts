// Series CSV files (`timestamp,value`, the NAB layout): read, and found under a file or folder.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse } from "csv-parse/sync";

export interface CsvRow {
  /** Epoch ms; timestamps without an offset are UTC. */
  time: number;
  /** The timestamp exactly as written, for output files. */
  timestamp: string;
  value: number;
}

export interface CsvSeries {
  /** Path relative to the input folder (the NAB label key), or the file name. */
  name: string;
  path: string;
  rows: CsvRow[];
}

const NO_OFFSET = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Parses "2015-02-26 21:42:53" (UTC) or any ISO 8601 date-time. */
export function parseTimestamp(text: string): number {
  const iso = NO_OFFSET.test(text) ? `${text.replace(" ", "T")}Z` : text;
  return Date.parse(iso);
}

export async function readCsvSeries(path: string, name: string): Promise<CsvSeries> {
  const records: Record<string, string>[] = parse(await readFile(path, "utf8"), {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  const rows = records.map((record, index) => {
    const line = index + 2;
    const timestamp = record.timestamp;
    const value = Number(record.value);
    if (timestamp === undefined || record.value === undefined) {
      throw new Error(`${path}:${line}: expected the columns timestamp,value`);
    }
    const time = parseTimestamp(timestamp);
    if (Number.isNaN(time)) throw new Error(`${path}:${line}: timestamp "${timestamp}" is not a date`);
    if (!Number.isFinite(value)) throw new Error(`${path}:${line}: value "${record.value}" is not a number`);
    return { time, timestamp, value };
  });
  for (let i = 1; i < rows.length; i++) {
    if ((rows[i] as CsvRow).time <= (rows[i - 1] as CsvRow).time) {
      throw new Error(`${path}:${i + 2}: timestamps must be strictly ascending`);
    }
  }
  return { name, path, rows };
}

/** CSV files under `input` (a file or a folder, searched recursively), with names relative to it. */
export async function findCsvFiles(input: string): Promise<Array<{ path: string; name: string }>> {
  if (!(await stat(input)).isDirectory()) return [{ path: input, name: input.split("/").pop() ?? input }];
  const entries = await readdir(input, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith(".csv"))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, name: relative(input, path) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
