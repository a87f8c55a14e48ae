// Series CSV files (`timestamp,value`, the NAB layout): read, and found under a file or folder.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { parse } from "csv-parse/sync";
import type { DateTimeFields } from "../util/date-time-fields.js";
import { readDateTime } from "../util/date-time-fields.js";

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
  const time = plainTimestamp(text);
  if (time !== undefined) return time;
  const iso = NO_OFFSET.test(text) ? `${text.replace(" ", "T")}Z` : text;
  return Date.parse(iso);
}

/** Scratch fields of the row being read. */
const FIELDS: DateTimeFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };

/**
 * NAB's own layout, "2015-02-26 21:42:53", read digit by digit: a regex, a string and Date.parse per
 * row were a tenth of a backtest. Only fields in their usual ranges are taken here, where Date.UTC and
 * Date.parse agree; anything else (24:00, a two-digit year, a fraction, an offset) is Date.parse's.
 */
function plainTimestamp(text: string): number | undefined {
  if (text.length !== 19) return undefined;
  const separator = text.charCodeAt(10);
  if (separator !== 32 && separator !== 84) return undefined; // " " or "T"
  if (!readDateTime(text, FIELDS)) return undefined;
  const { year, month, day, hour, minute, second } = FIELDS;
  // Date.UTC reads years 0–99 as 1900–1999.
  if (year < 100) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * The common file, "timestamp,value" then one unquoted pair a line in NAB's timestamp layout, read
 * by hand: csv-parse and a record object per row were a tenth of a backtest. Undefined sends anything
 * else (quotes, \r, a third column, another timestamp layout, a value that is not a number) to the
 * general path, which reads it again and words the errors.
 */
function plainRows(text: string): CsvRow[] | undefined {
  const header = "timestamp,value\n";
  if (!text.startsWith(header) || text.includes('"') || text.includes("\r")) return undefined;
  const rows: CsvRow[] = [];
  for (let from = header.length; from < text.length;) {
    let to = text.indexOf("\n", from);
    if (to === -1) to = text.length;
    if (to > from) {
      const comma = text.indexOf(",", from);
      if (comma === -1 || comma > to || text.lastIndexOf(",", to - 1) !== comma) return undefined;
      const timestamp = text.slice(from, comma);
      const time = plainTimestamp(timestamp);
      // Number() ignores the spaces around a value as csv-parse's trim does.
      const value = Number(text.slice(comma + 1, to));
      if (time === undefined || !Number.isFinite(value)) return undefined;
      rows.push({ time, timestamp, value });
    }
    from = to + 1;
  }
  return rows;
}

function parsedRows(text: string, path: string): CsvRow[] {
  const records: Record<string, string>[] = parse(text, {
    columns: true,
    skip_empty_lines: true,
    trim: true,
  });
  return records.map((record, index) => {
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
}

export async function readCsvSeries(path: string, name: string): Promise<CsvSeries> {
  const text = await readFile(path, "utf8");
  const rows = plainRows(text) ?? parsedRows(text, path);
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
