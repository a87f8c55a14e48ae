// Dunning's G² on hand-computed 2×2 tables, and the emerging-term ranking built on it.
import { describe, expect, it } from "vitest";
import { emergingTerms } from "../src/explain/emerging-terms.js";
import { g2, termSurprise } from "../src/explain/log-likelihood.js";

describe("log-likelihood ratio", () => {
  it("matches a hand-computed 2×2 table", () => {
    // [[10, 5], [90, 195]], N = 300: E = [[5, 10], [95, 190]];
    // G² = 2 (10 ln 2 + 5 ln ½ + 90 ln(90/95) + 195 ln(195/190)) = 2 × 3.664906 = 7.329812
    expect(g2(10, 5, 90, 195)).toBeCloseTo(7.329812, 5);
  });

  it("is zero when the term is used at the same rate in both corpora", () => {
    expect(g2(1, 2, 10, 20)).toBeCloseTo(0, 12);
    expect(g2(0, 0, 0, 0)).toBe(0);
  });

  it("smooths the term's counts by one and signs the score by direction", () => {
    // count 9 of 99 against 4 of 199 becomes the table above once 1 is added to each count.
    expect(termSurprise(9, 99, 4, 199)).toBeCloseTo(7.329812, 5);
    expect(termSurprise(4, 199, 9, 99)).toBeCloseTo(-7.329812, 5);
    // Never seen in the baseline: finite, and positive.
    expect(Number.isFinite(termSurprise(5, 50, 0, 0))).toBe(true);
  });
});

describe("emerging terms", () => {
  const baseline = {
    counts: new Map([
      ["lock", 100],
      ["bike", 80],
      ["pen", 0],
    ]),
    total: 1_000,
  };

  it("keeps over-represented terms only, most surprising first, and drops a phrase whose words are listed", () => {
    const recent = {
      counts: new Map([
        ["pen", 40],
        ["bic", 30],
        ["bic pen", 25],
        ["lock", 10],
        ["bike", 2],
      ]),
      total: 200,
    };
    const terms = emergingTerms(recent, baseline, 8);
    expect(terms.map((t) => t.term)).toEqual(["pen", "bic"]);
    expect(terms[0]).toMatchObject({ count: 40, baseline: 0 });
    expect(terms[0]!.g2).toBeCloseTo(termSurprise(40, 200, 0, 1_000), 10);
  });

  it("ignores terms used fewer than three times and keeps at most the limit", () => {
    const recent = {
      counts: new Map([
        ["a1", 2],
        ["b1", 9],
        ["c1", 8],
        ["d1", 7],
      ]),
      total: 50,
    };
    expect(emergingTerms(recent, baseline, 2).map((t) => t.term)).toEqual(["b1", "c1"]);
  });
});
