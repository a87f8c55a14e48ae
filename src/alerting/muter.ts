// The one Muter (style.md): whether a page is held, and why, so the page and the API can say so.
// Checked in order: a silence (a person's explicit decision, with an end), inhibition by a firing
// alert, then the route's mute windows (mute_time_intervals holding, or active_time_intervals not).
// Alertmanager runs the same checks as separate stages (notify/mute.go); one answer with a reason is
// what we need. The campaign calendar will be another kind here.
import type { Labels } from "../model/index.js";
import type { FiringAlert, InhibitRule } from "./inhibit.js";
import { inhibitedBy } from "./inhibit.js";
import type { MuteWindow } from "./mute-windows.js";
import { activeWindow } from "./mute-windows.js";
import type { Route } from "./route-tree.js";
import type { Silences } from "./silences.js";

export type MuteReason =
  | { kind: "silence"; id: string; until: number; createdBy: string; comment: string }
  | { kind: "inhibition"; name: string; by: string }
  | { kind: "mute_window"; name: string; outsideActive?: true };

export interface MuteContext {
  /** The alert's own fingerprint, so it does not inhibit itself. */
  fingerprint?: string;
  /** The alerts firing now (the inhibition sources). */
  firing?: readonly FiringAlert[];
  /** The route the page would take; its mute windows apply. */
  route?: Route;
}

export interface MuterParts {
  silences: Silences;
  inhibitRules?: readonly InhibitRule[];
  muteWindows?: readonly MuteWindow[];
}

export class Muter {
  constructor(private readonly parts: MuterParts) {}

  /** Why a page for these labels is held at `now`, or undefined if it may go out. */
  mutes(labels: Labels, now: number, context: MuteContext = {}): MuteReason | undefined {
    const silence = this.parts.silences.silencedBy(labels, now)[0];
    if (silence)
      return {
        kind: "silence",
        id: silence.id,
        until: silence.endsAt,
        createdBy: silence.createdBy,
        comment: silence.comment,
      };

    const rules = this.parts.inhibitRules ?? [];
    if (rules.length > 0 && context.firing) {
      const target = { fingerprint: context.fingerprint ?? "", labels };
      const inhibition = inhibitedBy(rules, target, context.firing);
      if (inhibition) return { kind: "inhibition", name: inhibition.rule, by: inhibition.source };
    }

    const route = context.route;
    if (route) {
      const windows = this.parts.muteWindows ?? [];
      const muted = activeWindow(windows, route.muteTimeIntervals, now);
      if (muted) return { kind: "mute_window", name: muted };
      if (route.activeTimeIntervals.length > 0 && !activeWindow(windows, route.activeTimeIntervals, now))
        return { kind: "mute_window", name: route.activeTimeIntervals.join(", "), outsideActive: true };
    }
    return undefined;
  }
}
