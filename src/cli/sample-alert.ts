// Made-up alerts for the CLI's previews and test pages: shaped as the lifecycle shapes real ones
// (pending, firing, escalated, acknowledged, resolved; id from fingerprint and episode start), with
// annotations rendered by the engine's own renderAnnotations so template mistakes show as they would.
import { episodeId, fingerprint } from "../alerting/fingerprint.js";
import type { Alert, AlertMeasure, AlertTransition, Labels, PageEvent, Severity } from "../model/index.js";
import { ALL_CHANNELS } from "../model/index.js";
import { renderAnnotations } from "../rules/annotations.js";
import type { CompiledRule } from "../rules/compile.js";

export interface SampleSpec {
  /** group/alert */
  rule: string;
  name: string;
  labels: Labels;
  severity: Severity;
  /** Evaluation time (window end) of the firing. */
  firedAt: number;
  windowMs: number;
  /** How long the breach was pending before it fired (the rule's `for`). */
  forMs: number;
  pValue?: number;
  annotations(alert: Alert): Record<string, string>;
}

/** How long after the firing the sample escalates, is acknowledged and resolves. */
const ESCALATED_AFTER = 10 * 60_000;
const ACKNOWLEDGED_AFTER = 5 * 60_000;
const RESOLVED_AFTER = 60 * 60_000;

/** The alert as the page of `event` would carry it. */
export function sampleAlert(spec: SampleSpec, event: PageEvent): Alert {
  const activeAt = spec.firedAt - spec.forMs;
  const measure = (at: number, value: number, expected: number): AlertMeasure => ({
    time: at - spec.windowMs,
    value,
    expected,
    factor: value / expected,
    score: spec.pValue === undefined ? value / expected : -Math.log10(spec.pValue),
    ...(spec.pValue === undefined ? {} : { pValue: spec.pValue }),
  });
  const peak = measure(spec.firedAt, 412, 46.3);
  const step = (at: number, type: AlertTransition["event"], severity: Severity, value: number) => ({
    at,
    event: type,
    severity,
    value,
  });
  const history = [
    step(activeAt, "pending", spec.severity, 412),
    step(spec.firedAt, "firing", spec.severity, 412),
  ];
  const escalated = event === "escalated";
  if (escalated) history.push(step(spec.firedAt + ESCALATED_AFTER, "escalated", "critical", 412));
  const resolved = event === "resolved";
  const resolvedAt = spec.firedAt + RESOLVED_AFTER;
  if (resolved) history.push(step(resolvedAt, "resolved", spec.severity, 38));
  const print = fingerprint(spec.rule, spec.labels);
  const alert: Alert = {
    id: episodeId(print, activeAt),
    fingerprint: print,
    rule: spec.rule,
    name: spec.name,
    labels: spec.labels,
    state: resolved ? "resolved" : "firing",
    severity: escalated ? "critical" : spec.severity,
    activeAt,
    firedAt: spec.firedAt,
    ...(resolved ? { resolvedAt } : {}),
    last: resolved ? measure(resolvedAt, 38, 45.1) : peak,
    peak,
    annotations: {},
    flapping: false,
    ...(event === "acknowledged"
      ? { acknowledged: { by: "<operator>", at: spec.firedAt + ACKNOWLEDGED_AFTER, comment: "<comment>" } }
      : {}),
    history,
  };
  alert.annotations = spec.annotations(alert);
  return alert;
}

/** A fixed time, so previews of the same rule are the same from one run to the next. */
const PREVIEW_FIRED_AT = Date.parse("2026-03-06T12:15:00Z");

/**
 * A representative alert of a rule: the labels its alerts carry (the group and rule match, a
 * `<name>` placeholder for each `by` label the match leaves open, the brand total's channel "all",
 * then the rule's labels) and numbers that breach it: 412 against 46.3, and a p-value well under
 * the rule's threshold when its detector judges by one.
 */
export function ruleSampleSpec(rule: CompiledRule, windowMs: number): SampleSpec {
  const series = rule.by ?? ["brand", "channel"];
  const labels: Record<string, string> = {};
  for (const name of series) labels[name] = rule.match[name] ?? `<${name}>`;
  // `by` without channel watches each brand's all-channel total (rules/select.ts).
  if (rule.by && !rule.by.includes("channel")) labels.channel = ALL_CHANNELS;
  const threshold = (rule.config as { p_value?: unknown }).p_value;
  const judgesByP = rule.detector.thresholdKeys.includes("p_value") && typeof threshold === "number";
  return {
    rule: rule.id,
    name: rule.name,
    labels: { ...rule.match, ...labels, ...rule.labels },
    severity: rule.severity,
    firedAt: PREVIEW_FIRED_AT,
    windowMs,
    forMs: rule.forMs,
    ...(judgesByP ? { pValue: threshold / 100 } : {}),
    annotations: (alert) => renderAnnotations(rule.annotations, alert),
  };
}
