import { describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import { FIELD_LIMITS, validateMention } from "../src/ingest/mention-schema.js";
import { testEngine } from "./helpers/engine.js";
import { wire } from "./helpers/mentions.js";

interface Answer {
  accepted: number;
  rejected: Array<{ line: number; error: string }>;
}

const over = (length: number) => "a".repeat(length + 1);

// One line per field over its limit, each with the reason a sender must read.
const CASES: Array<[string, Record<string, unknown>, string]> = [
  ["text", { text: over(100_000) }, "text must be at most 100000 characters"],
  ["id", { id: over(512) }, "id must be at most 512 characters"],
  ["brand", { brand: over(200) }, "brand must be at most 200 characters"],
  ["channel", { channel: over(200) }, "channel must be at most 200 characters"],
  ["author.id", { author: { id: over(512) } }, "author.id must be at most 512 characters"],
  ["author.name", { author: { name: over(512) } }, "author.name must be at most 512 characters"],
  ["url", { url: "https://example.com/".padEnd(8001, "a") }, "url must be at most 8000 characters"],
  ["lang", { lang: over(35) }, "lang must be at most 35 characters"],
  ["in_reply_to", { in_reply_to: over(512) }, "in_reply_to must be at most 512 characters"],
  [
    "topics count",
    { topics: Array.from({ length: 101 }, (_, i) => `t${i}`) },
    "topics must have at most 100 entries",
  ],
  ["topic length", { topics: ["ok", over(200)] }, "each topic must be at most 200 characters"],
];

describe("field sizes", () => {
  it("POST /v1/mentions rejects each over-long field on its own line, with the field and its limit", async () => {
    const { engine } = await testEngine();
    const lines = [wire(), ...CASES.map(([, fields]) => ({ ...wire(), ...fields }))];
    const response = await createApp(engine).request("/v1/mentions", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: lines.map((line) => JSON.stringify(line)).join("\n"),
    });
    expect(response.status).toBe(202);
    const answer = (await response.json()) as Answer;
    expect(answer.accepted).toBe(1);
    expect(answer.rejected.map((r) => r.line)).toEqual(CASES.map((_, i) => i + 2));
    CASES.forEach(([, , reason], i) => expect(answer.rejected[i]?.error).toContain(reason));
  });

  it.each(CASES)("%s exactly at its limit is accepted", (_name, fields) => {
    const atLimit = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, shorten(value)]));
    const result = validateMention({ ...wire(), ...atLimit });
    expect(result.ok ? "ok" : result.error).toBe("ok");
  });

  it("the limits are the documented ones", () => {
    expect(FIELD_LIMITS).toEqual({ text: 100_000, id: 512, label: 200, url: 8000, lang: 35, topics: 100 });
  });
});

/** The same value one character (or one entry) shorter: exactly at the limit. */
function shorten(value: unknown): unknown {
  if (typeof value === "string") return value.slice(0, -1);
  if (Array.isArray(value)) return value.length > 100 ? value.slice(0, 100) : value.map(shorten);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shorten(inner)]));
  }
  return value;
}
