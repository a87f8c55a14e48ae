// Reads NAB's label files (labels/combined_windows.json, labels/combined_labels.json) into typed maps.
// Keys stay as NAB writes them: the data file's path relative to data/, e.g.
// "realTweets/Twitter_volume_AAPL.csv". Timestamps are "YYYY-MM-DD HH:MM:SS" with an optional
// ".ffffff" fraction and no zone; NAB's data is naive time, read here as UTC, to epoch ms.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/** One labelled anomaly window, both ends inclusive, epoch ms. */
export type NabWindow = readonly [start: number, end: number];

/** combined_windows.json: data path → windows in time order (may be empty). */
export type NabWindows = ReadonlyMap<string, readonly NabWindow[]>;

/** combined_labels.json: data path → labelled anomaly points, epoch ms, ascending. */
export type NabLabelPoints = ReadonlyMap<string, readonly number[]>;

/** Thrown when a NAB file is refused; names the file and carries every issue found, not only the first. */
export class NabFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly string[],
  ) {
    super(issues.map((issue) => `${file}: ${issue}`).join("\n"));
    this.name = "NabFileError";
  }
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** "2015-03-03 04:37:53.000000" (fraction optional) read as UTC → epoch ms; undefined when not one. */
export function parseNabTimestamp(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const whole = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(whole);
  // Date.UTC rolls 2015-02-30 over to March; refuse instead of guessing.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    back.getUTCHours() !== hour ||
    back.getUTCMinutes() !== minute ||
    back.getUTCSeconds() !== second
  ) {
    return undefined;
  }
  const micros = match[7] === undefined ? 0 : Number(match[7].padEnd(6, "0"));
  return whole + micros / 1000;
}

/** Parses combined_windows.json content. `file` is only used to name the file in errors. */
export function parseNabWindows(json: unknown, file: string): NabWindows {
  const issues: string[] = [];
  const out = new Map<string, NabWindow[]>();
  for (const [key, value] of entriesOf(json, file)) {
    if (!Array.isArray(value)) {
      issues.push(`"${key}": expected a list of [start, end] windows`);
      continue;
    }
    const windows: NabWindow[] = [];
    value.forEach((window: unknown, index) => {
      const where = `"${key}" window ${index}`;
      if (!Array.isArray(window) || window.length !== 2) {
        issues.push(`${where}: expected [start, end]`);
        return;
      }
      const [start, end] = window.map((text: unknown) => timestampOf(text, where, issues));
      if (start === undefined || end === undefined) return;
      if (start > end) issues.push(`${where}: starts after it ends`);
      const previous = windows.at(-1);
      if (previous && start <= previous[1]) issues.push(`${where}: starts before window ${index - 1} ends`);
      windows.push([start, end]);
    });
    out.set(key, windows);
  }
  if (issues.length > 0) throw new NabFileError(file, issues);
  return out;
}

/** Parses combined_labels.json content; points come back sorted ascending. */
export function parseNabLabelPoints(json: unknown, file: string): NabLabelPoints {
  const issues: string[] = [];
  const out = new Map<string, number[]>();
  for (const [key, value] of entriesOf(json, file)) {
    if (!Array.isArray(value)) {
      issues.push(`"${key}": expected a list of timestamps`);
      continue;
    }
    const points = value
      .map((text: unknown, index) => timestampOf(text, `"${key}" label ${index}`, issues))
      .filter((point): point is number => point !== undefined);
    out.set(
      key,
      points.sort((a, b) => a - b),
    );
  }
  if (issues.length > 0) throw new NabFileError(file, issues);
  return out;
}

/** Reads and parses combined_windows.json. */
export async function loadNabWindows(path: string | URL): Promise<NabWindows> {
  const [file, json] = await readJson(path);
  return parseNabWindows(json, file);
}

/** Reads and parses combined_labels.json. */
export async function loadNabLabelPoints(path: string | URL): Promise<NabLabelPoints> {
  const [file, json] = await readJson(path);
  return parseNabLabelPoints(json, file);
}

/** Reads a JSON file; a read or syntax error becomes a NabFileError naming the file. */
export async function readJson(path: string | URL): Promise<[file: string, json: unknown]> {
  const file = typeof path === "string" ? path : fileURLToPath(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new NabFileError(file, [`cannot read: ${(error as Error).message}`]);
  }
  try {
    return [file, JSON.parse(text) as unknown];
  } catch (error) {
    throw new NabFileError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
}

function entriesOf(json: unknown, file: string): [string, unknown][] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new NabFileError(file, ["expected an object keyed by data file path"]);
  }
  return Object.entries(json);
}

function timestampOf(text: unknown, where: string, issues: string[]): number | undefined {
  const time = typeof text === "string" ? parseNabTimestamp(text) : undefined;
  if (time === undefined) {
    issues.push(`${where}: ${JSON.stringify(text)} is not a "YYYY-MM-DD HH:MM:SS[.ffffff]" timestamp`);
  }
  return time;
}
