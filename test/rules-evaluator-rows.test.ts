import { describe, expect, it } from "vitest";
import type { ClosedWindow, Labels } from "../src/model/index.js";
import { METRICS, metricIndex } from "../src/model/index.js";
import { RuleEvaluator } from "../src/rules/evaluator.js";
import { parseRuleTexts } from "../src/rules/load.js";

const WINDOW = 300_000;
const T0 = Date.parse("2026-03-06T09:00:00Z");

// Each judged value is compared with the same key's previous window: a detector handed to the wrong
// key would show another key's value as expected.
const RULES = `groups:
  - name: rows
    rules:
      - alert: EverySeries
        metric: negative
        detector: { type: ratio, baseline: previous, factor: 3 }
      - alert: OnlyTwitter
        metric: negative
        match: { channel: twitter }
        detector: { type: ratio, baseline: previous, factor: 3 }
`;

const A = { brand: "a", channel: "twitter" };
const B = { brand: "b", channel: "forum" };
const C = { brand: "c", channel: "twitter" };

function closed(index: number, rows: Array<[Labels, number]>): ClosedWindow {
  return {
    start: T0 + index * WINDOW,
    end: T0 + (index + 1) * WINDOW,
    rows: rows.map(([key, negative]) => {
      const values = new Float64Array(METRICS.length);
      values[metricIndex("negative")] = negative;
      return { key, values };
    }),
  };
}

describe("rule evaluator rows", () => {
  it("judges each key with its own detector when a window lists its rows in another order or adds one", () => {
    const { rules } = parseRuleTexts([{ file: "rows.yaml", text: RULES }], WINDOW);
    const evaluator = new RuleEvaluator({ windowMs: WINDOW, warmupMs: 0, history: () => [] });
    evaluator.setRules(rules);
    const learn = (window: ClosedWindow) => {
      const judged = evaluator.evaluate(window);
      for (const one of judged) evaluator.learn(one, false);
      return judged.map((one) => ({
        rule: one.rule.name,
        brand: one.labels.brand,
        expected: one.estimate.ready ? one.estimate.expected : undefined,
      }));
    };
    learn(
      closed(0, [
        [A, 10],
        [B, 100],
      ]),
    );
    expect(
      learn(
        closed(1, [
          [B, 200],
          [C, 5],
          [A, 20],
        ]),
      ),
    ).toEqual([
      { rule: "EverySeries", brand: "b", expected: 100 },
      { rule: "EverySeries", brand: "c", expected: undefined },
      { rule: "EverySeries", brand: "a", expected: 10 },
      { rule: "OnlyTwitter", brand: "c", expected: undefined },
      { rule: "OnlyTwitter", brand: "a", expected: 10 },
    ]);
    // Same rows, first order again, and new label objects with the same labels: same detectors.
    expect(
      learn(
        closed(2, [
          [{ ...A }, 40],
          [B, 400],
          [C, 10],
        ]),
      ),
    ).toEqual([
      { rule: "EverySeries", brand: "a", expected: 20 },
      { rule: "EverySeries", brand: "b", expected: 200 },
      { rule: "EverySeries", brand: "c", expected: 5 },
      { rule: "OnlyTwitter", brand: "a", expected: 20 },
      { rule: "OnlyTwitter", brand: "c", expected: 5 },
    ]);
  });
});
