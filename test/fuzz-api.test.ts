// The fuzz summary of scripts/fuzz-api.ts on a small fixed-seed run: hostile payloads through a real
// `tocsin run` leave it alive with no 5xx, every rejection says why, and every valid mention that
// reached the engine is counted exactly once.
import { describe, expect, it } from "vitest";
import { normaliseReason, renderSummary, runFuzz } from "../scripts/fuzz-api.js";

describe("API fuzz summary", () => {
  it("survives 2,000 generated payloads with no crash, a reason for every rejection and every valid mention counted", async () => {
    const summary = await runFuzz({ payloads: 2_000, seed: 7, concurrency: 32 });
    expect(summary.payloads).toBe(2_000);
    expect(summary.crashes).toEqual({
      total: 0,
      processExited: false,
      serverErrors: 0,
      unexplainedNetworkErrors: 0,
    });
    expect(Object.keys(summary.statuses).every((code) => Number(code) < 500)).toBe(true);
    // The mix exercised every kind of answer: accepted, refused, too large, unsupported type.
    expect(Object.keys(summary.statuses).sort()).toEqual(["202", "400", "413", "415"]);
    expect(summary.rejections.total).toBeGreaterThan(0);
    expect(summary.rejections.withoutReason).toBe(0);
    for (const reason of [
      "invalid JSON",
      "id is required",
      "created_at is not a real date",
      "in the future",
      "line is longer than the limit",
      "body is larger than the limit",
      "unsupported content type",
      "ingest.max_batch",
    ])
      expect(
        Object.keys(summary.rejections.byReason).some((key) => key.includes(reason)),
        reason,
      ).toBe(true);
    expect(summary.mentions.validUnique).toBeGreaterThan(1_000);
    expect(summary.mentions.duplicatesResent).toBeGreaterThan(0);
    expect(summary.mentions.counted).toBe(summary.mentions.validUnique);
    expect(summary.ok).toBe(true);
    expect(renderSummary(summary)).toMatch(
      /^fuzz: 2000 payloads \(seed 7\)[^]*crashes: 0 [^]*all counted[^]*OK\n$/,
    );
  }, 180_000);

  it("groups reasons by their wording, not by the values they quote", () => {
    expect(normaliseReason('created_at is not a real date: "2026-02-30T10:00:00Z"')).toBe(
      'created_at is not a real date: "…"',
    );
    expect(normaliseReason(`invalid JSON: Unexpected token 'x', "xyz" is not valid JSON`)).toBe(
      "invalid JSON: Unexpected token '…' is not valid JSON",
    );
    expect(normaliseReason(`invalid JSON: Unexpected token '\u00ff', "\u00ffabc"... is not valid JSON`)).toBe(
      "invalid JSON: Unexpected token '…' is not valid JSON",
    );
    expect(normaliseReason("line is longer than the limit of 8192 characters")).toBe(
      "line is longer than the limit of N characters",
    );
  });
});
