// Maps schema issues onto file:line:col through a YamlSource, one message per issue, all of them.
import type { z } from "zod";
import type { LocatedIssue } from "./located-error.js";
import type { YamlSource } from "./yaml-source.js";

export function locateZodIssues(source: YamlSource, issues: readonly z.core.$ZodIssue[]): LocatedIssue[] {
  return issues.flatMap((issue) => {
    const path = issue.path;
    const where = pathText(path);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        ...source.locate([...path, key], { key: true }),
        message: `unknown key "${key}"${where ? ` in ${where}` : ""}`,
      }));
    }
    return [{ ...source.locate(path), message: where ? `${where}: ${issue.message}` : issue.message }];
  });
}

/** groups[0].rules[2].for */
export function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`,
    )
    .join("");
}
