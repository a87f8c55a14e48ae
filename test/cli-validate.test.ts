import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validate } from "../src/cli/validate.js";
import { formatIssue } from "../src/util/located-error.js";

const ROOT = new URL("..", import.meta.url).pathname;

describe("tocsin validate", () => {
  it("accepts the shipped rules and the example config", async () => {
    const { issues, summary } = await validate(["rules", "examples/tocsin.yaml"]);
    expect(issues).toEqual([]);
    expect(summary).toMatch(/rule\(s\) in \d+ file\(s\), 1 config file\(s\)/);
  });

  it("reports every problem in rule and config files as file:line:col and exits 1", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-validate-"));
    const rules = join(dir, "rules");
    await writeFile(join(dir, "tocsin.yaml"), "window: 5\n");
    await import("node:fs/promises").then((fs) => fs.mkdir(rules));
    await writeFile(
      join(rules, "bad.yaml"),
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        metric: negative\n        detector: { type: poisson, p_value: 2 }\n",
    );
    const { issues } = await validate([rules, join(dir, "tocsin.yaml")]);
    expect(issues.map(formatIssue)).toEqual([
      expect.stringMatching(
        new RegExp(`^${rules}/bad\\.yaml:6:\\d+: groups\\[0\\]\\.rules\\[0\\]\\.detector\\.p_value: `),
      ),
      expect.stringMatching(new RegExp(`^${dir}/tocsin\\.yaml:1:9: window: `)),
    ]);
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "validate", rules], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${rules}/bad.yaml:6:`);
    expect(run.stderr).toContain("1 error(s)");
  });
});
