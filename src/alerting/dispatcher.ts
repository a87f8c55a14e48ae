// Decides who is told what, and when: alert events go down the routing tree into groups; at each tick
// the groups that are due give per-incident changes, the Muter holds what is silenced, inhibited or in
// a mute window, and every change goes to the route's receiver and to whoever the incident was
// escalated to. Unacknowledged firing alerts escalate along their route's steps; an acknowledgement
// stops that and is told to everyone who was paged; a silence that ends on an alert that resolved
// meanwhile is told too. Pure decisions over `now`: sending is the outbox's job.
import type { Alert, AlertEvent, PageEvent } from "../model/index.js";
import { formatDuration } from "../util/duration.js";
import { AlertGroups } from "./grouping.js";
import type { GroupsState } from "./grouping.js";
import type { FiringAlert } from "./inhibit.js";
import { alertLabels } from "./matchers.js";
import type { MuteReason, Muter } from "./muter.js";
import type { Route } from "./route-tree.js";
import { routeAlert, routesById } from "./route-tree.js";
import type { Silences } from "./silences.js";
import { silenceEndNotices } from "./silences.js";

/** One message for one receiver about one incident (alert episode). */
export interface Page {
  receiver: string;
  event: PageEvent;
  /** The live alert: whoever keeps the page must copy it. */
  alert: Alert;
  /** Tocsin's own line about this page (escalation, silence ended). */
  note?: string;
  /**
   * The page's identity, the same whenever the same decision is made again (after a restart the
   * windows since the last snapshot are judged again): the outbox sends a key once per receiver, and
   * webhooks carry it as Idempotency-Key.
   */
  key: string;
}

export interface DispatcherOptions {
  route: Route;
  muter: Muter;
  silences: Silences;
  /** Every alert known, open and recently ended: the candidates for silence-end notices. */
  alerts: () => readonly Alert[];
  /** Called when an alert's pages start being held, or held for another reason (metrics, logs). */
  onHeld?: (alert: Alert, reason: MuteReason) => void;
  /** Resolved incidents are forgotten this long after they resolved (acks and notices need them). */
  retentionMs?: number;
}

interface Incident {
  alert: Alert;
  /** Receivers paged about this incident; its later events go to all of them. */
  paged: Set<string>;
  /** Receivers it was escalated to: told of every later change, whichever route the change took. */
  escalatedTo: Set<string>;
  /** `${receiver}|${event}|${severity}` already sent: a change seen by two routes is told once. */
  sent: Set<string>;
  escalation?: { route: Route; next: number; since: number };
  /** Reminders told so far: the identity of the next one. */
  reminders: number;
}

/** The dispatcher's state as plain data, saved with the series so a restart pages as if none happened. */
export interface DispatcherState {
  groups: GroupsState;
  firing: FiringAlert[];
  incidents: Array<{
    alert: Alert;
    paged: string[];
    escalatedTo: string[];
    sent: string[];
    escalation?: { route: string; next: number; since: number };
    reminders: number;
  }>;
  silencesCheckedAt?: number;
}

const DAY_MS = 86_400_000;
/** Hold reasons remembered for the API; alerts held until they resolved would pile up otherwise. */
const MAX_HELD = 10_000;

export class Dispatcher {
  private readonly groups = new AlertGroups();
  private readonly firing = new Map<string, FiringAlert>();
  private readonly incidents = new Map<string, Incident>();
  private readonly heldBy = new Map<string, MuteReason>();
  private silencesCheckedAt: number | undefined;

  constructor(private readonly options: DispatcherOptions) {}

  /** Takes in one lifecycle event; what it leads to is told by later ticks. */
  observe(event: AlertEvent, now: number): void {
    const { alert } = event;
    if (event.type === "pending") return;
    if (event.type === "resolved") this.firing.delete(alert.fingerprint);
    else this.firing.set(alert.fingerprint, { fingerprint: alert.fingerprint, labels: alertLabels(alert) });
    const incident = this.incidents.get(alert.id);
    if (incident) incident.alert = keepAcknowledgement(alert, incident.alert);
    for (const route of routeAlert(this.options.route, alertLabels(alert)))
      this.groups.add(route, event, now);
  }

  /**
   * The pages due at `now`: group changes, escalation steps, silence-end notices. `final` ends a
   * finite replay: every group is told now, whatever its timer.
   */
  tick(now: number, { final = false }: { final?: boolean } = {}): Page[] {
    const pages: Page[] = [];
    // The inhibition sources, listed once per tick rather than once per alert checked.
    const firing = [...this.firing.values()];
    const held = (alert: Alert, route: Route) => this.held(alert, route, now, firing) !== undefined;
    for (const flush of this.groups.due(now, { held, final }))
      for (const { alert, event } of flush.changes) pages.push(...this.tell(flush.route, alert, event, now));
    pages.push(...this.escalate(now, firing), ...this.silenceEnds(now));
    this.forget(now);
    return pages;
  }

  /** Tells everyone paged about the alert that a person took it in hand, and stops its escalation. */
  acknowledge(alert: Alert): Page[] {
    // Kept even when nobody was paged yet (group_wait, a silence): its first page must not escalate.
    const incident = this.incident(alert);
    delete incident.escalation;
    return [...incident.paged].flatMap((receiver) => this.page(incident, receiver, "acknowledged"));
  }

  /** Everything the next decisions depend on, as plain data (alerts are copied by the caller's JSON). */
  save(): DispatcherState {
    return {
      groups: this.groups.save(),
      firing: [...this.firing.values()],
      incidents: [...this.incidents.values()].map((incident) => ({
        alert: incident.alert,
        paged: [...incident.paged],
        escalatedTo: [...incident.escalatedTo],
        sent: [...incident.sent],
        ...(incident.escalation
          ? {
              escalation: {
                route: incident.escalation.route.id,
                next: incident.escalation.next,
                since: incident.escalation.since,
              },
            }
          : {}),
        reminders: incident.reminders,
      })),
      ...(this.silencesCheckedAt === undefined ? {} : { silencesCheckedAt: this.silencesCheckedAt }),
    };
  }

  /**
   * Takes back a saved state. Routes are found again by position in the tree; groups and escalations
   * of routes the configuration no longer has are dropped.
   */
  restore(state: DispatcherState): void {
    const routes = routesById(this.options.route);
    this.groups.restore(state.groups, routes);
    this.firing.clear();
    for (const alert of state.firing) this.firing.set(alert.fingerprint, alert);
    this.incidents.clear();
    for (const saved of state.incidents) {
      const route = saved.escalation && routes.get(saved.escalation.route);
      this.incidents.set(saved.alert.id, {
        alert: saved.alert,
        paged: new Set(saved.paged),
        escalatedTo: new Set(saved.escalatedTo),
        sent: new Set(saved.sent),
        ...(saved.escalation && route
          ? { escalation: { route, next: saved.escalation.next, since: saved.escalation.since } }
          : {}),
        reminders: saved.reminders,
      });
    }
    this.silencesCheckedAt = state.silencesCheckedAt;
  }

  /** Why the alert's pages are held now, if they are (for the API). */
  heldReason(alertId: string): MuteReason | undefined {
    return this.heldBy.get(alertId);
  }

  private held(
    alert: Alert,
    route: Route,
    now: number,
    firing: readonly FiringAlert[],
  ): MuteReason | undefined {
    const reason = this.options.muter.mutes(alertLabels(alert), now, {
      fingerprint: alert.fingerprint,
      firing,
      route,
    });
    const before = this.heldBy.get(alert.id);
    if (!reason) this.heldBy.delete(alert.id);
    else {
      this.heldBy.delete(alert.id); // re-inserted last: the oldest entries go first below
      this.heldBy.set(alert.id, reason);
      for (const id of this.heldBy.keys()) {
        if (this.heldBy.size <= MAX_HELD) break;
        this.heldBy.delete(id);
      }
      if (JSON.stringify(before) !== JSON.stringify(reason)) this.options.onHeld?.(alert, reason);
    }
    return reason;
  }

  /** One change of one incident on one route: its receiver and the incident's escalation receivers. */
  private tell(route: Route, alert: Alert, event: Page["event"], now: number): Page[] {
    const incident = this.incident(alert);
    const receivers = new Set([route.receiver, ...(event === "reminder" ? [] : incident.escalatedTo)]);
    const pages = [...receivers].flatMap((receiver) => this.page(incident, receiver, event));
    if (
      event === "firing" &&
      !incident.escalation &&
      route.escalate.length > 0 &&
      !incident.alert.acknowledged
    )
      incident.escalation = { route, next: 0, since: now };
    return pages;
  }

  private page(incident: Incident, receiver: string, event: PageEvent, note?: string): Page[] {
    const { alert } = incident;
    let key: string;
    if (event === "reminder") {
      incident.reminders += 1;
      key = pageKey(alert, event, incident.reminders);
    } else {
      // Each escalation (a raised severity or a worse crisis stage) is told once per receiver.
      key = pageKey(alert, event, event === "escalated" ? escalations(alert) : undefined);
      const sent = `${receiver}|${key}`;
      if (incident.sent.has(sent)) return [];
      incident.sent.add(sent);
    }
    incident.paged.add(receiver);
    return [{ receiver, event, alert, key, ...(note === undefined ? {} : { note }) }];
  }

  /** Pages the next receivers of unacknowledged firing incidents whose escalation delay has passed. */
  private escalate(now: number, firing: readonly FiringAlert[]): Page[] {
    const pages: Page[] = [];
    for (const incident of this.incidents.values()) {
      const { escalation, alert } = incident;
      if (!escalation) continue;
      if (alert.state !== "firing" || alert.acknowledged) {
        delete incident.escalation;
        continue;
      }
      const step = escalation.route.escalate[escalation.next];
      if (!step) {
        delete incident.escalation;
        continue;
      }
      // One step per tick, and none while the route is held: escalation never outruns a silence.
      if (now < escalation.since + step.afterMs || this.held(alert, escalation.route, now, firing)) continue;
      escalation.next += 1;
      incident.escalatedTo.add(step.receiver);
      const note = `Escalated: not acknowledged within ${formatDuration(step.afterMs)} of the first page to ${escalation.route.receiver}.`;
      pages.push(...this.page(incident, step.receiver, "firing", note));
    }
    return pages;
  }

  /** For each silence that ended since the last tick, the alerts it held that resolved meanwhile. */
  private silenceEnds(now: number): Page[] {
    const since = this.silencesCheckedAt ?? now;
    this.silencesCheckedAt = now;
    if (since >= now) return [];
    const pages: Page[] = [];
    const alerts = this.options.alerts();
    for (const notice of silenceEndNotices(this.options.silences, alerts, since, now)) {
      const alert = alerts.find((a) => a.id === notice.alertId);
      if (!alert) continue;
      const incident = this.incident(alert);
      // Those paged when it fired, or else those its routes would have paged.
      const receivers =
        incident.paged.size > 0
          ? [...incident.paged]
          : routeAlert(this.options.route, alertLabels(alert)).map((route) => route.receiver);
      for (const receiver of new Set(receivers))
        pages.push(...this.page(incident, receiver, "resolved", `${notice.text}.`));
    }
    return pages;
  }

  private incident(alert: Alert): Incident {
    let incident = this.incidents.get(alert.id);
    if (!incident) {
      incident = { alert, paged: new Set(), escalatedTo: new Set(), sent: new Set(), reminders: 0 };
      this.incidents.set(alert.id, incident);
    }
    incident.alert = keepAcknowledgement(alert, incident.alert);
    return incident;
  }

  private forget(now: number): void {
    const retention = this.options.retentionMs ?? 8 * DAY_MS;
    for (const [id, incident] of this.incidents) {
      const resolvedAt = incident.alert.resolvedAt;
      if (resolvedAt !== undefined && resolvedAt < now - retention) {
        this.incidents.delete(id);
        this.heldBy.delete(id);
      }
    }
  }
}

/**
 * The alert a group or an event holds is a copy taken when it changed state; an acknowledgement made
 * since is only on the live alert the incident was told of, so it is carried over to the newer copy.
 */
function keepAcknowledgement(alert: Alert, known: Alert): Alert {
  return alert.acknowledged || !known.acknowledged ? alert : { ...alert, acknowledged: known.acknowledged };
}

/**
 * A page's identity: the episode, the event and, for events an episode has several of, which one
 * (the escalation count, the reminder count). Per receiver, each is told once.
 */
export function pageKey(alert: Alert, event: PageEvent, nth?: number): string {
  return `${alert.id}:${event}${nth === undefined ? "" : `:${nth}`}`;
}

/** How many times the incident escalated so far: the identity of its latest escalation. */
const escalations = (alert: Alert): number =>
  alert.history.reduce((count, change) => count + (change.event === "escalated" ? 1 : 0), 0);
