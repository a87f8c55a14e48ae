import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readNdjson } from "../src/ingest/ndjson-reader.js";
import type { ParsedBatch } from "../src/ingest/parse-batch.js";

async function collect(chunks: Array<string | Buffer>, maxLineBytes?: number) {
  const batches: ParsedBatch[] = [];
  const options = maxLineBytes === undefined ? {} : { maxLineBytes };
  for await (const batch of readNdjson(Readable.from(chunks), options)) batches.push(batch);
  return {
    values: batches.flatMap((b) => b.values),
    errors: batches.flatMap((b) => b.errors),
  };
}

describe("streaming NDJSON reader", () => {
  it("reassembles lines split across chunks and numbers them across the whole stream", async () => {
    const { values, errors } = await collect(['{"n":1}\n{"n"', ":2}\n", "oops\n", '{"n":4}']);
    expect(values).toEqual([
      { line: 1, value: { n: 1 }, raw: '{"n":1}' },
      { line: 2, value: { n: 2 }, raw: '{"n":2}' },
      { line: 4, value: { n: 4 }, raw: '{"n":4}' },
    ]);
    expect(errors.map((e) => e.line)).toEqual([3]);
  });

  it("decodes a multi-byte character split between two chunks", async () => {
    const bytes = Buffer.from('{"t":"crochetée 🔒"}\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside "é"
    const { values } = await collect([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(values[0]?.value).toEqual({ t: "crochetée 🔒" });
  });

  it("skips an over-long line without buffering it and keeps reading", async () => {
    const long = `{"t":"${"x".repeat(5000)}"}`;
    const chunks = [
      '{"n":1}\n',
      long.slice(0, 2000),
      long.slice(2000, 4000),
      `${long.slice(4000)}\n{"n":3}\n`,
    ];
    const { values, errors } = await collect(chunks, 1000);
    expect(values.map((v) => v.line)).toEqual([1, 3]);
    expect(errors).toEqual([{ line: 2, error: "line is longer than the limit of 1000 bytes" }]);
  });

  it("reads a large stream in constant memory", async () => {
    const line = `${JSON.stringify({ id: "x", text: "y".repeat(200) })}\n`;
    const total = 200_000;
    async function* source() {
      const block = line.repeat(1000);
      for (let i = 0; i < total / 1000; i++) yield Buffer.from(block);
    }
    let count = 0;
    let peakHeap = 0;
    for await (const batch of readNdjson(source())) {
      count += batch.values.length;
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    expect(count).toBe(total);
    // ~45 MB of input; the reader holds one chunk at a time.
    expect(peakHeap).toBeLessThan(200 * 1024 * 1024);
  });
});
