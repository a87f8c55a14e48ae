// A Poisson GLM with log link and one covariate, fitted by iteratively reweighted least squares:
// counts y_i ~ Poisson(μ_i), ln μ_i = a + b·t_i. This is the growth model of detect/forecast.ts.
// IRLS as in McCullagh & Nelder, Generalized Linear Models, 2nd ed., §2.5: working response
// z = η + (y − μ)/μ, weights w = μ; the covariance of (a, b) is φ·(XᵀWX)⁻¹ with φ the Pearson
// dispersion (§4.5, quasi-likelihood), floored at 1 so that a suspiciously good fit is never
// trusted more than the Poisson model itself allows.

export interface LogLinearFit {
  /** Intercept: ln μ at t = 0. */
  a: number;
  /** Slope: growth of ln μ per unit of t. */
  b: number;
  /** Covariance of (a, b), already scaled by the dispersion. */
  vaa: number;
  vab: number;
  vbb: number;
  /** Pearson χ² / (n − 2), floored at 1; 1 with two points (no degree of freedom left). */
  dispersion: number;
  /** True when φ was estimated above 1 (then quantiles should be Student's t, n − 2 df). */
  overdispersed: boolean;
  /** Deviance explained, 1 − D/D₀ against the constant-rate model: the GLM's R². */
  r2: number;
  iterations: number;
}

const MAX_ITERATIONS = 50;
const TOLERANCE = 1e-10;
/** ln μ beyond this means the slope is running away (all counts at one end): no finite MLE. */
const MAX_LOG_MEAN = 700;

/**
 * Fits ln μ = a + b·t to counts at times t. Undefined when the fit does not exist: fewer than two
 * distinct times, no count at all, or IRLS diverging (e.g. zeros everywhere but the last point,
 * where the MLE of b is +∞).
 */
export function fitLogLinearPoisson(t: readonly number[], y: readonly number[]): LogLinearFit | undefined {
  const n = t.length;
  if (n < 2 || y.length !== n) return undefined;
  const total = y.reduce((sum, value) => sum + value, 0);
  if (!(total > 0) || y.some((value) => !(value >= 0))) return undefined;
  // Start from least squares on ln(y + ½), a standard IRLS start that tolerates zeros.
  let [a, b] = weightedLine(
    t,
    y.map((value) => Math.log(value + 0.5)),
    y.map(() => 1),
  ) ?? [0, 0];
  let previous = Infinity;
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    const eta = t.map((ti) => a + b * ti);
    if (eta.some((value) => !(Math.abs(value) < MAX_LOG_MEAN))) return undefined;
    const mu = eta.map(Math.exp);
    const z = eta.map((value, i) => value + ((y[i] as number) - (mu[i] as number)) / (mu[i] as number));
    const line = weightedLine(t, z, mu);
    if (!line) return undefined;
    [a, b] = line;
    const deviance = poissonDeviance(
      y,
      t.map((ti) => Math.exp(a + b * ti)),
    );
    if (!Number.isFinite(deviance)) return undefined;
    if (Math.abs(previous - deviance) <= TOLERANCE * (Math.abs(deviance) + 0.1)) break;
    previous = deviance;
  }
  if (iterations === MAX_ITERATIONS) return undefined;
  const mu = t.map((ti) => Math.exp(a + b * ti));
  if (mu.some((value) => !(value > 0 && Number.isFinite(value)))) return undefined;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let pearson = 0;
  for (let i = 0; i < n; i++) {
    const m = mu[i] as number;
    const ti = t[i] as number;
    s0 += m;
    s1 += m * ti;
    s2 += m * ti * ti;
    pearson += ((y[i] as number) - m) ** 2 / m;
  }
  const det = s0 * s2 - s1 * s1;
  if (!(det > 0)) return undefined;
  const estimated = n > 2 ? pearson / (n - 2) : 1;
  const dispersion = Math.max(1, estimated);
  const mean = total / n;
  const nullDeviance = poissonDeviance(
    y,
    y.map(() => mean),
  );
  const deviance = poissonDeviance(y, mu);
  return {
    a,
    b,
    vaa: (dispersion * s2) / det,
    vab: (-dispersion * s1) / det,
    vbb: (dispersion * s0) / det,
    dispersion,
    overdispersed: estimated > 1,
    // A flat series has nothing to explain: the constant model is then the whole story.
    r2: nullDeviance > 0 ? Math.max(0, 1 - deviance / nullDeviance) : 0,
    iterations: iterations + 1,
  };
}

/** D = 2 Σ [y ln(y/μ) − (y − μ)], with 0·ln 0 = 0. */
export function poissonDeviance(y: readonly number[], mu: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const yi = y[i] as number;
    const mi = mu[i] as number;
    sum += (yi > 0 ? yi * Math.log(yi / mi) : 0) - (yi - mi);
  }
  return 2 * sum;
}

/** Weighted least squares line z = a + b·t; undefined when the times do not vary (under the weights). */
function weightedLine(
  t: readonly number[],
  z: readonly number[],
  w: readonly number[],
): [number, number] | undefined {
  let sw = 0;
  let st = 0;
  let sz = 0;
  for (let i = 0; i < t.length; i++) {
    const wi = w[i] as number;
    sw += wi;
    st += wi * (t[i] as number);
    sz += wi * (z[i] as number);
  }
  const tBar = st / sw;
  const zBar = sz / sw;
  let stt = 0;
  let stz = 0;
  for (let i = 0; i < t.length; i++) {
    const wi = w[i] as number;
    const dt = (t[i] as number) - tBar;
    stt += wi * dt * dt;
    stz += wi * dt * ((z[i] as number) - zBar);
  }
  if (!(stt > 0)) return undefined;
  const b = stz / stt;
  return [zBar - b * tBar, b];
}
