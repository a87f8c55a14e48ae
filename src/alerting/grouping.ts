// The dispatcher's timing as a pure state machine per (route, group key), after Alertmanager's
// dispatch/dispatch.go (aggregation groups) and notify's DedupStage (nflog):
//   - A group is born with its first alert and ticks for the first time group_wait later.
//   - After every tick the next one is due group_interval later, so changes are told no sooner than
//     group_interval after the previous tick.
//   - A tick sends when the group changed since the last notification: a firing alert that was not in
//     it, an alert resolved since (send_resolved, always on here) or an escalation (Alertmanager would
//     see a new label set; our fingerprint stays, so the change is recorded). Without a change, a group
//     that still has firing alerts is sent again once repeat_interval has passed since the last
//     notification. A group that was never told and has nothing firing sends nothing.
//   - Each incident (alert episode) is its own thread in the channels, so a flush lists per-alert
//     changes rather than re-sending the whole group as Alertmanager does; held alerts (silenced,
//     inhibited, muted) are left out and stay untold, as Alertmanager's nflog would have it.
//   - Resolved alerts are in the batch of the tick that follows them, then dropped; an empty group is
//     forgotten (its next alert starts a new group with a new group_wait).
// Differences kept on purpose: Alertmanager flushes a new group at once when its first alert is older
// than group_wait; here the first tick is always group_wait after the group was born. `pending`
// events are not for people and are ignored. Time is an argument; the caller calls due(now) on a tick.
import type { Alert, AlertEvent, Labels, PageEvent } from "../model/index.js";
import { alertLabels } from "./matchers.js";
import type { Route } from "./route-tree.js";

export type FlushReason = "group_wait" | "group_interval" | "repeat_interval";

export interface Flush {
  receiver: string;
  route: Route;
  groupKey: string;
  /** The group_by labels and their values. */
  groupLabels: Labels;
  /** Firing alerts first, then those resolved since the previous tick. */
  alerts: Alert[];
  /**
   * What to tell of each alert, one thread per incident: a firing alert not told yet, an escalation,
   * a resolution of a told alert; on a repeat_interval tick, a reminder of each firing one.
   */
  changes: Change[];
  reason: FlushReason;
}

export interface Change {
  alert: Alert;
  event: Exclude<PageEvent, "acknowledged">;
}

export interface DueOptions {
  /** Alerts whose pages are held now (silence, inhibition, mute window): left out and left untold. */
  held?: (alert: Alert, route: Route) => boolean;
  /** The end of a finite replay: tick every group now, whatever its timer, and send no reminders. */
  final?: boolean;
}

interface Group {
  route: Route;
  key: string;
  labels: Labels;
  alerts: Map<string, Alert>;
  nextTickAt: number;
  ticked: boolean;
  /** Fingerprints firing in the last notification; undefined if never told. */
  told?: Set<string>;
  lastToldAt?: number;
  /** Fingerprints that escalated since the last notification. */
  escalated: Set<string>;
}

/** The groups as plain data: a group's route by its id in the tree, sets as arrays. */
export type GroupsState = Array<{
  route: string;
  key: string;
  labels: Labels;
  alerts: Alert[];
  nextTickAt: number;
  ticked: boolean;
  told?: string[];
  lastToldAt?: number;
  escalated: string[];
}>;

/** The group_by labels of an alert and the key naming its group within the route. */
export function groupKeyOf(route: Route, labels: Labels): { key: string; labels: Labels } {
  const names = route.groupBy === "all" ? Object.keys(labels).sort() : [...route.groupBy].sort();
  const picked: Record<string, string> = {};
  for (const name of names) picked[name] = labels[name] ?? "";
  const body = names.map((name) => `${name}=${JSON.stringify(picked[name])}`).join(",");
  return { key: `${route.id}:{${body}}`, labels: picked };
}

export class AlertGroups {
  private readonly groups = new Map<string, Group>();

  /** Puts an alert event in its group of the route (call once per route returned by routeAlert). */
  add(route: Route, event: AlertEvent, now: number): void {
    if (event.type === "pending") return;
    const { key, labels } = groupKeyOf(route, alertLabels(event.alert));
    let group = this.groups.get(key);
    if (!group) {
      if (event.type === "resolved") return; // nothing was told of it in this group
      group = {
        route,
        key,
        labels,
        alerts: new Map(),
        nextTickAt: now + route.groupWaitMs,
        ticked: false,
        escalated: new Set(),
      };
      this.groups.set(key, group);
    }
    group.alerts.set(event.alert.fingerprint, event.alert);
    if (event.type === "escalated") group.escalated.add(event.alert.fingerprint);
  }

  /** Ticks every group whose tick is due and returns the notifications to send. */
  due(now: number, options: DueOptions = {}): Flush[] {
    const out: Flush[] = [];
    for (const group of [...this.groups.values()].sort((a, b) => a.nextTickAt - b.nextTickAt)) {
      if (group.nextTickAt > now && !options.final) continue;
      const flush = this.tick(group, now, options);
      if (flush) out.push(flush);
    }
    return out;
  }

  /** When the earliest group ticks next (for the caller's timer), or undefined when there is none. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const group of this.groups.values())
      if (next === undefined || group.nextTickAt < next) next = group.nextTickAt;
    return next;
  }

  save(): GroupsState {
    return [...this.groups.values()].map((group) => ({
      route: group.route.id,
      key: group.key,
      labels: group.labels,
      alerts: [...group.alerts.values()],
      nextTickAt: group.nextTickAt,
      ticked: group.ticked,
      ...(group.told ? { told: [...group.told] } : {}),
      ...(group.lastToldAt === undefined ? {} : { lastToldAt: group.lastToldAt }),
      escalated: [...group.escalated],
    }));
  }

  /** Replaces the groups with saved ones; those whose route is gone from the tree are dropped. */
  restore(state: GroupsState, routes: ReadonlyMap<string, Route>): void {
    this.groups.clear();
    for (const saved of state) {
      const route = routes.get(saved.route);
      if (!route) continue;
      this.groups.set(saved.key, {
        route,
        key: saved.key,
        labels: saved.labels,
        alerts: new Map(saved.alerts.map((alert) => [alert.fingerprint, alert])),
        nextTickAt: saved.nextTickAt,
        ticked: saved.ticked,
        ...(saved.told ? { told: new Set(saved.told) } : {}),
        ...(saved.lastToldAt === undefined ? {} : { lastToldAt: saved.lastToldAt }),
        escalated: new Set(saved.escalated),
      });
    }
  }

  /** Number of live groups (for metrics). */
  get size(): number {
    return this.groups.size;
  }

  private tick(group: Group, now: number, options: DueOptions): Flush | undefined {
    const held = (alert: Alert) => options.held?.(alert, group.route) ?? false;
    const firing = [...group.alerts.values()].filter((a) => a.state !== "resolved");
    const resolved = [...group.alerts.values()].filter((a) => a.state === "resolved");
    const told = group.told;
    const changes: Change[] = [];
    for (const alert of firing) {
      if (held(alert)) continue;
      if (!told?.has(alert.fingerprint)) changes.push({ alert, event: "firing" });
      else if (group.escalated.has(alert.fingerprint)) changes.push({ alert, event: "escalated" });
    }
    for (const alert of resolved)
      if (told?.has(alert.fingerprint) && !held(alert)) changes.push({ alert, event: "resolved" });
    let reason: FlushReason | undefined;
    if (changes.length > 0) reason = group.ticked ? "group_interval" : "group_wait";
    else if (!options.final && told && now - (group.lastToldAt ?? now) >= group.route.repeatIntervalMs) {
      for (const alert of firing)
        if (told.has(alert.fingerprint) && !held(alert)) changes.push({ alert, event: "reminder" });
      if (changes.length > 0) reason = "repeat_interval";
    }

    group.ticked = true;
    group.nextTickAt = now + group.route.groupIntervalMs;
    for (const alert of resolved) group.alerts.delete(alert.fingerprint);
    if (group.alerts.size === 0) this.groups.delete(group.key);
    if (!reason) return undefined;
    // Told: what was told before and still fires, plus what was told now. A held alert stays untold,
    // so when its silence or mute window ends the next tick tells it.
    const nowTold = new Set(firing.filter((a) => told?.has(a.fingerprint)).map((a) => a.fingerprint));
    for (const { alert, event } of changes) {
      if (event !== "resolved") nowTold.add(alert.fingerprint);
      group.escalated.delete(alert.fingerprint);
    }
    group.told = nowTold;
    group.lastToldAt = now;
    return {
      receiver: group.route.receiver,
      route: group.route,
      groupKey: group.key,
      groupLabels: group.labels,
      alerts: [...firing, ...resolved],
      changes,
      reason,
    };
  }
}
