// `tocsin validate [PATH…]`: checks rule files and tocsin.yaml; prints every problem as
// file:line:col: message and exits 1 when there is any.
import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import type { Command } from "commander";
import { parseConfig } from "../config/load.js";
import { findRuleFiles, parseRuleTexts } from "../rules/load.js";
import { formatIssue, LocatedError } from "../util/located-error.js";
import type { LocatedIssue } from "../util/located-error.js";

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description(
      "check rule files and folders, and tocsin.yaml; exit 1 with file:line:col lines on any error",
    )
    .argument("[paths...]", "rule files or folders, and config files (default: rules/ and $TOCSIN_CONFIG)")
    .action(async (paths: string[]) => {
      const targets =
        paths.length > 0
          ? paths
          : ["rules", ...(process.env.TOCSIN_CONFIG ? [process.env.TOCSIN_CONFIG] : [])];
      const { issues, summary } = await validate(targets);
      for (const issue of issues) process.stderr.write(`${formatIssue(issue)}\n`);
      if (issues.length > 0) {
        process.stderr.write(`${issues.length} error(s)\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`ok: ${summary}\n`);
      }
    });
}

/** A YAML file is a config when it is named like one or has no rule groups at its top. */
async function isConfig(path: string): Promise<boolean> {
  if (/^tocsin.*\.ya?ml$/i.test(basename(path))) return true;
  return !/^groups\s*:/m.test(await readFile(path, "utf8"));
}

export async function validate(
  paths: readonly string[],
): Promise<{ issues: LocatedIssue[]; summary: string }> {
  const issues: LocatedIssue[] = [];
  const ruleFiles: string[] = [];
  let configs = 0;
  // Rules are checked against the window width of the config being validated with them, if any.
  let windowMs: number | undefined;
  for (const path of paths) {
    try {
      await stat(path);
    } catch {
      issues.push({ file: path, line: 1, col: 1, message: "no such file or folder" });
      continue;
    }
    for (const file of await findRuleFiles([path])) {
      if ((await stat(path)).isFile() && (await isConfig(file))) {
        configs++;
        try {
          windowMs = parseConfig(await readFile(file, "utf8"), file, process.env).window;
        } catch (error) {
          if (error instanceof LocatedError) issues.push(...error.issues);
          else throw error;
        }
      } else {
        ruleFiles.push(file);
      }
    }
  }
  const texts = await Promise.all(
    ruleFiles.map(async (file) => ({ file, text: await readFile(file, "utf8") })),
  );
  const { rules, issues: ruleIssues } = parseRuleTexts(texts, windowMs);
  issues.push(...ruleIssues);
  issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
  return {
    issues,
    summary: `${rules.length} rule(s) in ${ruleFiles.length} file(s), ${configs} config file(s)`,
  };
}
