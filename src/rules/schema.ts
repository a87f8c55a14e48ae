// The rule file schema (design.md §3), assembled from the detector registry so every detector's
// config is checked strictly and rules/schema.json offers each one to editors.
import { z } from "zod";
import { DETECTORS } from "../detect/registry.js";
import { METRICS } from "../model/index.js";
import { registryUnion } from "../util/schema-fields.js";
import { alertName, duration, labelMatchers, labelName, SEVERITIES } from "./fields.js";
import { spreadSchema, unansweredSchema } from "./signal-rules.js";

/** `detector:` — one of the registered detectors, chosen by `type`. */
const detectorSchema = registryUnion(DETECTORS);

/**
 * Threshold overrides for a level (critical) or for recovery; checked against the detector's own
 * schema and threshold keys once the detector is known (see compile.ts).
 */
const overrides = (description: string) => z.record(z.string(), z.unknown()).describe(description);

/** The keys that say what a rule watches; exactly one per rule. */
const RULE_KINDS = ["detector", "spread", "unanswered"] as const;

export const ruleSchema = z
  .strictObject({
    alert: alertName.describe("Name of the alert, unique within its group, e.g. NegativeBuzzSpike."),
    metric: z
      .enum(METRICS)
      .optional()
      .describe("The series metric the detector watches (rules with a detector)."),
    by: z
      .array(labelName)
      .optional()
      .describe(
        "Labels that identify one alerting series, e.g. [brand] (the brand's all-channel series) or [brand, channel] (each channel). Omitted: every series.",
      ),
    match: labelMatchers("Extra exact label matches for this rule, on top of the group's.").optional(),
    detector: detectorSchema
      .optional()
      .describe("How a window of `metric` is judged anomalous. A rule has a detector, spread or unanswered."),
    spread: spreadSchema.optional(),
    unanswered: unansweredSchema.optional(),
    for: duration("How long the condition must hold before the alert fires (pending until then).").prefault(
      "0s",
    ),
    keep_firing_for: duration("How long the alert keeps firing after the condition stops holding.").prefault(
      "0s",
    ),
    severity: z.enum(SEVERITIES).default("warning").describe("Severity when the alert fires."),
    critical: overrides(
      "Stricter detector thresholds at which a warning alert escalates to critical, e.g. { p_value: 1.0e-8 }.",
    ).optional(),
    recovery: overrides(
      "Laxer detector thresholds that keep a firing alert firing (hysteresis), e.g. { factor: 1.5 }.",
    ).optional(),
    flap: z
      .strictObject({
        window: duration("Span over which state changes are counted.").prefault("1h"),
        max_changes: z
          .number()
          .int()
          .min(2)
          .default(4)
          .describe("More fire/resolve changes than this within the window mark the alert as flapping."),
      })
      .optional()
      .describe("Flap suppression: a flapping alert is held firing until it has been quiet for the window."),
    labels: z
      .record(labelName, z.string())
      .optional()
      .describe("Labels added to the alert (routing, e.g. team)."),
    annotations: z
      .record(labelName, z.string())
      .optional()
      .describe(
        "Texts for people (summary, description, runbook); Liquid templates with the series labels, value, expected, factor, score, p_value, severity.",
      ),
  })
  .superRefine((rule, context) => {
    const kinds = RULE_KINDS.filter((kind) => rule[kind] !== undefined);
    if (kinds.length !== 1) {
      context.addIssue({
        code: "custom",
        message:
          kinds.length === 0
            ? "a rule needs one of detector (with metric), spread or unanswered"
            : `a rule has one of ${kinds.join(", ")}, not several`,
        path: kinds.length === 0 ? [] : [kinds[1] as string],
      });
    }
    if (rule.detector !== undefined && rule.metric === undefined)
      context.addIssue({
        code: "custom",
        message: "a rule with a detector needs a metric",
        path: ["detector"],
      });
    if (rule.detector === undefined && rule.metric !== undefined && kinds.length === 1)
      context.addIssue({
        code: "custom",
        message: `metric is for detector rules; a ${kinds[0]} rule watches its own signal`,
        path: ["metric"],
      });
  })
  .describe("One alerting rule: a detector on a metric, a cross-channel spread, or unanswered complaints.");

export const groupSchema = z
  .strictObject({
    name: z.string().min(1).describe("Group name, e.g. the brand or the team."),
    match: labelMatchers(
      "Exact label matches every rule of the group applies to, e.g. { brand: kryptonite }.",
    ).optional(),
    rules: z.array(ruleSchema).min(1).describe("The group's rules."),
  })
  .describe("A named group of rules sharing label matches.");

export const ruleFileSchema = z
  .strictObject({
    groups: z.array(groupSchema).describe("Rule groups."),
  })
  .describe("A Tocsin rule file.");

export type RuleInput = z.input<typeof ruleSchema>;
export type RuleSpec = z.output<typeof ruleSchema>;
export type GroupSpec = z.output<typeof groupSchema>;
export type RuleFile = z.output<typeof ruleFileSchema>;
