// Reusable schema fields for config and rule files: durations and sizes as people write them.
import { z } from "zod";
import { parseDuration } from "../util/duration.js";
import { parseSize } from "../util/size.js";

/** "5m", "7d", "1h30m" → milliseconds. */
export const duration = (what = "a duration") =>
  z.string().transform((text, context) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      context.addIssue({
        code: "custom",
        message: `expected ${what} such as 30s, 5m, 2h or 7d, got "${text}"`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** "10MiB", "512kb" or a number of bytes → bytes. */
export const size = () =>
  z.union([z.string(), z.number()]).transform((text, context) => {
    const bytes = parseSize(text);
    if (bytes === undefined) {
      context.addIssue({ code: "custom", message: `expected a size such as 512KiB or 10MiB, got "${text}"` });
      return z.NEVER;
    }
    return bytes;
  });

/** "host:port" with an explicit port. */
export const listenAddress = () =>
  z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, { message: "expected HOST:PORT, e.g. 127.0.0.1:8080" });
