// Seeded pseudo-random numbers for the demo scenario: same seed, same stream, on every platform.

/**
 * splitmix32 step, used only to spread a seed over sfc32's 128-bit state so that nearby seeds
 * (1, 2, 3…) give unrelated streams. Constants from the 32-bit splitmix variant
 * (https://github.com/bryc/code/blob/master/jshash/PRNGs.md#splitmix32).
 */
function splitmix32(state: number): [next: number, out: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return [next, (z ^ (z >>> 15)) >>> 0];
}

/** FNV-1a over a string, to derive independent named sub-streams from one seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_FACTORIALS: number[] = [0];
for (let k = 1; k < 64; k++) LOG_FACTORIALS.push((LOG_FACTORIALS[k - 1] ?? 0) + Math.log(k));

/** ln(k!) — exact table below 64, Stirling series above (error < 1e-12 there). */
export function logFactorial(k: number): number {
  const exact = LOG_FACTORIALS[k];
  if (exact !== undefined) return exact;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + 1 / (12 * x) - 1 / (360 * x ** 3) + 1 / (1260 * x ** 5);
}

/**
 * sfc32 ("Small Fast Chaotic", Chris Doty-Humphrey, from the PractRand suite): 128-bit state,
 * passes PractRand and BigCrush, and is fast in JS because it only needs 32-bit integer ops.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` names an independent sub-stream of the same seed (e.g. one per brand). */
  constructor(seed: number, stream = "") {
    let s = (Math.trunc(seed) ^ fnv1a(stream)) | 0;
    let out: number;
    [s, out] = splitmix32(s);
    this.a = out | 0;
    [s, out] = splitmix32(s);
    this.b = out | 0;
    [s, out] = splitmix32(s);
    this.c = out | 0;
    [, out] = splitmix32(s);
    this.d = out | 0;
    // Warm-up recommended by the author: the first outputs still echo the seed.
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A new generator for a named sub-stream, independent of how much this one has been used. */
  static stream(seed: number, name: string): Random {
    return new Random(seed, name);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One item, with probability proportional to its weight (linear scan: for short lists). */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = this.next() * total;
    for (const [item, w] of entries) {
      r -= w;
      if (r < 0) return item;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new RangeError("weighted pick from an empty list");
    return last[0];
  }

  /** Standard normal by the Marsaglia polar method (the spare value is dropped to keep state simple). */
  normal(mean = 0, sd = 1): number {
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) return mean + sd * u * Math.sqrt((-2 * Math.log(s)) / s);
    }
  }

  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Pareto (type I) with scale xm and shape alpha: heavy tail, P(X > x) = (xm / x)^alpha. */
  pareto(xm: number, alpha: number): number {
    return xm / (1 - this.next()) ** (1 / alpha);
  }

  /**
   * Poisson(lambda). Knuth's multiplication method for lambda < 10 (expected lambda + 1 uniforms);
   * above, Hörmann's PTRS transformed rejection with squeeze ("The transformed rejection method for
   * generating Poisson random variables", Insurance: Mathematics and Economics 12, 1993), as in NumPy.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0)) return 0;
    if (lambda < 10) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = this.next();
      while (p > limit) {
        k++;
        p *= this.next();
      }
      return k;
    }
    return this.poissonPtrs(lambda);
  }

  private poissonPtrs(lambda: number): number {
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.next() - 0.5;
      const v = this.next();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (v === 0) continue;
      const lhs = Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b);
      if (lhs <= -lambda + k * loglam - logFactorial(k)) return k;
    }
  }
}

/** A prepared weighted sampler: cumulative weights + binary search, for lists drawn from often. */
export function weightedSampler<T>(entries: readonly (readonly [T, number])[]): (rng: Random) => T {
  if (entries.length === 0) throw new RangeError("weighted sampler over an empty list");
  const items = entries.map(([item]) => item);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of entries) {
    if (!(w >= 0)) throw new RangeError(`weight must be >= 0, got ${w}`);
    total += w;
    cumulative.push(total);
  }
  return (rng) => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo] as T;
  };
}
