// Streams NDJSON from a file or stdin in constant memory: decodes whole chunks up to their last
// newline (one string per chunk, not per line) and carries the partial line to the next chunk.
import type { LineError, LineValue, ParsedBatch } from "./parse-batch.js";
import { parseLine } from "./parse-batch.js";

export interface NdjsonReaderOptions {
  /**
   * A line of more bytes than this (its \r included, its \n not) is rejected (and skipped to its end)
   * instead of buffered. Counted in bytes on every path, so where the chunks happen to be cut never
   * changes which lines are refused.
   */
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;

/** Yields one parsed batch per chunk that completes at least one line; line numbers are 1-based. */
export async function* readNdjson(
  source: AsyncIterable<Buffer | string>,
  options: NdjsonReaderOptions = {},
): AsyncGenerator<ParsedBatch> {
  const maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  // While skipping an over-long line we drop bytes until its newline, holding none of them.
  let skipping = false;

  for await (const piece of source) {
    let chunk = typeof piece === "string" ? Buffer.from(piece) : piece;
    if (skipping) {
      const end = chunk.indexOf(NEWLINE);
      if (end === -1) continue;
      yield { values: [], errors: [{ line, error: tooLong(maxLineBytes) }] };
      skipping = false;
      line++;
      chunk = chunk.subarray(end + 1);
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      carry = carry.length === 0 ? chunk : Buffer.concat([carry, chunk]);
      if (carry.length > maxLineBytes) {
        carry = Buffer.alloc(0);
        skipping = true;
      }
      continue;
    }
    const complete =
      carry.length === 0 ? chunk.subarray(0, last) : Buffer.concat([carry, chunk.subarray(0, last)]);
    const batch = parseLines(complete, line, maxLineBytes);
    line += countNewlines(complete) + 1;
    carry = Buffer.from(chunk.subarray(last + 1));
    if (carry.length > maxLineBytes) {
      carry = Buffer.alloc(0);
      skipping = true;
    }
    yield batch;
  }
  if (skipping) {
    yield { values: [], errors: [{ line, error: tooLong(maxLineBytes) }] };
  } else if (carry.length > 0) {
    yield parseLines(carry, line, maxLineBytes);
  }
}

const tooLong = (maxLineBytes: number): string => `line is longer than the limit of ${maxLineBytes} bytes`;

/**
 * Parses complete lines: one string for them all, each line's length judged on its bytes. A newline
 * byte is a "\n" in the decoded text too (UTF-8 never hides 0x0a in a sequence, and a broken sequence
 * before it decodes to U+FFFD without taking it), so bytes and text split into the same lines.
 */
function parseLines(bytes: Buffer, firstLine: number, maxLineBytes: number): ParsedBatch {
  const text = bytes.toString("utf8");
  const values: LineValue[] = [];
  const errors: LineError[] = [];
  let line = firstLine;
  let byteStart = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    let byteEnd = bytes.indexOf(NEWLINE, byteStart);
    if (byteEnd === -1) byteEnd = bytes.length;
    if (byteEnd - byteStart > maxLineBytes) errors.push({ line, error: tooLong(maxLineBytes) });
    else parseLine(text, start, end, line, Number.POSITIVE_INFINITY, values, errors);
    start = end + 1;
    byteStart = byteEnd + 1;
    line++;
  }
  return { values, errors };
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE); at !== -1; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}
