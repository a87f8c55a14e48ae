// Turns validated rule files into runnable rules: detector configs per level, merged label matches,
// parsed templates, and the cross-checks a schema cannot express (threshold keys, unique names).
import { createHash } from "node:crypto";
import type { z } from "zod";
import type { DetectorDefinition } from "../detect/detector.js";
import { detectorByType } from "../detect/registry.js";
import type { Labels, Metric } from "../model/index.js";
import type { LocatedIssue } from "../util/located-error.js";
import type { YamlSource } from "../util/yaml-source.js";
import { locateZodIssues } from "../util/zod-issues.js";
import type { CompiledTemplate } from "./annotations.js";
import { compileTemplate } from "./annotations.js";
import type { Severity } from "./fields.js";
import type { RuleFile } from "./schema.js";
import type { RuleSignal, SignalRuleType } from "./signal-rules.js";
import { SIGNAL_RULES } from "./signal-rules.js";

export interface CompiledRule {
  /** group/alert: unique across all loaded files. */
  id: string;
  group: string;
  name: string;
  file: string;
  /** The series a detector rule watches; for a signal rule, the one its alerts quote. */
  metric: Metric;
  /** Set on signal rules (spread, unanswered): what the engine measures instead of a stored series. */
  signal?: RuleSignal;
  by?: readonly string[];
  /** Group and rule matches together. */
  match: Labels;
  detector: DetectorDefinition;
  /** The detector config at the rule's own severity. */
  config: unknown;
  /** The config with critical overrides, when the rule escalates. */
  criticalConfig?: unknown;
  /** The config with recovery overrides: what a firing alert must keep breaching to stay firing. */
  recoveryConfig?: unknown;
  forMs: number;
  keepFiringForMs: number;
  severity: Severity;
  flap?: { windowMs: number; maxChanges: number };
  labels: Labels;
  annotations: Record<string, { text: string; template: CompiledTemplate }>;
  /** Changes when anything in the rule's definition changes: reloads keep the state of equal hashes. */
  hash: string;
  /** The rule as written (GET /v1/rules). */
  source: unknown;
}

export function compileRules(
  file: RuleFile,
  source: YamlSource,
  seen: Map<string, string>,
  windowMs: number,
): { rules: CompiledRule[]; issues: LocatedIssue[] } {
  const rules: CompiledRule[] = [];
  const issues: LocatedIssue[] = [];
  const raw = source.data as { groups: Array<{ rules: Array<Record<string, Record<string, unknown>>> }> };
  file.groups.forEach((group, g) => {
    group.rules.forEach((rule, r) => {
      const path = ["groups", g, "rules", r];
      const issue = (at: PropertyKey[], message: string, key = false) =>
        issues.push({ ...source.locate([...path, ...at], { key }), message });
      const id = `${group.name}/${rule.alert}`;
      const previous = seen.get(id);
      if (previous)
        issue(["alert"], `alert ${rule.alert} is already defined in group ${group.name} (${previous})`);
      seen.set(id, `${source.file}:${source.locate([...path, "alert"]).line}`);

      const signalType = SIGNAL_RULES.find((type) => rule[type.key] !== undefined) as
        SignalRuleType | undefined;
      const detector = signalType
        ? signalType.detector
        : (detectorByType(rule.detector?.type as string) as DetectorDefinition);
      const kindKey = signalType?.key ?? "detector";
      const rawKind = raw.groups[g]?.rules[r]?.[kindKey] ?? {};
      const { type: _type, ...baseInput } = rawKind;
      const level = (name: "critical" | "recovery"): unknown => {
        const overrides = rule[name];
        if (!overrides) return undefined;
        const strangers = Object.keys(overrides).filter((key) => !detector.thresholdKeys.includes(key));
        for (const key of strangers) {
          issue(
            [name, key],
            `${key} is not a threshold of the ${detector.type} detector; its thresholds are ${detector.thresholdKeys.join(", ")}`,
            true,
          );
        }
        if (strangers.length > 0) return undefined;
        const parsed = (detector.schema as z.ZodType).safeParse({ ...baseInput, ...overrides });
        if (!parsed.success) {
          for (const located of locateZodIssues(source, parsed.error.issues)) {
            issues.push({ ...source.locate([...path, name]), message: `${name}: ${located.message}` });
          }
          return undefined;
        }
        return parsed.data;
      };
      if (rule.critical && rule.severity === "critical") {
        issue(
          ["critical"],
          "critical overrides only make sense on a rule whose severity is info or warning",
          true,
        );
      }

      const annotations: CompiledRule["annotations"] = {};
      for (const [name, text] of Object.entries(rule.annotations ?? {})) {
        try {
          annotations[name] = { text, template: compileTemplate(text) };
        } catch (error) {
          issue(["annotations", name], `template error: ${(error as Error).message.split("\n")[0]}`);
        }
      }

      const { type: _detectorType, ...config } = (
        signalType ? rule[signalType.key] : rule.detector
      ) as Record<string, unknown>;
      // Some configs only make sense for some window widths (a seasonal slot must be whole windows):
      // building one detector now turns that into a rule error with a position, not a crash later.
      try {
        detector.create(config as never, { windowMs });
      } catch (error) {
        issue([kindKey], `${kindKey} ${detector.type}: ${(error as Error).message}`);
      }
      // A story crosses channels, so a spread rule watches the brand as a whole.
      if (signalType?.key === "spread" && rule.by && (rule.by.length !== 1 || rule.by[0] !== "brand"))
        issue(["by"], "a spread rule watches each brand as a whole: by is [brand] or left out");
      const sourceRule = (raw.groups[g]?.rules[r] ?? {}) as object;
      rules.push({
        id,
        group: group.name,
        name: rule.alert,
        file: source.file,
        metric: signalType ? signalType.metric : (rule.metric as Metric),
        ...(signalType ? { signal: signalType.signal(config) } : {}),
        ...(rule.by ? { by: rule.by } : signalType?.key === "spread" ? { by: ["brand"] } : {}),
        match: { ...group.match, ...rule.match },
        detector,
        config,
        criticalConfig: level("critical"),
        recoveryConfig: level("recovery"),
        forMs: rule.for,
        keepFiringForMs: rule.keep_firing_for,
        severity: rule.severity,
        ...(rule.flap ? { flap: { windowMs: rule.flap.window, maxChanges: rule.flap.max_changes } } : {}),
        labels: rule.labels ?? {},
        annotations,
        hash: createHash("sha256")
          .update(JSON.stringify([group.name, group.match ?? {}, sourceRule]))
          .digest("hex")
          .slice(0, 16),
        source: { group: group.name, ...(group.match ? { group_match: group.match } : {}), ...sourceRule },
      });
    });
  });
  return { rules, issues };
}
