// Property tests of the NDJSON reader and the body parser on hostile input: arbitrary lines (JSON,
// garbage, over-long, CRLF, blank, invalid UTF-8, lone surrogates) cut into arbitrary byte chunks.
// Never a throw; every line accounted once, with its number; the chunking never changes the result.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readNdjson } from "../src/ingest/ndjson-reader.js";
import type { LineError, LineValue } from "../src/ingest/parse-batch.js";
import { parseBody, parseNdjson } from "../src/ingest/parse-batch.js";

// One seed per run of the suite, so CI is repeatable; FC_SEED=<n> explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });

const RUNS = { numRuns: 200 };
const TIMEOUT_MS = 10_000;

/** One line's bytes, without its "\n". */
const noNewline = (bytes: Uint8Array): Buffer => Buffer.from(bytes.filter((b) => b !== 0x0a));
const text = (t: string): Buffer => Buffer.from(t.replace(/\n/g, " "));

const lineArb: fc.Arbitrary<Buffer> = fc.oneof(
  // Valid JSON documents, objects most of all.
  fc.object().map((o) => text(JSON.stringify(o))),
  fc.jsonValue().map((v) => text(JSON.stringify(v) ?? "null")),
  // Garbage and near-JSON.
  fc.string({ unit: "binary", maxLength: 40 }).map(text),
  fc.constantFrom('{"a":', "}{", "[1,2", "nul", '{"a":1}}', "\u0000", "{'a':1}").map(text),
  // Blank lines of every kind the parser trims.
  fc.constantFrom("", " ", "\t", "\r", " \t ", "\ufeff", "\ufeff{}").map(text),
  // Lone surrogates, raw (encoded as U+FFFD) and escaped in JSON (valid).
  fc.constantFrom('{"t":"\ud800"}', '{"t":"\\ud800"}', '"\udfff"', "\ud83d").map(text),
  // Invalid UTF-8: arbitrary bytes, and a truncated multi-byte sequence inside a JSON string.
  fc.uint8Array({ maxLength: 40 }).map(noNewline),
  fc.constant(Buffer.concat([Buffer.from('{"t":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')])),
  // Lines around the limit (the tests use limits of 16 to 200 bytes), ASCII and multi-byte.
  fc.integer({ min: 0, max: 260 }).map((n) => text(`{"t":"${"x".repeat(n)}"}`)),
  fc.integer({ min: 0, max: 90 }).map((n) => text(`{"t":"${"é".repeat(n)}"}`)),
  fc.integer({ min: 0, max: 260 }).map((n) => text(`${" ".repeat(n)}{}`)),
);

interface Doc {
  lines: Buffer[];
  crlf: boolean[];
  finalNewline: boolean;
}

const docArb: fc.Arbitrary<Doc> = fc.array(lineArb, { maxLength: 30 }).chain((lines) =>
  fc.record({
    lines: fc.constant(lines),
    crlf: fc.array(fc.boolean(), { minLength: lines.length, maxLength: lines.length }),
    finalNewline: fc.boolean(),
  }),
);

/** The document's bytes: lines joined by "\n" or "\r\n" (the \r then belongs to the line). */
function bytesOf({ lines, crlf, finalNewline }: Doc): { bytes: Buffer; raw: Buffer[] } {
  const raw = lines.map((line, i) => (crlf[i] ? Buffer.concat([line, Buffer.from("\r")]) : line));
  const parts: Buffer[] = [];
  raw.forEach((line, i) => {
    parts.push(line);
    if (i < raw.length - 1 || finalNewline) parts.push(Buffer.from("\n"));
  });
  return { bytes: Buffer.concat(parts), raw };
}

/** Splits at arbitrary byte offsets, possibly inside a multi-byte character or a CRLF. */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

async function read(chunks: Buffer[], maxLineBytes: number) {
  async function* source() {
    yield* chunks;
  }
  const values: LineValue[] = [];
  const errors: LineError[] = [];
  for await (const batch of readNdjson(source(), { maxLineBytes })) {
    values.push(...batch.values);
    errors.push(...batch.errors);
  }
  return { values, errors };
}

const BLANK = /^[ \t\r\ufeff]*$/;
const trimBlank = (t: string) => t.replace(/^[ \t\r\ufeff]+|[ \t\r\ufeff]+$/g, "");

/** What each raw line must become: skipped, a value, or an error (over the limit in bytes, or bad JSON). */
function expected(raw: Buffer[], maxLineBytes: number) {
  const values: LineValue[] = [];
  const errorLines: number[] = [];
  raw.forEach((bytes, i) => {
    const line = i + 1;
    if (bytes.length > maxLineBytes) return void errorLines.push(line);
    const decoded = bytes.toString("utf8");
    if (BLANK.test(decoded)) return;
    try {
      values.push({ line, value: JSON.parse(trimBlank(decoded)) });
    } catch {
      errorLines.push(line);
    }
  });
  return { values, errorLines };
}

describe("NDJSON reader on arbitrary lines and chunkings", () => {
  it(
    "accounts for every non-blank line exactly once, with its number, whatever the chunking",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          docArb,
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.integer({ min: 16, max: 200 }),
          async (doc, cuts, maxLineBytes) => {
            const { bytes, raw } = bytesOf(doc);
            const want = expected(raw, maxLineBytes);
            const got = await read(chunked(bytes, cuts), maxLineBytes);
            // Good lines kept with their numbers and their text as it arrived; each bad line reported
            // once, with a reason.
            expect(got.values.map(({ line, value }) => ({ line, value }))).toEqual(want.values);
            for (const { value, raw } of got.values) expect(JSON.parse(raw ?? "")).toEqual(value);
            expect(got.errors.map((e) => e.line).sort((a, b) => a - b)).toEqual(want.errorLines);
            for (const error of got.errors) expect(error.error).toMatch(/^(invalid JSON: |line is longer)/);
            // The same document in one chunk gives the same answer.
            expect(await read([bytes], maxLineBytes)).toEqual({
              values: got.values,
              errors: [...got.errors].sort((a, b) => a.line - b.line),
            });
          },
        ),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "reports an over-long line with the limit in its reason and keeps the lines after it",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 16, max: 200 }),
          fc.integer({ min: 1, max: 2000 }),
          fc.array(fc.nat(), { maxLength: 8 }),
          async (maxLineBytes, over, cuts) => {
            const long = `{"t":"${"x".repeat(maxLineBytes + over)}"}`;
            const bytes = Buffer.from(`{"n":1}\n${long}\n{"n":3}`);
            const got = await read(chunked(bytes, cuts), maxLineBytes);
            expect(got.values).toEqual([
              { line: 1, value: { n: 1 }, raw: '{"n":1}' },
              { line: 3, value: { n: 3 }, raw: '{"n":3}' },
            ]);
            expect(got.errors).toEqual([
              { line: 2, error: `line is longer than the limit of ${maxLineBytes} bytes` },
            ]);
          },
        ),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );
});

describe("request body parser on arbitrary text", () => {
  const bodyArb = fc.oneof(
    docArb.map((doc) => bytesOf(doc).bytes.toString("utf8")),
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
    fc.array(fc.object(), { maxLength: 10 }).map((a) => JSON.stringify(a)),
  );

  it(
    "never throws, and every reject carries its line and a reason",
    () => {
      fc.assert(
        fc.property(
          bodyArb,
          fc.constantFrom("json" as const, "ndjson" as const),
          fc.integer({ min: 16, max: 200 }),
          (body, format, max) => {
            const batch = parseBody(body, format, max);
            const lines = body.split("\n").length;
            for (const { line } of batch.errors) expect(line).toBeGreaterThanOrEqual(1);
            for (const { error } of batch.errors) expect(error.length).toBeGreaterThan(0);
            if (format === "ndjson") {
              // Each line once at most, in order, within the body.
              const numbers = [...batch.values, ...batch.errors].map((x) => x.line).sort((a, b) => a - b);
              expect(new Set(numbers).size).toBe(numbers.length);
              for (const n of numbers) expect(n).toBeLessThanOrEqual(lines);
            }
          },
        ),
        { numRuns: 300 },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "reads NDJSON the same way whether it arrives as a body or as one chunk",
    () => {
      fc.assert(
        fc.property(docArb, (doc) => {
          const body = bytesOf(doc).bytes.toString("utf8");
          const batch = parseNdjson(body);
          const nonBlank = body.split("\n").filter((line) => !BLANK.test(line)).length;
          expect(batch.values.length + batch.errors.length).toBe(nonBlank);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );
});
