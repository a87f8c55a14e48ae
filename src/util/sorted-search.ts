// Binary searches over numbers sorted ascending (times, delays), within [from, to) of the array.

/** Index of the first value above `value` in values[from, to) (`to` when none is). */
export function firstAbove(values: readonly number[], value: number, from = 0, to = values.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first value at or above `value` in values[from, to) (`to` when none is). */
export function firstAtOrAbove(
  values: readonly number[],
  value: number,
  from = 0,
  to = values.length,
): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
