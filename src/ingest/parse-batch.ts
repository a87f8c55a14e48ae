// Turns a request body or a chunk of a file into JSON values tagged with the line they came from.
// A bad line is reported with its number and never costs the good lines beside it.

export interface LineValue {
  /** 1-based line (NDJSON) or 1-based position in a JSON array. */
  line: number;
  value: unknown;
  /** The JSON text it was parsed from (NDJSON lines), trimmed: the write-ahead log keeps it as is. */
  raw?: string;
}

export interface LineError {
  line: number;
  error: string;
}

export interface ParsedBatch {
  values: LineValue[];
  errors: LineError[];
}

export type BodyFormat = "json" | "ndjson";

/** Parses NDJSON text whose first line is `firstLine` (1-based); blank lines are skipped. */
export function parseNdjson(
  text: string,
  firstLine = 1,
  maxLineLength = Number.POSITIVE_INFINITY,
): ParsedBatch {
  const values: LineValue[] = [];
  const errors: LineError[] = [];
  let line = firstLine;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    parseLine(text, start, end, line, maxLineLength, values, errors);
    start = end + 1;
    line++;
  }
  return { values, errors };
}

/** Parses one line `text[start, end)` into `values` or `errors`. */
export function parseLine(
  text: string,
  start: number,
  end: number,
  line: number,
  maxLineLength: number,
  values: LineValue[],
  errors: LineError[],
): void {
  // Trim the \r of CRLF files and surrounding blanks without copying the line first.
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  if (start === end) return;
  if (end - start > maxLineLength) {
    errors.push({ line, error: `line is longer than the limit of ${maxLineLength} characters` });
    return;
  }
  const raw = text.slice(start, end);
  try {
    values.push({ line, value: JSON.parse(raw), raw });
  } catch (error) {
    errors.push({ line, error: `invalid JSON: ${(error as Error).message}` });
  }
}

const isBlank = (code: number): boolean => code === 32 || code === 9 || code === 13 || code === 0xfeff;

/**
 * Parses a request body. `json` accepts one object or an array of objects; a body that is not one
 * JSON document but has several lines is read as NDJSON, since many clients label NDJSON as JSON.
 */
export function parseBody(text: string, format: BodyFormat, maxLineLength?: number): ParsedBatch {
  if (format === "ndjson") return parseNdjson(text, 1, maxLineLength);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    if (text.trim().includes("\n")) return parseNdjson(text, 1, maxLineLength);
    return { values: [], errors: [{ line: 1, error: `invalid JSON: ${(error as Error).message}` }] };
  }
  if (Array.isArray(document)) {
    return { values: document.map((value, index) => ({ line: index + 1, value })), errors: [] };
  }
  return { values: [{ line: 1, value: document }], errors: [] };
}
