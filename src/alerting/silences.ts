// Silences: a person holds the pages of alerts that match some labels from startsAt to endsAt.
// Kept as plain data (toJSON / fromJSON) for the silences file and GET|POST|DELETE /v1/silences;
// only the set and its queries live here (Alertmanager's silence.go also does gossip, GC and a
// snapshot format in one file; we keep to the data). When a silence ends, the alerts it held that
// resolved meanwhile are told once, so nobody is left wondering (`silenceEndNotices`).
import { z } from "zod";
import type { Alert, Labels } from "../model/index.js";
import type { Matcher } from "./matchers.js";
import { alertLabels, formatMatcher, matcherJSON, matches, matchersSchema } from "./matchers.js";

export interface Silence {
  id: string;
  matchers: readonly Matcher[];
  /** Epoch ms, inclusive. */
  startsAt: number;
  /** Epoch ms, exclusive. */
  endsAt: number;
  createdBy: string;
  comment: string;
}

export type SilenceState = "pending" | "active" | "expired";

const instant = (what: string) =>
  z
    .union([z.string(), z.number()])
    .describe(`${what}: ISO 8601 with offset, or epoch milliseconds.`)
    .transform((input, context) => {
      const ms = typeof input === "number" ? input : Date.parse(input);
      if (!Number.isFinite(ms)) {
        context.addIssue({ code: "custom", message: `expected a time such as 2026-03-06T09:00:00Z` });
        return z.NEVER;
      }
      return ms;
    });

/** The fields of a silence, before the check that it ends after it starts. */
export const silenceFields = z.strictObject({
  id: z.string().min(1).describe("Unique id of the silence."),
  matchers: matchersSchema.min(1).describe("Alerts matching all of these are silenced."),
  startsAt: instant("When the silence starts"),
  endsAt: instant("When the silence ends"),
  createdBy: z.string().min(1).describe("Who created the silence."),
  comment: z.string().min(1).describe("Why: shown with every held page."),
});

/** One silence as stored in the silences file or posted to the API. */
export const silenceSchema = silenceFields.refine((s) => s.endsAt > s.startsAt, {
  message: "endsAt must be after startsAt",
  path: ["endsAt"],
});

export const silencesFileSchema = z.array(silenceSchema).describe("Silences, as saved by Tocsin.");

export function silenceState(silence: Silence, now: number): SilenceState {
  if (now < silence.startsAt) return "pending";
  return now < silence.endsAt ? "active" : "expired";
}

export class Silences {
  private readonly byId = new Map<string, Silence>();

  constructor(silences: readonly Silence[] = []) {
    for (const silence of silences) this.add(silence);
  }

  /** Reads the persisted form; throws the zod error on a bad file. */
  static fromJSON(data: unknown): Silences {
    return new Silences(silencesFileSchema.parse(data));
  }

  /** Adds or replaces (same id) a silence. */
  add(silence: Silence): void {
    if (!(silence.endsAt > silence.startsAt))
      throw new Error(`silence ${silence.id}: endsAt must be after startsAt`);
    if (silence.matchers.length === 0) throw new Error(`silence ${silence.id}: needs at least one matcher`);
    this.byId.set(silence.id, silence);
  }

  /** Puts back a silence as it was (undefined: removes it): undoing a change that could not be saved. */
  restore(id: string, previous: Silence | undefined): void {
    if (previous) this.byId.set(id, previous);
    else this.byId.delete(id);
  }

  /**
   * Ends a silence now, so that it is expired at `now` (a pending one ends before it starts); false if
   * unknown or already expired. endsAt stays after startsAt: one that starts at `now` or later is
   * moved to start 1 ms before, rather than end 1 ms after, which would leave it active at `now`.
   */
  expire(id: string, now: number): boolean {
    const silence = this.byId.get(id);
    if (!silence || silenceState(silence, now) === "expired") return false;
    this.byId.set(id, { ...silence, startsAt: Math.min(silence.startsAt, now - 1), endsAt: now });
    return true;
  }

  get(id: string): Silence | undefined {
    return this.byId.get(id);
  }

  /** Every silence with its state, by start time. */
  list(now: number): Array<Silence & { state: SilenceState }> {
    return [...this.byId.values()]
      .sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id))
      .map((s) => ({ ...s, state: silenceState(s, now) }));
  }

  active(now: number): Silence[] {
    return this.list(now).filter((s) => s.state === "active");
  }

  /** The active silences that hold these labels, the one ending last first. */
  silencedBy(labels: Labels, now: number): Silence[] {
    return this.active(now)
      .filter((s) => matches(s.matchers, labels))
      .sort((a, b) => b.endsAt - a.endsAt);
  }

  /** Silences that ended in (since, now]: the ones whose end notices are due. */
  endedBetween(since: number, now: number): Silence[] {
    return [...this.byId.values()].filter((s) => s.endsAt > since && s.endsAt <= now);
  }

  /** Drops silences that expired before `before` (retention). */
  forget(before: number): void {
    for (const [id, s] of this.byId) if (s.endsAt < before) this.byId.delete(id);
  }

  toJSON() {
    return [...this.byId.values()].map((s) => ({
      ...s,
      matchers: s.matchers.map(matcherJSON),
      startsAt: new Date(s.startsAt).toISOString(),
      endsAt: new Date(s.endsAt).toISOString(),
    }));
  }
}

export interface SilenceEndNotice {
  silenceId: string;
  alertId: string;
  fingerprint: string;
  resolvedAt: number;
  text: string;
}

/**
 * The alerts a silence held that resolved while it lasted: their resolved pages (and the firing ones,
 * if they fired under the silence) were never sent, so when the silence ends people hear "it is over"
 * rather than nothing, or rather than believing a page from before the silence still stands. Alerts still firing at the
 * end are not here: the normal path pages them.
 */
export function endedWhileResolved(silence: Silence, alerts: readonly Alert[]): SilenceEndNotice[] {
  const notices: SilenceEndNotice[] = [];
  for (const alert of alerts) {
    const resolvedAt = alert.resolvedAt;
    if (alert.firedAt === undefined || resolvedAt === undefined) continue;
    // Resolved while the silence held it: the resolved page (and maybe the firing one) was never sent.
    if (resolvedAt < silence.startsAt || resolvedAt >= silence.endsAt) continue;
    if (!matches(silence.matchers, alertLabels(alert))) continue;
    notices.push({
      silenceId: silence.id,
      alertId: alert.id,
      fingerprint: alert.fingerprint,
      resolvedAt,
      text:
        `silence ${silence.id} (${silence.matchers.map(formatMatcher).join(", ")}) ended; ` +
        `alert ${alert.name} ${alert.id} resolved meanwhile at ${new Date(resolvedAt).toISOString()}`,
    });
  }
  return notices.sort((a, b) => a.resolvedAt - b.resolvedAt);
}

/** End notices for every silence that ended in (since, now], given the alerts known (open and ended). */
export function silenceEndNotices(
  silences: Silences,
  alerts: readonly Alert[],
  since: number,
  now: number,
): SilenceEndNotice[] {
  return silences.endedBetween(since, now).flatMap((s) => endedWhileResolved(s, alerts));
}
