// Dunning's log-likelihood ratio for a 2×2 contingency table (Dunning 1993, "Accurate Methods for the
// Statistics of Surprise and Coincidence", Computational Linguistics 19(1)): G² = 2 Σ O ln(O / E).

/**
 * G² of the table [[a, b], [c, d]] (a, b: the term in the two corpora; c, d: every other term),
 * with E = row total × column total / N. Zero cells add nothing (O ln O → 0).
 */
export function g2(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  if (n <= 0) return 0;
  const cell = (o: number, row: number, column: number) =>
    o > 0 ? o * Math.log((o * n) / (row * column)) : 0;
  const sum = cell(a, a + b, a + c) + cell(b, a + b, b + d) + cell(c, c + d, a + c) + cell(d, c + d, b + d);
  return Math.max(0, 2 * sum);
}

/**
 * How surprising `count` uses of a term among `total` terms are against `baseCount` among
 * `baseTotal`, with add-one (Laplace) smoothing of the term's counts so a term never seen in the
 * baseline gets a finite score. Positive when over-represented, negative when under-represented.
 */
export function termSurprise(count: number, total: number, baseCount: number, baseTotal: number): number {
  const a = count + 1;
  const b = baseCount + 1;
  const c = Math.max(0, total - count);
  const d = Math.max(0, baseTotal - baseCount);
  const score = g2(a, b, c, d);
  return a / (a + c) >= b / (b + d) ? score : -score;
}
