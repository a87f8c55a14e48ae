// Schema fields shared by config, rule and detector files: durations and sizes as people write them.
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { parseSize } from "./size.js";

export interface DurationFieldOptions {
  /** Words for the error, e.g. "a window width". */
  what?: string;
  /** Whether "0s" is allowed (a `for` may be zero; a baseline may not). */
  allowZero?: boolean;
}

/** "5m", "7d", "1h30m" → milliseconds. A bare number is refused: its unit would be a guess. */
export function durationField({ what = "a duration", allowZero = true }: DurationFieldOptions = {}) {
  const example = allowZero ? "0s, 30s, 5m, 2h or 7d" : "30s, 5m, 2h or 7d";
  const message = `expected ${what} such as ${example}`;
  // A string in the schema (editors offer "5m"); a bare number gets the same words, not "expected string".
  return z.string({ error: `${message}, with its unit` }).transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined || (!allowZero && ms <= 0)) {
      context.addIssue({
        code: "custom",
        message: `expected ${what} such as ${example}, got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }
    return ms;
  });
}

/** "10MiB", "512kb" or a number of bytes → bytes. */
export function sizeField() {
  return z.union([z.string(), z.number()]).transform((text, context) => {
    const bytes = parseSize(text);
    if (bytes === undefined) {
      context.addIssue({
        code: "custom",
        message: `expected a size such as 512KiB or 10MiB, got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }
    return bytes;
  });
}

/** A registry entry as far as its schema goes: the `type` authors write, and the rest of its config. */
export interface TypedSchema {
  type: string;
  description: string;
  schema: z.ZodType;
}

/**
 * `{ type: X, ...X's own config }` for every entry of a registry (detectors, notifiers): the union
 * checks each config strictly against its own schema and offers every type to editors.
 */
export function registryUnion(entries: readonly TypedSchema[]) {
  return z.discriminatedUnion(
    "type",
    entries.map((entry) =>
      (entry.schema as z.ZodObject)
        .extend({ type: z.literal(entry.type).describe(entry.description) })
        .describe(entry.description),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  );
}
