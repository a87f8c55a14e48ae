// Loads tocsin.yaml (or the defaults when there is none), expanding ${ENV} and reporting every
// problem as file:line:col.
import { readFile } from "node:fs/promises";
import { parseCalendarText } from "../rules/calendar.js";
import { LocatedError } from "../util/located-error.js";
import { parseYamlSource } from "../util/yaml-source.js";
import { locateZodIssues } from "../util/zod-issues.js";
import type { Config } from "./schema.js";
import { configSchema } from "./schema.js";

/** Validates config text; throws LocatedError with every issue. */
export function parseConfig(text: string, file: string, env: Record<string, string | undefined>): Config {
  const source = parseYamlSource(text, file, { env });
  if (source.issues.length > 0) throw new LocatedError(source.issues);
  const result = configSchema.safeParse(source.data ?? {});
  if (!result.success) throw new LocatedError(locateZodIssues(source, result.error.issues));
  return result.data;
}

/** The config at `path`, or the defaults when no path is given; calendar_file entries join `calendar`. */
export async function loadConfig(path: string | undefined, env = process.env): Promise<Config> {
  if (path === undefined) return configSchema.parse({});
  return withCalendarFile(parseConfig(await readFile(path, "utf8"), path, env));
}

/** Appends the entries of calendar_file (relative to the working directory, like rules.paths). */
export async function withCalendarFile(config: Config): Promise<Config> {
  if (config.calendar_file === undefined) return config;
  const file = config.calendar_file;
  const entries = parseCalendarText(await readFile(file, "utf8"), file);
  return { ...config, calendar: [...config.calendar, ...entries] };
}
