// Plain-language backtest metrics beside NAB's score, read off the same match (nab-match.ts), so
// probation and "which detection counts" agree with NAB:
// - windows caught: scored windows (a row after probation) with a detection after probation.
// - false alerts per week: detected rows after probation outside every window, divided by the
//   scored span in weeks, last timestamp minus the timestamp of the first row after probation.
// - lead time of a caught window: label time minus the time of its first detection after
//   probation (positive = the alert came before the label). The label time is the earliest
//   combined_labels.json point inside the window, or the window's centre (start + end) / 2.
import { matchFile, type NabFileInput, type NabFileMatch } from "./nab-match.js";

const WEEK_MS = 7 * 24 * 3_600_000;

export interface NabMetricsInput extends NabFileInput {
  /** This file's labelled anomaly points (combined_labels.json), epoch ms. */
  readonly labels?: readonly number[];
}

export interface NabLeadTime {
  /** Index into the input's windows. */
  readonly window: number;
  readonly labelTime: number;
  /** True when no labelled point lies in the window and its centre stood in. */
  readonly labelIsCentre: boolean;
  readonly detectionTime: number;
  /** labelTime - detectionTime; positive means the alert came first. */
  readonly leadMs: number;
}

export interface NabFileMetrics {
  readonly windows: number;
  readonly windowsCaught: number;
  readonly falseAlerts: number;
  /** Scored span, ms (0 with fewer than two scored rows). */
  readonly scoredMs: number;
  readonly leadTimes: readonly NabLeadTime[];
}

/** `match` is matchFile(input), when the caller already has it (evaluate.ts scores the same match). */
export function nabFileMetrics(
  input: NabMetricsInput,
  match: NabFileMatch = matchFile(input),
): NabFileMetrics {
  const labels = input.labels ?? [];
  const scored = match.windows.filter((window) => window.scored);
  const leadTimes: NabLeadTime[] = [];
  match.windows.forEach((window, k) => {
    if (!window.scored || window.detectionTime === null) return;
    const inside = labels.filter((time) => time >= window.start && time <= window.end);
    const label = inside.length > 0 ? Math.min(...inside) : undefined;
    const labelTime = label ?? (window.start + window.end) / 2;
    const detectionTime = window.detectionTime;
    leadTimes.push({
      window: k,
      labelTime,
      labelIsCentre: label === undefined,
      detectionTime,
      leadMs: labelTime - detectionTime,
    });
  });
  const first = input.timestamps[match.probationRows];
  const last = input.timestamps.at(-1);
  return {
    windows: scored.length,
    windowsCaught: leadTimes.length,
    falseAlerts: match.falsePositives.length,
    scoredMs: first === undefined || last === undefined ? 0 : last - first,
    leadTimes,
  };
}

export interface NabMetricsSummary {
  readonly windows: number;
  readonly windowsCaught: number;
  /** windowsCaught / windows, null without windows. */
  readonly caughtFraction: number | null;
  readonly falseAlerts: number;
  readonly scoredWeeks: number;
  /** falseAlerts / scoredWeeks, null when nothing was scored. */
  readonly falseAlertsPerWeek: number | null;
  /** Mean over every caught window of every file (not a mean of file means); null when none. */
  readonly meanLeadMs: number | null;
}

/** Pools file metrics: counts and spans add up, lead times are averaged window by window. */
export function summariseNabMetrics(files: readonly NabFileMetrics[]): NabMetricsSummary {
  const sum = (pick: (file: NabFileMetrics) => number) => files.reduce((total, f) => total + pick(f), 0);
  const windows = sum((f) => f.windows);
  const windowsCaught = sum((f) => f.windowsCaught);
  const falseAlerts = sum((f) => f.falseAlerts);
  const scoredWeeks = sum((f) => f.scoredMs) / WEEK_MS;
  const leads = files.flatMap((f) => f.leadTimes.map((lead) => lead.leadMs));
  return {
    windows,
    windowsCaught,
    caughtFraction: windows > 0 ? windowsCaught / windows : null,
    falseAlerts,
    scoredWeeks,
    falseAlertsPerWeek: scoredWeeks > 0 ? falseAlerts / scoredWeeks : null,
    meanLeadMs: leads.length > 0 ? leads.reduce((a, b) => a + b, 0) / leads.length : null,
  };
}
