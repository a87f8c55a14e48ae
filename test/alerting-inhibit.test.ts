import { describe, expect, it } from "vitest";
import { inhibitRulesSchema, inhibitedBy } from "../src/alerting/inhibit.js";

const rules = inhibitRulesSchema.parse([
  {
    source_matchers: ['severity="critical"'],
    target_matchers: ['severity="warning"'],
    equal: ["brand", "alertname"],
  },
]);
const alert = (fingerprint: string, brand: string, severity: string, alertname = "NegativeBuzzSpike") => ({
  fingerprint,
  labels: { brand, severity, alertname },
});

describe("inhibition", () => {
  it("holds a warning while a critical alert with the same equal labels fires", () => {
    const firing = [alert("c", "kryptonite", "critical")];
    expect(inhibitedBy(rules, alert("w", "kryptonite", "warning"), firing)).toEqual({
      rule: "inhibit_rules[0]",
      source: "c",
    });
  });

  it("does not hold when an equal label differs or the source does not fire", () => {
    expect(
      inhibitedBy(rules, alert("w", "acme", "warning"), [alert("c", "kryptonite", "critical")]),
    ).toBeUndefined();
    expect(
      inhibitedBy(rules, alert("w", "kryptonite", "warning", "Other"), [
        alert("c", "kryptonite", "critical"),
      ]),
    ).toBeUndefined();
    expect(inhibitedBy(rules, alert("w", "kryptonite", "warning"), [])).toBeUndefined();
    expect(
      inhibitedBy(rules, alert("c", "kryptonite", "critical"), [alert("c2", "kryptonite", "critical")]),
    ).toBeUndefined();
  });

  it("counts a label missing on both sides as equal", () => {
    const byTeam = inhibitRulesSchema.parse([
      {
        name: "outage",
        source_matchers: ['alertname="SourceDown"'],
        target_matchers: ['alertname!="SourceDown"'],
        equal: ["team"],
      },
    ]);
    const target = { fingerprint: "t", labels: { alertname: "Spike" } };
    expect(
      inhibitedBy(byTeam, target, [{ fingerprint: "s", labels: { alertname: "SourceDown" } }])?.rule,
    ).toBe("outage");
    expect(
      inhibitedBy(byTeam, target, [{ fingerprint: "s", labels: { alertname: "SourceDown", team: "x" } }]),
    ).toBeUndefined();
  });

  it("never lets an alert inhibit itself, nor two alerts matching both sides hold each other", () => {
    const broad = inhibitRulesSchema.parse([
      { source_matchers: ['brand="k"'], target_matchers: ['brand="k"'] },
    ]);
    const a = { fingerprint: "a", labels: { brand: "k" } };
    const b = { fingerprint: "b", labels: { brand: "k" } };
    expect(inhibitedBy(broad, a, [a])).toBeUndefined();
    expect(inhibitedBy(broad, a, [a, b])).toBeUndefined();
  });

  it("refuses rules without matchers or with unknown keys", () => {
    expect(inhibitRulesSchema.safeParse([{ source_matchers: [], target_matchers: ['a="1"'] }]).success).toBe(
      false,
    );
    expect(
      inhibitRulesSchema.safeParse([{ source_matchers: ['a="1"'], target_matchers: ['a="2"'], equals: [] }])
        .success,
    ).toBe(false);
  });
});
