// Exponentially weighted mean and variance, O(1) per value (Finch, "Incremental calculation of
// weighted mean and variance", 2009): diff = x - mean; mean += w·diff; var = (1-w)(var + w·diff²).
// Warm start: the weight is max(alpha, 1/n), so the first 1/alpha values give the exact running mean
// and (population) variance instead of a mean dragged towards its first value.
export class EwStats {
  /** Values learned. */
  n = 0;
  mean = 0;
  variance = 0;

  constructor(readonly alpha: number) {}

  add(value: number): void {
    this.n++;
    const weight = Math.max(this.alpha, 1 / this.n);
    const diff = value - this.mean;
    const increment = weight * diff;
    this.mean += increment;
    this.variance = (1 - weight) * (this.variance + diff * increment);
  }

  get sd(): number {
    return Math.sqrt(this.variance);
  }
}
