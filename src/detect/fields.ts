// Schema pieces shared by the detector configs: durations as rule authors write them, and the
// volume floor and zero-baseline keys every detector spells the same way.
import { z } from "zod";
import { durationField } from "../util/schema-fields.js";

/** "5m", "7d", "1h30m" → milliseconds; zero is refused (no detector has a use for it). */
export const duration = (what = "a duration") => durationField({ what, allowZero: false });

/** `min_count`: the volume floor that keeps tiny series from paging. */
export const minCount = () =>
  z
    .number()
    .nonnegative()
    .default(0)
    .describe(
      "No breach while the window's value is below this (keeps tiny volumes from paging, e.g. 10 negative mentions). 0: no floor.",
    );

/** `zero_baseline`: the smallest expected value a ratio divides by. */
export const zeroBaseline = () =>
  z
    .number()
    .positive()
    .default(1)
    .describe(
      "Expected values below this count as this much when computing factor = observed / expected, so an empty baseline never divides by zero (default 1 mention).",
    );

/** `p_value`: the tail-probability threshold of the count detectors. */
export const pValue = () =>
  z
    .number()
    .gt(0)
    .lt(1)
    .default(1e-4)
    .describe("Breach when P(a count at least this large | the baseline) is at most this, e.g. 1.0e-4.");

/** `mad_floor`: the smallest robust scale, so a flat history does not make every change infinite. */
export const madFloor = () =>
  z
    .number()
    .positive()
    .default(1)
    .describe(
      "Smallest scale (1.4826 · MAD) used, so a flat history does not make every change infinite; in the metric's units (1 mention; use e.g. 0.02 for a share).",
    );
