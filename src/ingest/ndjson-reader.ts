// Streams NDJSON from a file or stdin in constant memory: decodes whole chunks up to their last
// newline (one string per chunk, not per line) and carries the partial line to the next chunk.
import type { ParsedBatch } from "./parse-batch.js";
import { parseNdjson } from "./parse-batch.js";

export interface NdjsonReaderOptions {
  /** A line longer than this is rejected (and skipped to its end) instead of buffered. */
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
      yield {
        values: [],
        errors: [{ line, error: `line is longer than the limit of ${maxLineBytes} bytes` }],
      };
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
    const batch = parseNdjson(complete.toString("utf8"), line, maxLineBytes);
    line += countNewlines(complete) + 1;
    carry = Buffer.from(chunk.subarray(last + 1));
    if (carry.length > maxLineBytes) {
      carry = Buffer.alloc(0);
      skipping = true;
    }
    yield batch;
  }
  if (skipping) {
    yield { values: [], errors: [{ line, error: `line is longer than the limit of ${maxLineBytes} bytes` }] };
  } else if (carry.length > 0) {
    yield parseNdjson(carry.toString("utf8"), line, maxLineBytes);
  }
}

function countNewlines(buffer: Buffer): number {
  let count = 0;
  for (let at = buffer.indexOf(NEWLINE); at !== -1; at = buffer.indexOf(NEWLINE, at + 1)) count++;
  return count;
}
