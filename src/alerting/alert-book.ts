// Every alert the engine knows: the open episode of each fingerprint and a bounded history of ended
// ones, looked up by episode id for the API.
import type { Alert, AlertEvent, AlertState } from "../model/index.js";
import type { AlertIdentity, Annotate, Judgement, LifecyclePolicy, Tracked } from "./lifecycle.js";
import { advance } from "./lifecycle.js";

export interface AlertBookOptions {
  /** Ended episodes kept for GET /v1/alerts (oldest dropped first). */
  historySize?: number;
}

/** The book as plain data: saved with the series, so a restart carries on every episode. */
export interface AlertBookState {
  tracked: Tracked[];
  ended: Alert[];
}

export class AlertBook {
  private readonly tracked = new Map<string, Tracked>();
  private readonly ended: Alert[] = [];
  private readonly historySize: number;
  /** The ended episodes by fingerprint, for activeSpans; dropped whenever `ended` changes. */
  private endedBy: Map<string, Alert[]> | undefined;
  private readonly endedRules = new Set<string>();
  /** How many tracked fingerprints each rule (by id) has: a rule with none is quiet on every series. */
  private readonly trackedPerRule = new Map<string, number>();

  constructor(options: AlertBookOptions = {}) {
    this.historySize = options.historySize ?? 1000;
  }

  /** Feeds one judgement of a rule on a series to its alert. */
  judge(
    identity: AlertIdentity,
    judgement: Judgement,
    policy: LifecyclePolicy,
    annotate?: Annotate,
  ): AlertEvent[] {
    let tracked = this.tracked.get(identity.fingerprint);
    if (!tracked) {
      tracked = { identity, changes: [] };
      this.track(tracked);
    }
    const events = advance(tracked, judgement, policy, annotate);
    for (const event of events) if (event.type === "resolved") this.remember(event.alert);
    // Forget idle series so memory follows the active set, not every series ever seen.
    if (!tracked.alert && tracked.changes.length === 0) this.untrack(tracked);
    return events;
  }

  /**
   * Whether the book holds anything for any series of the rule: when not, none of its quiet series
   * needs its fingerprint looked up (the engine's quiet path, 10 × N times per close).
   */
  tracksRule(rule: string): boolean {
    return this.trackedPerRule.has(rule);
  }

  /** Whether the book holds anything for the fingerprint: an open episode, or recent flap changes. */
  isTracked(fingerprint: string): boolean {
    return this.tracked.has(fingerprint);
  }

  /** Whether the fingerprint has an open (pending or firing) episode: its windows stay out of baselines. */
  isActive(fingerprint: string): boolean {
    return this.tracked.get(fingerprint)?.alert !== undefined;
  }

  save(): AlertBookState {
    return { tracked: [...this.tracked.values()], ended: this.ended };
  }

  /** Replaces the book with a saved one (at start, before any judgement). */
  restore(state: AlertBookState): void {
    this.tracked.clear();
    this.trackedPerRule.clear();
    for (const tracked of state.tracked) this.track(tracked);
    this.ended.splice(0, this.ended.length, ...state.ended.slice(-this.historySize));
    this.endedBy = undefined;
  }

  /**
   * The evaluation times (window ends) at which the fingerprint's alert was pending or firing, as
   * [from, to) spans, oldest first: the windows its detector kept out of its baseline, so a detector
   * warmed again from history keeps them out too.
   */
  activeSpans(fingerprint: string): Array<[number, number]> {
    const spans: Array<[number, number]> = [];
    for (const alert of this.endedByFingerprint().get(fingerprint) ?? [])
      if (alert.firedAt !== undefined)
        spans.push([alert.activeAt, alert.resolvedAt ?? Number.POSITIVE_INFINITY]);
    const open = this.tracked.get(fingerprint)?.alert;
    if (open) spans.push([open.activeAt, Number.POSITIVE_INFINITY]);
    return spans;
  }

  /** Whether any episode of the rule may be known: when not, its series need no activeSpans lookup. */
  mayHaveEpisodes(ruleId: string): boolean {
    if (this.tracked.size > 0) return true;
    this.endedByFingerprint();
    return this.endedRules.has(ruleId);
  }

  private endedByFingerprint(): Map<string, Alert[]> {
    if (!this.endedBy) {
      this.endedRules.clear();
      // Built on demand: detectors are warmed in bursts (start, reload), episodes end rarely.
      this.endedBy = new Map();
      for (const alert of this.ended) {
        const list = this.endedBy.get(alert.fingerprint) ?? [];
        list.push(alert);
        this.endedBy.set(alert.fingerprint, list);
        this.endedRules.add(alert.rule);
      }
    }
    return this.endedBy;
  }

  /** Open episodes, then ended ones, newest first; optionally one state only. */
  list(state?: AlertState): Alert[] {
    const open = [...this.tracked.values()].flatMap((tracked) => (tracked.alert ? [tracked.alert] : []));
    const all = [...open.sort((a, b) => b.activeAt - a.activeAt), ...[...this.ended].reverse()];
    return state ? all.filter((alert) => alert.state === state) : all;
  }

  get(id: string): Alert | undefined {
    return this.list().find((alert) => alert.id === id);
  }

  /** Ends the open episodes of rules that no longer exist; returns their resolve events. */
  retireRules(keep: (ruleId: string) => boolean, time: number): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const tracked of [...this.tracked.values()]) {
      if (keep(tracked.identity.rule)) continue;
      this.untrack(tracked);
      const alert = tracked.alert;
      if (!alert) continue;
      const wasFiring = alert.state === "firing";
      alert.state = "resolved";
      alert.resolvedAt = time;
      if (alert.stage) alert.stage = "resolved";
      alert.annotations = { ...alert.annotations, resolution: "the rule was removed or changed" };
      alert.history.push({ at: time, event: "resolved", severity: alert.severity, value: alert.last.value });
      this.remember(alert);
      if (wasFiring) events.push({ type: "resolved", alert });
    }
    return events;
  }

  private track(tracked: Tracked): void {
    const { fingerprint, rule } = tracked.identity;
    const known = this.tracked.has(fingerprint);
    this.tracked.set(fingerprint, tracked); // a saved state listing one twice: the last wins, as before
    if (!known) this.trackedPerRule.set(rule, (this.trackedPerRule.get(rule) ?? 0) + 1);
  }

  private untrack(tracked: Tracked): void {
    const { fingerprint, rule } = tracked.identity;
    if (!this.tracked.delete(fingerprint)) return;
    const left = (this.trackedPerRule.get(rule) ?? 1) - 1;
    if (left > 0) this.trackedPerRule.set(rule, left);
    else this.trackedPerRule.delete(rule);
  }

  private remember(alert: Alert): void {
    this.endedBy = undefined;
    this.ended.push(alert);
    if (this.ended.length > this.historySize) this.ended.shift();
  }
}
