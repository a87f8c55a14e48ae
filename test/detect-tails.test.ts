import { describe, expect, it } from "vitest";
import { logNegativeBinomialTail, logPoissonTail, scoreOf } from "../src/detect/tails.js";

const p = (logP: number) => Math.exp(logP);

describe("Poisson upper tail", () => {
  it("matches the hand-summed tail on the series branch", () => {
    // P(X>=5 | λ=1) = 1 - e^-1 (1 + 1 + 1/2 + 1/6 + 1/24) = 0.00365984682734377
    expect(p(logPoissonTail(5, 1))).toBeCloseTo(0.00365984682734377, 15);
    // -log10 0.00365984682734377 = 2.43653709040652
    expect(scoreOf(logPoissonTail(5, 1))).toBeCloseTo(2.43653709040652, 11);
  });

  it("matches the hand-summed tail on the continued-fraction branch", () => {
    // P(X>=2 | λ=5) = 1 - e^-5 (1 + 5) = 0.959572318005487
    expect(p(logPoissonTail(2, 5))).toBeCloseTo(0.959572318005487, 13);
  });

  it("counts a fractional observation as its ceiling, and nothing as certain", () => {
    expect(logPoissonTail(4.2, 1)).toBe(logPoissonTail(5, 1));
    expect(logPoissonTail(0, 3)).toBe(0);
    expect(logPoissonTail(1, 0)).toBe(-Infinity);
  });

  it("stays finite in log space far beyond double underflow", () => {
    // ln P(X>=1000 | 1) ≈ ln(e^-1 / 1000!) = -1 - 5912.128 (the first term dominates)
    expect(logPoissonTail(1000, 1)).toBeCloseTo(-1 - 5912.128178939938, 2);
  });
});

describe("negative binomial upper tail", () => {
  it("reduces to the geometric tail when the size is 1", () => {
    // mean 2, α = 1: r = 1, p = 1/(1+2) = 1/3; P(X>=k) = (1-p)^k, so P(X>=5) = (2/3)^5 = 32/243
    expect(p(logNegativeBinomialTail(5, 2, 1))).toBeCloseTo(32 / 243, 14);
  });

  it("matches the closed form for size 2", () => {
    // mean 2, α = 0.5: r = 2, p = 1/2; P(X>=k) = (k+2)/2^(k+1), so P(X>=4) = 6/32 = 0.1875
    expect(p(logNegativeBinomialTail(4, 2, 0.5))).toBeCloseTo(0.1875, 14);
    // the other branch of the continued fraction: P(X>=1) = 1 - p^r = 1 - 1/4
    expect(p(logNegativeBinomialTail(1, 2, 0.5))).toBeCloseTo(0.75, 14);
  });

  it("is Poisson when there is no over-dispersion", () => {
    expect(logNegativeBinomialTail(5, 1, 0)).toBe(logPoissonTail(5, 1));
    expect(logNegativeBinomialTail(5, 1, 1e-7)).toBe(logPoissonTail(5, 1));
    // and approaches it continuously as α → 0
    expect(p(logNegativeBinomialTail(5, 1, 1e-5))).toBeCloseTo(0.00365984682734377, 6);
  });
});
