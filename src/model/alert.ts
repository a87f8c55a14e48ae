// An alert: one episode of one rule on one series, from first breach to resolution.
import type { SharedStory } from "./evidence.js";
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

/**
 * Where a firing crisis is on its trajectory (alerting/stage.ts). A move to "escalating" is a worse
 * stage: it re-notifies inside the same incident (an "escalated" event).
 */
export type CrisisStage = "emerging" | "escalating" | "peak" | "subsiding" | "resolved";

/** The growth of a series' recent windows: ln(count) per hour with its confidence interval. */
export interface Trend {
  ratePerHour: number;
  low: number;
  high: number;
}

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

/** A term whose use in the alert's windows is surprising against the brand's recent baseline. */
export interface EmergingTerm {
  term: string;
  /** Negative mentions using it in the alert's windows, and in the baseline windows. */
  count: number;
  baseline: number;
  /** Dunning's log-likelihood ratio G² (add-one smoothing); above 10.83 is p < 0.001 for one degree of freedom. */
  g2: number;
}

/** A negative post quoted by the explanation: strangers' text, escaped by each channel. */
export interface ExplainedPost {
  id: string;
  channel: string;
  /** Epoch ms. */
  time: number;
  /** Only http(s) links are kept. */
  url?: string;
  author?: string;
  followers?: number;
  engagement: { likes: number; shares: number; comments: number };
  text: string;
}

/** Where the story is: negative volume by channel and the voices carrying it. */
export interface ExplainedSpread {
  /** Negative mentions per channel in the alert's windows, largest first. */
  channels: Array<{ channel: string; negative: number }>;
  /** Channels that took the story up since it began, in the order they did (epoch ms). */
  joined: Array<{ channel: string; at: number }>;
  /** Distinct negative authors in the alert's windows, and the share the brand had not heard from lately. */
  authors: number;
  newAuthorShare: number;
  /** Authors above the influencer follower threshold, largest first. */
  influencers: Array<{ name: string; followers: number; channel: string }>;
}

/** Why an alert fires, from the evidence of its windows: what people say, where, and who. */
export interface Explanation {
  /** Epoch ms of the latest window it covers. */
  computedAt: number;
  /** "412 negative mentions in 15 min, about 9× the usual for a Tuesday morning (p = 1e-30)". */
  plain: string;
  terms: EmergingTerm[];
  /** Top posts by reach and engagement, those carrying the story first. */
  posts: ExplainedPost[];
  spread: ExplainedSpread;
  /** How fast the alert's series grows, when an exponential fits its recent windows well. */
  growth?: ExplainedGrowth;
  /**
   * The story spreading across channels (shared links or emerging terms), for cross-channel spread
   * rules: its markers, best first (at most 5), and the channels carrying it in the order they took it
   * up, each with the time it did (epoch ms) and its negative mentions using the story.
   */
  story?: SharedStory;
}

export interface ExplainedGrowth {
  /** Growth of ln(count) per hour. */
  ratePerHour: number;
  /** Time for the count per window to double. */
  doublingMs: number;
  /** Deviance explained by the fit (1: a perfect exponential). */
  r2: number;
  /** Windows fitted. */
  windows: number;
  /**
   * When the series reaches the rule's critical level at this pace (epoch ms). Only on a firing alert
   * below critical severity, and only when the fit bounds the crossing time within the horizon.
   */
  forecast?: {
    /** The critical level: the smallest window value the rule's detector would judge critical now. */
    level: number;
    /** When the fitted count per window reaches the level. */
    at: number;
    /** The 90% interval of that time (Fieller); `earliest` is never before the last window's end. */
    earliest: number;
    latest: number;
  };
}

export interface AlertTransition {
  at: number;
  event: AlertEventType;
  severity: Severity;
  value: number;
  /** The crisis stage after the event (firing alerts). */
  stage?: CrisisStage;
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
  /** The crisis stage, from firing on; "resolved" once resolved. */
  stage?: CrisisStage;
  /** When the current stage began and the value then: how far the series has moved since. */
  stageSince?: { at: number; value: number };
  /** Why it fires (explain stage): computed when it fires, refreshed while it fires. */
  explanation?: Explanation;
  /** Set by POST /v1/alerts/:id/ack while the alert fires. */
  acknowledged?: Acknowledgement;
  history: AlertTransition[];
}

export interface AlertEvent {
  type: AlertEventType;
  alert: Alert;
}
