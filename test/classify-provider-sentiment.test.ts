import { describe, expect, it } from "vitest";
import { normaliseProviderSentiment } from "../src/classify/provider-sentiment.js";
import { DEFAULT_THRESHOLDS, labelForScore, resolveThresholds } from "../src/classify/thresholds.js";

describe("provider sentiment", () => {
  it("labels numbers with VADER's ±0.05 cut-offs by default, keeping the score", () => {
    expect(normaliseProviderSentiment(-0.8)).toEqual({ label: "negative", score: -0.8 });
    expect(normaliseProviderSentiment(-0.051)).toEqual({ label: "negative", score: -0.051 });
    expect(normaliseProviderSentiment(0)).toEqual({ label: "neutral", score: 0 });
    expect(normaliseProviderSentiment(0.051)).toEqual({ label: "positive", score: 0.051 });
    expect(normaliseProviderSentiment(1)).toEqual({ label: "positive", score: 1 });
  });

  it("treats a score exactly on a threshold as neutral", () => {
    expect(normaliseProviderSentiment(-0.05).label).toBe("neutral");
    expect(normaliseProviderSentiment(0.05).label).toBe("neutral");
  });

  it("uses the thresholds it is given, and defaults the one it is not", () => {
    const wide = { negativeBelow: -0.3, positiveAbove: 0.3 };
    expect(normaliseProviderSentiment(-0.2, wide).label).toBe("neutral");
    expect(normaliseProviderSentiment(-0.4, wide).label).toBe("negative");
    expect(normaliseProviderSentiment(0.2, { negativeBelow: -0.3 }).label).toBe("positive");
  });

  it("maps labels to -1, 0 and 1", () => {
    expect(normaliseProviderSentiment("negative")).toEqual({ label: "negative", score: -1 });
    expect(normaliseProviderSentiment("neutral")).toEqual({ label: "neutral", score: 0 });
    expect(normaliseProviderSentiment("positive")).toEqual({ label: "positive", score: 1 });
  });

  it("keeps a label even when thresholds would disagree with its score", () => {
    const strict = { negativeBelow: -0.5, positiveAbove: 1 };
    expect(normaliseProviderSentiment("positive", strict).label).toBe("positive");
  });

  it("clamps out-of-range numbers and reads NaN as neutral", () => {
    expect(normaliseProviderSentiment(-3)).toEqual({ label: "negative", score: -1 });
    expect(normaliseProviderSentiment(7)).toEqual({ label: "positive", score: 1 });
    expect(normaliseProviderSentiment(Number.NaN)).toEqual({ label: "neutral", score: 0 });
  });
});

describe("sentiment thresholds", () => {
  it("defaults to -0.05 and 0.05", () => {
    expect(resolveThresholds()).toEqual({ negativeBelow: -0.05, positiveAbove: 0.05 });
    expect(DEFAULT_THRESHOLDS).toEqual({ negativeBelow: -0.05, positiveAbove: 0.05 });
  });

  it("refuses cut-offs that overlap or leave [-1, 1]", () => {
    expect(() => resolveThresholds({ negativeBelow: 0.2, positiveAbove: 0.1 })).toThrow(RangeError);
    expect(() => resolveThresholds({ negativeBelow: -2 })).toThrow(/negativeBelow/);
    expect(() => resolveThresholds({ positiveAbove: Number.NaN })).toThrow(RangeError);
  });

  it("accepts equal cut-offs, leaving only that exact score neutral", () => {
    const t = resolveThresholds({ negativeBelow: 0, positiveAbove: 0 });
    expect([-0.001, 0, 0.001].map((s) => labelForScore(s, t))).toEqual(["negative", "neutral", "positive"]);
  });
});
