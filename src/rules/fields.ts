// Schema pieces of rule files that are not detector configs: names, label matchers, durations.
import { z } from "zod";
import { durationField } from "../util/schema-fields.js";

/** "10m", "1h" → ms; the JSON Schema keeps the string form for editors. */
export const duration = (description: string) => durationField().describe(description);

export const labelName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]*$/, { message: "label names are lower case letters, digits and _, e.g. brand" });

/** Exact label matches, e.g. { brand: kryptonite }. */
export const labelMatchers = (description: string) =>
  z.record(labelName, z.string().min(1)).describe(description);

export const alertName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, {
  message: "alert names are letters, digits and _, starting with a letter",
});

export const SEVERITIES = ["info", "warning", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];
