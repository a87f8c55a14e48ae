// `tocsin backtest`: what the rules would have fired on history, through the code path of `run`.
import { stat } from "node:fs/promises";
import type { Command } from "commander";
import { findCsvFiles, readCsvSeries } from "../backtest/csv-series.js";
import { alertTable, writeNabResults } from "../backtest/report.js";
import { loadConfiguredRules } from "../rules/load.js";
import type { SeriesBacktest } from "../backtest/run-backtest.js";
import { backtestConfig, backtestMentions, backtestSeries } from "../backtest/run-backtest.js";
import { loadConfig } from "../config/load.js";
import type { Metric } from "../model/index.js";
import { isMetric, METRICS } from "../model/index.js";
import { createProgress } from "./progress.js";

interface BacktestOptions {
  rules: string[];
  input: string;
  from?: string;
  to?: string;
  format: "table" | "json" | "nab";
  out?: string;
  metric: string;
  config?: string;
}

export function registerBacktest(program: Command): void {
  program
    .command("backtest")
    .description("replay history through the rules and report what would have fired")
    .requiredOption("--rules <path...>", "rule files or folders")
    .requiredOption(
      "--input <path>",
      "mentions NDJSON, or a series CSV (timestamp,value) or a folder of them",
    )
    .option("--from <time>", "ignore history before this ISO 8601 time")
    .option("--to <time>", "ignore history from this ISO 8601 time on")
    .option("--format <format>", "table, json or nab (NAB result CSVs, needs --out)", "table")
    .option("--out <dir>", "where --format nab writes its CSVs")
    .option("--metric <name>", "the metric a series CSV stands for", "mentions")
    .option("-c, --config <file>", "tocsin.yaml for window width and lateness (default: built-in defaults)")
    .action((options: BacktestOptions) => backtest(options));
}

export function parseRange(options: { from?: string; to?: string }): { from?: number; to?: number } {
  const range: { from?: number; to?: number } = {};
  for (const name of ["from", "to"] as const) {
    const text = options[name];
    if (text === undefined) continue;
    const time = Date.parse(text);
    if (Number.isNaN(time)) throw new Error(`--${name} must be an ISO 8601 time, got "${text}"`);
    range[name] = time;
  }
  return range;
}

export function parseMetric(name: string): Metric {
  if (!isMetric(name)) throw new Error(`--metric must be one of ${METRICS.join(", ")}, got "${name}"`);
  return name;
}

async function backtest(options: BacktestOptions): Promise<void> {
  if (!["table", "json", "nab"].includes(options.format))
    throw new Error(`--format must be table, json or nab`);
  if (options.format === "nab" && !options.out) throw new Error("--format nab needs --out DIR");
  const config = backtestConfig(await loadConfig(options.config), options.rules);
  const range = parseRange(options);
  const metric = parseMetric(options.metric);
  const isCsv = (await stat(options.input)).isDirectory() || options.input.toLowerCase().endsWith(".csv");

  if (!isCsv) {
    if (options.format === "nab") throw new Error("--format nab needs series CSV input");
    const result = await backtestMentions(config, options.input, range);
    if (options.format === "json") process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      process.stdout.write(`${options.input}: ${result.accepted} mentions, ${result.rejected} rejected\n`);
      process.stdout.write(alertTable(result.alerts));
    }
    return;
  }

  const files = await findCsvFiles(options.input);
  const progress = createProgress();
  progress.start(files.length, "");
  const results: SeriesBacktest[] = [];
  const rules = await loadConfiguredRules(config.rules.paths, config.window);
  for (const file of files) {
    const series = await readCsvSeries(file.path, file.name);
    results.push(await backtestSeries(config, series, metric, range, rules));
    progress.increment(file.name);
  }
  progress.stop();
  if (options.format === "nab") {
    const written = await writeNabResults(options.out as string, results);
    process.stdout.write(`wrote ${written.length} NAB result file(s) to ${options.out}\n`);
  } else if (options.format === "json") {
    const json = results.map(({ series, alerts }) => ({
      series: series.name,
      rows: series.rows.length,
      alerts,
    }));
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    for (const { series, alerts } of results) {
      process.stdout.write(
        `${series.name} (${series.rows.length} rows): ${alerts.length} alert(s)\n${alertTable(alerts)}`,
      );
    }
  }
}
