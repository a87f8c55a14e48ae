// Inhibition, after Alertmanager's inhibit/inhibit.go: while an alert matching a rule's source
// matchers fires, alerts matching its target matchers are held if they have the same value for every
// `equal` label (a label missing on both sides counts as equal, as in Alertmanager). An alert never
// inhibits itself, and an alert that matches both sides cannot be held by another that also matches
// both (otherwise two such alerts would silence each other).
//   inhibit_rules:
//     - source_matchers: ['severity="critical"']
//       target_matchers: ['severity="warning"']
//       equal: [brand, alertname]
import { z } from "zod";
import type { Labels } from "../model/index.js";
import type { Matcher } from "./matchers.js";
import { matches, matchersSchema } from "./matchers.js";

export interface InhibitRule {
  /** The rule's name, or `inhibit_rules[i]`, quoted in the reason a page was held. */
  name: string;
  sourceMatchers: readonly Matcher[];
  targetMatchers: readonly Matcher[];
  equal: readonly string[];
}

/** A firing alert that may inhibit others. */
export interface FiringAlert {
  fingerprint: string;
  labels: Labels;
}

export interface Inhibition {
  rule: string;
  /** Fingerprint of the firing alert that holds the target. */
  source: string;
}

export const inhibitRulesSchema = z
  .array(
    z.strictObject({
      name: z.string().min(1).optional().describe("Name quoted when a page is held by this rule."),
      source_matchers: matchersSchema.min(1).describe("A firing alert matching these inhibits…"),
      target_matchers: matchersSchema.min(1).describe("…alerts matching these…"),
      equal: z
        .array(z.string().min(1))
        .default([])
        .describe("…that have the same value as the source for each of these labels."),
    }),
  )
  .transform((rules): InhibitRule[] =>
    rules.map((r, i) => ({
      name: r.name ?? `inhibit_rules[${i}]`,
      sourceMatchers: r.source_matchers,
      targetMatchers: r.target_matchers,
      equal: r.equal,
    })),
  )
  .describe("Inhibition rules: a firing alert holds the pages of related, lesser alerts.");

const sameOn = (a: Labels, b: Labels, names: readonly string[]) =>
  names.every((name) => (a[name] ?? "") === (b[name] ?? ""));

/** The first rule and firing alert that inhibit the target, or undefined. */
export function inhibitedBy(
  rules: readonly InhibitRule[],
  target: FiringAlert,
  firing: readonly FiringAlert[],
): Inhibition | undefined {
  for (const rule of rules) {
    if (!matches(rule.targetMatchers, target.labels)) continue;
    const twoSided = matches(rule.sourceMatchers, target.labels);
    for (const source of firing) {
      if (source.fingerprint === target.fingerprint) continue;
      if (!matches(rule.sourceMatchers, source.labels)) continue;
      if (twoSided && matches(rule.targetMatchers, source.labels)) continue;
      if (sameOn(source.labels, target.labels, rule.equal))
        return { rule: rule.name, source: source.fingerprint };
    }
  }
  return undefined;
}
