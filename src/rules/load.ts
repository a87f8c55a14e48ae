// Loads rule files and folders (any depth, *.yaml|*.yml): every problem of every file is collected
// and reported as file:line:col; a set with any error is refused whole, so callers keep the last good one.
import { access, readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { LocatedIssue } from "../util/located-error.js";
import { LocatedError } from "../util/located-error.js";
import { parseYamlSource } from "../util/yaml-source.js";
import { locateZodIssues } from "../util/zod-issues.js";
import type { CompiledRule } from "./compile.js";
import { compileRules } from "./compile.js";
import { ruleFileSchema } from "./schema.js";

export interface RuleSet {
  rules: CompiledRule[];
  files: string[];
}

const RULE_FILE = /\.ya?ml$/i;
/** The default window width (config `window`), for checks that depend on it. */
const DEFAULT_WINDOW_MS = 300_000;

/** Every rule file under `paths` (files are taken as given, folders searched recursively), sorted. */
export async function findRuleFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
        if (entry.isFile() && RULE_FILE.test(entry.name)) files.push(join(entry.parentPath, entry.name));
      }
    } else {
      files.push(path);
    }
  }
  return files.sort();
}

/** Parses and checks rule texts; returns the rules and every issue found. */
export function parseRuleTexts(
  texts: ReadonlyArray<{ file: string; text: string }>,
  windowMs = DEFAULT_WINDOW_MS,
): {
  rules: CompiledRule[];
  issues: LocatedIssue[];
} {
  const rules: CompiledRule[] = [];
  const issues: LocatedIssue[] = [];
  const seen = new Map<string, string>();
  for (const { file, text } of texts) {
    const source = parseYamlSource(text, file);
    if (source.issues.length > 0) {
      issues.push(...source.issues);
      continue;
    }
    const parsed = ruleFileSchema.safeParse(source.data ?? {});
    if (!parsed.success) {
      issues.push(...locateZodIssues(source, parsed.error.issues));
      continue;
    }
    const compiled = compileRules(parsed.data, source, seen, windowMs);
    rules.push(...compiled.rules);
    issues.push(...compiled.issues);
  }
  return { rules, issues };
}

/** The paths that exist: a missing (default) rules folder means "no rules yet", not an error. */
export async function existingPaths(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    try {
      await access(path);
      found.push(path);
    } catch {
      // Not there (yet): skipped.
    }
  }
  return found;
}

/** The configured rules (config.rules.paths), the missing paths skipped: what the engine runs. */
export async function loadConfiguredRules(paths: readonly string[], windowMs: number): Promise<RuleSet> {
  return loadRules(await existingPaths(paths), windowMs);
}

/** Loads a rule set; throws LocatedError listing every issue when any file is bad. */
export async function loadRules(paths: readonly string[], windowMs = DEFAULT_WINDOW_MS): Promise<RuleSet> {
  const files = await findRuleFiles(paths);
  const texts = await Promise.all(files.map(async (file) => ({ file, text: await readFile(file, "utf8") })));
  const { rules, issues } = parseRuleTexts(texts, windowMs);
  if (issues.length > 0) throw new LocatedError(issues);
  return { rules, files };
}
