// Float arrays that start as Float32 and widen to Float64 at the first value float32 cannot hold
// exactly. Most of what series carry are counts, which float32 holds exactly up to 2^24: they take half
// the memory, and every value still reads back exactly as it was written (a share like 0.4 widens its
// array instead of reading back as 0.4000000059604645).
export type FloatColumn = Float32Array | Float64Array;

/** A narrow column of `length` values, all `fill`. */
export function floatColumn(length: number, fill = 0): FloatColumn {
  const column = new Float32Array(length);
  if (fill !== 0) column.fill(fill);
  return column;
}

/** `column` itself when it holds `value` exactly, else a Float64 copy to write it into. */
export function columnFor(column: FloatColumn, value: number): FloatColumn {
  if (column instanceof Float64Array || Math.fround(value) === value || Number.isNaN(value)) return column;
  return Float64Array.from(column);
}

/** A column of `length` values of the same width as `column` (growing a ring keeps it wide). */
export function sameWidth(column: FloatColumn, length: number): FloatColumn {
  return column instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
}
