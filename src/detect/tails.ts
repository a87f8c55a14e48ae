// Upper-tail probabilities of count distributions, in log space so that tiny p-values neither
// underflow nor lose digits (the score is -log10 p). Regularised incomplete gamma and beta functions
// after Numerical Recipes (Press et al., 3rd ed., §6.2 gser/gcf and §6.4 betacf); ln Γ from
// simple-statistics (Lanczos, ~1e-15 relative).
import { gammaln } from "simple-statistics";

const EPSILON = 1e-15;
const TINY = 1e-300;
/** Both expansions converge in O(√max(a, b)) steps; this only bounds absurd inputs. */
const MAX_STEPS = 100_000;

/**
 * ln P(X ≥ observed) for X ~ Poisson(λ). A non-integer observed counts as its ceiling.
 * P(X ≥ k) = P(k, λ), the regularised lower incomplete gamma function, since
 * P(X ≤ k-1) = Q(k, λ) = e^-λ Σ_{j<k} λ^j / j! (DLMF 8.4.10).
 */
export function logPoissonTail(observed: number, lambda: number): number {
  const k = Math.ceil(observed);
  if (k <= 0) return 0;
  if (lambda <= 0) return -Infinity;
  return logGammaP(k, lambda);
}

/**
 * ln P(X ≥ observed) for a negative binomial X with the given mean and variance mean + α·mean²
 * (r = 1/α successes, success probability p = 1/(1 + α·mean)). P(X ≤ k-1) = I_p(r, k), so
 * P(X ≥ k) = I_{1-p}(k, r), the regularised incomplete beta function (the negative binomial–beta
 * relation, e.g. Johnson, Kemp & Kotz, Univariate Discrete Distributions, 3rd ed., ch. 5).
 * α ≤ 0 (or negligible) is the Poisson limit.
 */
export function logNegativeBinomialTail(observed: number, mean: number, alpha: number): number {
  const k = Math.ceil(observed);
  if (k <= 0) return 0;
  if (mean <= 0) return -Infinity;
  const am = alpha * mean;
  if (am < 1e-6) return logPoissonTail(k, mean); // variance within 1e-6 of Poisson; avoids ln Γ(r) cancelling for huge r
  // x = 1 - p = am/(1+am), y = p = 1/(1+am), with their logs taken without cancellation.
  return logBetaI(k, 1 / alpha, am / (1 + am), Math.log(am) - Math.log1p(am), -Math.log1p(am));
}

/** -log10 of a probability given as its natural log. */
export const scoreOf = (logP: number): number => (logP === 0 ? 0 : -logP / Math.LN10);

/** ln P(a, x) = ln(γ(a, x) / Γ(a)): series for x < a + 1, continued fraction for Q otherwise. */
function logGammaP(a: number, x: number): number {
  const logFront = a * Math.log(x) - x - gammaln(a); // ln(x^a e^-x / Γ(a))
  if (x < a + 1) {
    // P(a, x) = x^a e^-x / Γ(a) · Σ_n x^n / (a (a+1) … (a+n))  (NR §6.2; DLMF 8.7.1)
    let term = 1 / a;
    let sum = term;
    for (let ap = a + 1, step = 0; step < MAX_STEPS; ap++, step++) {
      term *= x / ap;
      sum += term;
      if (term < sum * EPSILON) break;
    }
    return logFront + Math.log(sum);
  }
  // Q(a, x) = x^a e^-x / Γ(a) · 1/(x+1-a- 1·(1-a)/(x+3-a- 2·(2-a)/(x+5-a- …))), modified Lentz (NR §6.2).
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_STEPS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = guard(an * d + b);
    c = guard(b + an / c);
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.log1p(-Math.exp(logFront) * h);
}

/** ln I_x(a, b); the caller supplies ln x and ln y, y = 1 - x, computed without cancellation. */
function logBetaI(a: number, b: number, x: number, logX: number, logY: number): number {
  const logFront = a * logX + b * logY - (gammaln(a) + gammaln(b) - gammaln(a + b));
  // The continued fraction converges fast for x < (a+1)/(a+b+2); otherwise use I_x(a,b) = 1 - I_y(b,a).
  if (x < (a + 1) / (a + b + 2)) return logFront + Math.log(betaFraction(a, b, x) / a);
  return Math.log1p(-Math.exp(logFront) * (betaFraction(b, a, Math.exp(logY)) / b));
}

/** Continued fraction of I_x(a, b) (A&S 26.5.8), modified Lentz as in NR betacf. */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 / guard(1 - ((a + b) * x) / (a + 1));
  let h = d;
  for (let m = 1; m < MAX_STEPS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 / guard(1 + aa * d);
    c = guard(1 + aa / c);
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 / guard(1 + aa * d);
    c = guard(1 + aa / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

const guard = (value: number): number => (Math.abs(value) < TINY ? TINY : value);
