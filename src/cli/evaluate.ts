// `tocsin evaluate`: NAB-style scores of rules against labelled windows, per category and overall;
// with --feedback, each rule's precision from the verdicts people gave on its alerts.
import type { Command } from "commander";
import type { Evaluation } from "../backtest/evaluate.js";
import { evaluate } from "../backtest/evaluate.js";
import type { FeedbackPrecision } from "../backtest/feedback-precision.js";
import { loadFeedbackPrecision, renderFeedbackPrecision } from "../backtest/feedback-precision.js";
import { loadNabLabelPoints, loadNabWindows } from "../backtest/nab-labels.js";
import { backtestConfig } from "../backtest/run-backtest.js";
import { loadConfig } from "../config/load.js";
import { parseMetric } from "./backtest.js";
import { createProgress } from "./progress.js";

interface EvaluateOptions {
  rules?: string[];
  data?: string;
  labels?: string;
  feedback?: string;
  points?: string;
  metric: string;
  format: "table" | "json";
  config?: string;
}

export function registerEvaluate(program: Command): void {
  program
    .command("evaluate")
    .description(
      "score rules against labelled anomaly windows exactly as NAB does, and/or by people's feedback",
    )
    .option("--rules <path...>", "rule files or folders (with --data)")
    .option("--data <dir>", "folder of series CSVs (timestamp,value), e.g. NAB's data/")
    .option("--labels <file>", "labelled windows (NAB's combined_windows.json format)")
    .option(
      "--feedback <file>",
      "alert feedback (data_dir/feedback.jsonl): each rule's precision from the verdicts",
    )
    .option(
      "--points <file>",
      "labelled points for lead times (default: combined_labels.json beside --labels)",
    )
    .option("--metric <name>", "the metric the series stand for", "mentions")
    .option("--format <format>", "table or json", "table")
    .option("-c, --config <file>", "tocsin.yaml for the window width (default: built-in defaults)")
    .action((options: EvaluateOptions) => run(options));
}

async function run(options: EvaluateOptions): Promise<void> {
  const { data, labels, rules = [] } = options;
  if ((data === undefined) !== (labels === undefined) || (data !== undefined && rules.length === 0))
    throw new Error("--data and --labels go together, with --rules");
  if (data === undefined && options.feedback === undefined)
    throw new Error("nothing to evaluate: give --rules, --data and --labels, or --feedback FILE, or both");
  const feedback = options.feedback === undefined ? undefined : await loadFeedbackPrecision(options.feedback);
  const result =
    data !== undefined && labels !== undefined
      ? await runNab({ ...options, rules, data, labels })
      : undefined;
  if (options.format === "json") {
    process.stdout.write(`${JSON.stringify({ ...result, ...(feedback ? { feedback } : {}) }, null, 2)}\n`);
    return;
  }
  const parts = [
    ...(result ? [renderEvaluation(result)] : []),
    ...(feedback ? [renderFeedbackPrecision(feedback)] : []),
  ];
  process.stdout.write(parts.join("\n"));
}

type NabOptions = EvaluateOptions & { rules: string[]; data: string; labels: string };

async function runNab(options: NabOptions): Promise<Evaluation> {
  const config = backtestConfig(await loadConfig(options.config), options.rules);
  const windows = await loadNabWindows(options.labels);
  const pointsPath =
    options.points ?? options.labels.replace(/combined_windows\.json$/, "combined_labels.json");
  const labels =
    pointsPath === options.labels ? undefined : await loadNabLabelPoints(pointsPath).catch(() => undefined);
  const progress = createProgress();
  progress.start(windows.size, "");
  const result = await evaluate({
    config,
    data: options.data,
    windows,
    ...(labels ? { labels } : {}),
    metric: parseMetric(options.metric),
    onFile: (name) => progress.increment(name),
  });
  progress.stop();
  return result;
}

/** The JSON of `tocsin evaluate --format json`: NAB scores, feedback precision, or both. */
export type EvaluateJson = Partial<Evaluation> & { feedback?: FeedbackPrecision };

const fixed = (value: number | null, digits = 1): string => (value === null ? "-" : value.toFixed(digits));

export function renderEvaluation(result: Evaluation): string {
  const header = [
    "group",
    "files",
    "standard",
    "low FP",
    "low FN",
    "windows caught",
    "alerts",
    "false/week",
    "mean lead",
  ];
  const rows = result.groups.map((group) => [
    group.name,
    String(group.files),
    fixed(group.scores.standard),
    fixed(group.scores.reward_low_FP_rate),
    fixed(group.scores.reward_low_FN_rate),
    `${group.metrics.windowsCaught}/${group.metrics.windows}`,
    String(group.alerts),
    fixed(group.metrics.falseAlertsPerWeek, 2),
    group.metrics.meanLeadMs === null ? "-" : `${(group.metrics.meanLeadMs / 3_600_000).toFixed(1)} h`,
  ]);
  const fileHeader = ["file", "alerts", "windows caught", "false alerts", "standard raw"];
  const fileRows = result.files.map((file) => [
    file.name,
    String(file.alerts),
    `${file.windowsCaught}/${file.windows}`,
    String(file.falseAlerts),
    file.standard.score.toFixed(3),
  ]);
  return `${table([header, ...rows])}\n${table([fileHeader, ...fileRows])}`;
}

function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  return `${rows
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
