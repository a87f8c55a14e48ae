// An alert: one episode of one rule on one series, from first breach to resolution.
import type { Labels } from "./series.js";

export type Severity = "info" | "warning" | "critical";
export type AlertState = "pending" | "firing" | "resolved";
/** What happened to an alert; every event but "pending" is worth telling a person. */
export type AlertEventType = "pending" | "firing" | "escalated" | "resolved";
/**
 * What a page tells a receiver: a lifecycle event, a person's acknowledgement, or a reminder that an
 * unchanged alert still fires (the route's repeat_interval).
 */
export type PageEvent = Exclude<AlertEventType, "pending"> | "acknowledged" | "reminder";

/** A person took the alert in hand: escalation stops and every receiver told of it hears who. */
export interface Acknowledgement {
  by: string;
  /** Epoch ms. */
  at: number;
  comment?: string;
}

/** The detector's numbers for one window, quoted by explanations. */
export interface AlertMeasure {
  /** Window start, epoch ms. */
  time: number;
  value: number;
  expected: number;
  factor: number;
  score: number;
  pValue?: number;
}

export interface AlertTransition {
  at: number;
  event: AlertEventType;
  severity: Severity;
  value: number;
}

export interface Alert {
  /** Unique per episode: fingerprint and episode start. */
  id: string;
  /** Stable per rule and label set, across episodes and restarts. */
  fingerprint: string;
  /** group/alert of the rule. */
  rule: string;
  name: string;
  /** Series labels, then the rule's labels. */
  labels: Labels;
  state: AlertState;
  severity: Severity;
  /** Evaluation time (window end) of the first breach of this episode. */
  activeAt: number;
  firedAt?: number;
  resolvedAt?: number;
  /** The latest evaluation of this episode. */
  last: AlertMeasure;
  /** The highest value of this episode. */
  peak: AlertMeasure;
  /** Rendered annotation texts (summary, description…). */
  annotations: Record<string, string>;
  /** True while flap suppression holds the alert firing. */
  flapping: boolean;
  /** Set by POST /v1/alerts/:id/ack while the alert fires. */
  acknowledged?: Acknowledgement;
  history: AlertTransition[];
}

export interface AlertEvent {
  type: AlertEventType;
  alert: Alert;
}
