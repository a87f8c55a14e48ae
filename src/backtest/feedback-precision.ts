// Each rule's precision from people's feedback (data_dir/feedback.jsonl, POST /v1/alerts/:id/feedback):
// the verdicts are labels given after the fact. Per alert the latest verdict counts; "expected"
// (a planned launch, a known event) says the alert was right about the data but not worth a page,
// so it counts as neither a hit nor a false alarm: precision = real / (real + false alarms).
import type { FeedbackRecord } from "../alerting/feedback-book.js";
import { readFeedback } from "../alerting/feedback-book.js";

export interface RulePrecision {
  /** group/alert of the rule, or "all". */
  rule: string;
  /** Alerts with at least one verdict. */
  alerts: number;
  real: number;
  expected: number;
  falseAlarms: number;
  /** real / (real + falseAlarms); null when neither was given. */
  precision: number | null;
}

export interface FeedbackPrecision {
  /** One row per rule, by name, then "all". */
  rules: RulePrecision[];
  note: string;
}

export const PRECISION_NOTE =
  "precision = real / (real + false alarms), from each alert's latest verdict; expected alerts count as neither";

export async function loadFeedbackPrecision(path: string): Promise<FeedbackPrecision> {
  return feedbackPrecision(await readFeedback(path));
}

/** Scores the records (in file order: a later line wins a tie on time). */
export function feedbackPrecision(records: readonly FeedbackRecord[]): FeedbackPrecision {
  const latest = new Map<string, FeedbackRecord>();
  for (const record of records) {
    const previous = latest.get(record.alertId);
    if (!previous || Date.parse(record.at) >= Date.parse(previous.at)) latest.set(record.alertId, record);
  }
  const rows = new Map<string, RulePrecision>();
  const all = emptyRow("all");
  for (const record of latest.values()) {
    let row = rows.get(record.rule);
    if (!row) rows.set(record.rule, (row = emptyRow(record.rule)));
    for (const target of [row, all]) count(target, record);
  }
  const sorted = [...rows.values()].sort((a, b) => a.rule.localeCompare(b.rule));
  return { rules: [...sorted, all].map(withPrecision), note: PRECISION_NOTE };
}

export function renderFeedbackPrecision(result: FeedbackPrecision): string {
  const header = ["rule", "alerts", "real", "expected", "false alarms", "precision"];
  const rows = result.rules.map((row) => [
    row.rule,
    String(row.alerts),
    String(row.real),
    String(row.expected),
    String(row.falseAlarms),
    row.precision === null ? "-" : `${(row.precision * 100).toFixed(0)}%`,
  ]);
  const widths = header.map((_, c) => Math.max(...[header, ...rows].map((row) => (row[c] ?? "").length)));
  const lines = [header, ...rows].map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n${result.note}\n`;
}

const emptyRow = (rule: string): RulePrecision => ({
  rule,
  alerts: 0,
  real: 0,
  expected: 0,
  falseAlarms: 0,
  precision: null,
});

function count(row: RulePrecision, record: FeedbackRecord): void {
  row.alerts++;
  if (record.verdict === "real_crisis") row.real++;
  else if (record.verdict === "expected") row.expected++;
  else row.falseAlarms++;
}

const withPrecision = (row: RulePrecision): RulePrecision => ({
  ...row,
  precision: row.real + row.falseAlarms === 0 ? null : row.real / (row.real + row.falseAlarms),
});
