import { describe, expect, it } from "vitest";
import { parseBody, parseNdjson } from "../src/ingest/parse-batch.js";

describe("parse batch", () => {
  it("keeps every good NDJSON line and rejects each bad one with its line number", () => {
    const text = ['{"id":"1"}', "{not json", "", '{"id":"3"}', "[1,", '{"id":"6"}'].join("\n");
    const batch = parseNdjson(text);
    expect(batch.values.map((v) => v.line)).toEqual([1, 4, 6]);
    expect(batch.errors.map((e) => e.line)).toEqual([2, 5]);
    expect(batch.errors[0]?.error).toMatch(/^invalid JSON: /);
  });

  it("handles CRLF line ends, a byte-order mark and a missing final newline", () => {
    const batch = parseNdjson('\ufeff{"a":1}\r\n{"a":2}\r\n{"a":3}');
    expect(batch.values.map((v) => v.value)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(batch.errors).toEqual([]);
  });

  it("rejects an over-long line and keeps its neighbours", () => {
    const batch = parseNdjson(`{"a":1}\n{"text":"${"x".repeat(100)}"}\n{"a":3}`, 1, 50);
    expect(batch.values.map((v) => v.line)).toEqual([1, 3]);
    expect(batch.errors).toEqual([{ line: 2, error: "line is longer than the limit of 50 characters" }]);
  });

  it("reads a JSON array item by item, numbering items from 1", () => {
    const batch = parseBody('[{"a":1}, 2, {"a":3}]', "json");
    expect(batch.values.map((v) => [v.line, v.value])).toEqual([
      [1, { a: 1 }],
      [2, 2],
      [3, { a: 3 }],
    ]);
  });

  it("reads a single JSON object, even pretty-printed over several lines", () => {
    const batch = parseBody('{\n  "a": 1\n}', "json");
    expect(batch.values).toEqual([{ line: 1, value: { a: 1 } }]);
  });

  it("falls back to NDJSON for a multi-line body sent as application/json", () => {
    const batch = parseBody('{"a":1}\n{"a":2}', "json");
    expect(batch.values.map((v) => v.line)).toEqual([1, 2]);
  });

  it("reports a broken single-line JSON body as line 1", () => {
    expect(parseBody('{"a":', "json").errors[0]?.line).toBe(1);
  });
});
