import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfiguredRules, loadRules, parseRuleTexts } from "../src/rules/load.js";
import { formatIssue } from "../src/util/located-error.js";

const errorsOf = (text: string, file = "rules/buzz.yaml") =>
  parseRuleTexts([{ file, text }]).issues.map(formatIssue);

const GOOD = `# a rule file
groups:
  - name: kryptonite
    match: { brand: kryptonite }
    rules:
      - alert: NegativeBuzz
        metric: negative
        by: [brand]
        detector: { type: threshold, above: 30, min_count: 10 }
        for: 10m
        keep_firing_for: 30m
        severity: warning
        critical: { above: 90 }
        labels: { team: comms }
        annotations:
          summary: "{{ brand }}: {{ value }} negative mentions, {{ factor | round: 1 }}x the line"
`;

describe("rule files", () => {
  it("compiles a good file: durations, merged matches, level configs, parsed annotations", () => {
    const { rules, issues } = parseRuleTexts([{ file: "rules/buzz.yaml", text: GOOD }]);
    expect(issues).toEqual([]);
    const [rule] = rules;
    expect(rule).toMatchObject({
      id: "kryptonite/NegativeBuzz",
      metric: "negative",
      by: ["brand"],
      match: { brand: "kryptonite" },
      forMs: 600_000,
      keepFiringForMs: 1_800_000,
      severity: "warning",
      config: { above: 30, min_count: 10 },
      criticalConfig: { above: 90, min_count: 10 },
      labels: { team: "comms" },
    });
    expect(Object.keys(rule!.annotations)).toEqual(["summary"]);
  });

  it("points at the exact line and column of each mistake, all of them at once", () => {
    const text = GOOD.replace("for: 10m", "for: ten minutes")
      .replace("metric: negative", "metric: negativ")
      .replace("above: 30, min_count", "above: 30, below: 3, min_count");
    expect(errorsOf(text)).toEqual([
      expect.stringMatching(/^rules\/buzz\.yaml:7:17: groups\[0\]\.rules\[0\]\.metric: /),
      'rules/buzz.yaml:9:49: unknown key "below" in groups[0].rules[0].detector',
      'rules/buzz.yaml:10:14: groups[0].rules[0].for: expected a duration such as 0s, 30s, 5m, 2h or 7d, got "ten minutes"',
    ]);
  });

  it("names the registered detector types when the type is unknown", () => {
    const [error] = errorsOf(GOOD.replace("type: threshold", "type: magic"));
    expect(error).toMatch(/^rules\/buzz\.yaml:9:27: groups\[0\]\.rules\[0\]\.detector\.type: .*threshold/);
  });

  it("refuses critical overrides of keys that are not thresholds of the detector", () => {
    expect(errorsOf(GOOD.replace("critical: { above: 90 }", "critical: { above: 90, window: 1h }"))).toEqual([
      "rules/buzz.yaml:13:32: window is not a threshold of the threshold detector; its thresholds are above, min_count",
    ]);
  });

  it("refuses a bad template with its position", () => {
    const [error] = errorsOf(GOOD.replace("{{ factor | round: 1 }}", "{{ factor | nosuchfilter }}"));
    expect(error).toMatch(/^rules\/buzz\.yaml:16:20: template error: /);
  });

  it("refuses YAML syntax errors and duplicate alert names across files", () => {
    expect(errorsOf("groups:\n  - name: [x\n")[0]).toMatch(/^rules\/buzz\.yaml:\d+:\d+: /);
    const { issues } = parseRuleTexts([
      { file: "a.yaml", text: GOOD },
      { file: "b.yaml", text: GOOD },
    ]);
    expect(issues.map(formatIssue)).toEqual([
      "b.yaml:6:16: alert NegativeBuzz is already defined in group kryptonite (a.yaml:6)",
    ]);
  });

  it("loads the configured rules with a missing path skipped, as the engine and the backtests both do", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-rules-"));
    await writeFile(join(dir, "buzz.yaml"), GOOD);
    const missing = join(dir, "not-yet");
    const loaded = await loadConfiguredRules([missing, dir], 300_000);
    expect(loaded.rules.map((rule) => rule.id)).toEqual(["kryptonite/NegativeBuzz"]);
    expect(loaded.files).toEqual([join(dir, "buzz.yaml")]);
    expect((await loadConfiguredRules([missing], 300_000)).rules).toEqual([]);
    await expect(loadRules([missing])).rejects.toThrow(/ENOENT/);
  });
});
