import { describe, expect, it } from "vitest";
import type { ClosedWindow, Labels } from "../src/model/index.js";
import { METRICS } from "../src/model/index.js";
import { RuleEvaluator } from "../src/rules/evaluator.js";
import { parseRuleTexts } from "../src/rules/load.js";
import type { RuleSignal } from "../src/rules/signal-rules.js";
import { formatIssue } from "../src/util/located-error.js";

const FILE = `groups:
  - name: kryptonite
    match: { brand: kryptonite }
    rules:
      - alert: StorySpreading
        spread: { channels: 3, within: 2h, min_mentions: 2 }
        critical: { channels: 5 }
      - alert: ComplaintsUnanswered
        by: [brand, channel]
        unanswered: { older_than: 30m, at_least: 20 }
        recovery: { at_least: 10 }
`;

const compile = (text: string) => parseRuleTexts([{ file: "rules/k.yaml", text }]);
const errorsOf = (text: string) => compile(text).issues.map(formatIssue);

describe("signal rule types (spread, unanswered)", () => {
  it("compiles each into a signal, the metric its alerts quote, and threshold levels", () => {
    const { rules, issues } = compile(FILE);
    expect(issues).toEqual([]);
    const [spread, unanswered] = rules;
    expect(spread).toMatchObject({
      metric: "negative",
      by: ["brand"],
      signal: { kind: "spread", withinMs: 7_200_000, minMentions: 2 },
      config: { channels: 3 },
      criticalConfig: { channels: 5 },
    });
    expect(unanswered).toMatchObject({
      metric: "unanswered_overdue",
      by: ["brand", "channel"],
      signal: { kind: "unanswered", olderThanMs: 1_800_000 },
      config: { at_least: 20 },
      recoveryConfig: { at_least: 10 },
    });
  });

  it("refuses a rule with two kinds, none, or a metric it does not use, each at its position", () => {
    const text = `groups:
  - name: k
    rules:
      - alert: Both
        spread: { channels: 3 }
        unanswered: { at_least: 5 }
      - alert: Neither
        for: 5m
      - alert: StrayMetric
        metric: negative
        unanswered: { at_least: 5 }
      - alert: NoMetric
        detector: { type: threshold, above: 3 }
`;
    expect(errorsOf(text)).toEqual([
      "rules/k.yaml:6:21: groups[0].rules[0].unanswered: a rule has one of spread, unanswered, not several",
      "rules/k.yaml:7:9: groups[0].rules[1]: a rule needs one of detector (with metric), spread or unanswered",
      "rules/k.yaml:10:17: groups[0].rules[2].metric: metric is for detector rules; a unanswered rule watches its own signal",
      "rules/k.yaml:13:19: groups[0].rules[3].detector: a rule with a detector needs a metric",
    ]);
  });

  it("refuses a story seen in one channel, a spread rule split by channel, and a foreign threshold override", () => {
    const rule = (body: string) => `groups:
  - name: k
    rules:
      - alert: Spread
${body}`;
    expect(errorsOf(rule("        spread: { channels: 1 }\n"))).toEqual([
      "rules/k.yaml:5:29: groups[0].rules[0].spread.channels: Too small: expected number to be >=2",
    ]);
    expect(
      errorsOf(
        rule(
          "        by: [brand, channel]\n        spread: { channels: 3 }\n        critical: { at_least: 3 }\n",
        ),
      ),
    ).toEqual([
      "rules/k.yaml:5:13: a spread rule watches each brand as a whole: by is [brand] or left out",
      "rules/k.yaml:7:21: at_least is not a threshold of the spread detector; its thresholds are channels",
    ]);
  });

  it("judges the engine's measure of the signal, not a stored column, and fires at the line", () => {
    const { rules } = compile(FILE);
    const asked: Array<[RuleSignal["kind"], string]> = [];
    const measures: Record<string, number> = { spread: 3, unanswered: 12 };
    const evaluator = new RuleEvaluator({
      windowMs: 300_000,
      warmupMs: 3_600_000,
      history: () => {
        throw new Error("signal rules have nothing to warm");
      },
      signals: (signal: RuleSignal, labels: Labels) => {
        asked.push([signal.kind, labels.channel ?? ""]);
        return measures[signal.kind] ?? 0;
      },
    });
    evaluator.setRules(rules);
    const row = (channel: string) => ({
      key: { brand: "kryptonite", channel },
      values: new Float64Array(METRICS.length).fill(99),
    });
    const window: ClosedWindow = { start: 0, end: 300_000, rows: [row("all"), row("forum")] };
    const judged = evaluator.evaluate(window);
    // by [brand, channel] watches each channel and the brand's total.
    expect(asked).toEqual([
      ["spread", "all"],
      ["unanswered", "all"],
      ["unanswered", "forum"],
    ]);
    expect(judged.map((j) => [j.rule.name, j.value, j.breach, j.critical, j.holds])).toEqual([
      ["StorySpreading", 3, true, false, true],
      ["ComplaintsUnanswered", 12, false, false, true],
      ["ComplaintsUnanswered", 12, false, false, true],
    ]);
  });
});
