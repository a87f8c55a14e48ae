// The alert state machine of one rule on one series:
//   inactive → pending (breach) → firing (after `for`) → resolved (no breach for `keep_firing_for`)
// with a laxer recovery threshold while firing (hysteresis), escalation to critical inside the
// episode, and flap suppression that holds a flapping alert firing instead of paging on every change.
// Pure: time comes from the evaluation, never from a clock.
import type {
  Alert,
  AlertEvent,
  AlertEventType,
  AlertMeasure,
  CrisisStage,
  Labels,
  Severity,
  Trend,
} from "../model/index.js";
import { episodeId } from "./fingerprint.js";
import { nextStage } from "./stage.js";

export interface LifecyclePolicy {
  forMs: number;
  keepFiringForMs: number;
  severity: Severity;
  flap?: { windowMs: number; maxChanges: number };
}

/** The verdict of the rule's detector on one closed window. */
export interface Judgement {
  /** Evaluation time: the end of the window just closed. */
  time: number;
  measure: AlertMeasure;
  /** The rule's thresholds are crossed. */
  breach: boolean;
  /** The critical thresholds are crossed (false when the rule has none). */
  critical: boolean;
  /** The recovery thresholds are still crossed (equals breach when the rule has none). */
  holds: boolean;
  /** The growth of the series' recent windows, read only while the alert fires (its crisis stage). */
  trend?: () => Trend | undefined;
}

export interface AlertIdentity {
  fingerprint: string;
  rule: string;
  name: string;
  labels: Labels;
}

/** Per-fingerprint state kept between evaluations. */
export interface Tracked {
  identity: AlertIdentity;
  /** The open episode (pending or firing), if any. */
  alert?: Alert;
  keepFiringSince?: number;
  lastBreachAt?: number;
  /** Times the alert fired or resolved, for flap detection. */
  changes: number[];
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
const MAX_HISTORY = 200;

/** Texts for people, rendered from the alert as it is when an event is told (rule annotations). */
export type Annotate = (alert: Alert) => Record<string, string>;

/** Applies one judgement; returns the events it caused (at most two: pending then firing). */
export function advance(
  tracked: Tracked,
  judgement: Judgement,
  policy: LifecyclePolicy,
  annotate?: Annotate,
): AlertEvent[] {
  const events: AlertEvent[] = [];
  const emit = (alert: Alert, type: AlertEventType) => {
    if (type !== "pending" && annotate) alert.annotations = annotate(alert);
    alert.history.push({
      at: judgement.time,
      event: type,
      severity: alert.severity,
      value: judgement.measure.value,
      ...(alert.stage ? { stage: alert.stage } : {}),
    });
    if (alert.history.length > MAX_HISTORY) alert.history.splice(1, alert.history.length - MAX_HISTORY);
    // A snapshot: listeners may read the event later, after the alert has moved on.
    events.push({ type, alert: { ...alert, history: [...alert.history] } });
  };
  let alert = tracked.alert;

  if (!alert) {
    if (!judgement.breach) return events;
    alert = openEpisode(tracked.identity, judgement, policy);
    tracked.alert = alert;
    tracked.keepFiringSince = undefined;
    tracked.lastBreachAt = judgement.time;
    emit(alert, "pending");
  } else {
    observe(alert, judgement.measure);
  }

  if (alert.state === "pending") {
    if (!judgement.breach) {
      tracked.alert = undefined; // the condition did not last: no episode
      return events;
    }
    tracked.lastBreachAt = judgement.time;
    if (judgement.time - alert.activeAt >= policy.forMs) {
      alert.state = "firing";
      alert.firedAt = judgement.time;
      if (judgement.critical) alert.severity = "critical";
      setStage(alert, "emerging", judgement);
      tracked.changes.push(judgement.time);
      emit(alert, "firing");
    }
    return events;
  }

  // Firing: a raised severity or a worse crisis stage is one "escalated" event.
  const worse = moveStage(alert, judgement);
  if (judgement.breach || judgement.holds) {
    tracked.keepFiringSince = undefined;
    tracked.lastBreachAt = judgement.time;
    const critical = judgement.critical && RANK[alert.severity] < RANK.critical;
    if (critical) alert.severity = "critical";
    if (critical || worse) emit(alert, "escalated");
    return events;
  }
  tracked.keepFiringSince ??= judgement.time;
  if (judgement.time - tracked.keepFiringSince < policy.keepFiringForMs) return events;
  if (policy.flap && (alert.flapping || isFlapping(tracked, policy.flap, judgement.time))) {
    // Hold it firing until it has been quiet for a whole flap window: one page, not one per wobble.
    alert.flapping = true;
    if (judgement.time - (tracked.lastBreachAt ?? judgement.time) < policy.flap.windowMs) return events;
  }
  alert.state = "resolved";
  alert.resolvedAt = judgement.time;
  alert.flapping = false;
  setStage(alert, "resolved", judgement);
  tracked.changes.push(judgement.time);
  tracked.alert = undefined;
  emit(alert, "resolved");
  return events;
}

/** Follows the firing alert's crisis stage; true when it moved to a worse one. */
function moveStage(alert: Alert, judgement: Judgement): boolean {
  const current = alert.stage ?? "emerging";
  const told = alert.history.findLast((change) => change.event === "firing" || change.event === "escalated");
  const { stage, worse } = nextStage(current, {
    last: judgement.measure.value,
    peak: alert.peak.value,
    told: told?.value ?? judgement.measure.value,
    grew: alert.history.some((change) => change.event === "escalated" && change.stage === "escalating"),
    trend: judgement.trend?.(),
  });
  if (stage !== current) setStage(alert, stage, judgement);
  return worse;
}

function setStage(alert: Alert, stage: CrisisStage, judgement: Judgement): void {
  alert.stage = stage;
  alert.stageSince = { at: judgement.time, value: judgement.measure.value };
}

/** Whether resolving now would be one change too many within the flap window. */
function isFlapping(tracked: Tracked, flap: { windowMs: number; maxChanges: number }, now: number): boolean {
  while (tracked.changes.length > 0 && (tracked.changes[0] as number) < now - flap.windowMs)
    tracked.changes.shift();
  return tracked.changes.length + 1 > flap.maxChanges;
}

function openEpisode(identity: AlertIdentity, judgement: Judgement, policy: LifecyclePolicy): Alert {
  return {
    id: episodeId(identity.fingerprint, judgement.time),
    fingerprint: identity.fingerprint,
    rule: identity.rule,
    name: identity.name,
    labels: identity.labels,
    state: "pending",
    severity: policy.severity,
    activeAt: judgement.time,
    last: judgement.measure,
    peak: judgement.measure,
    annotations: {},
    flapping: false,
    history: [],
  };
}

function observe(alert: Alert, measure: AlertMeasure): void {
  alert.last = measure;
  if (measure.value > alert.peak.value) alert.peak = measure;
}
