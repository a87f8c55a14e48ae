// NAB-style evaluation: backtest every series CSV under a data folder, score the detections against
// the labelled windows with NAB's three profiles, per category (first folder) and over all files,
// and add the plain figures: windows caught, false alerts per week, mean lead time.
import type { Config } from "../config/schema.js";
import type { Metric } from "../model/index.js";
import { loadConfiguredRules } from "../rules/load.js";
import type { CsvSeries } from "./csv-series.js";
import { findCsvFiles, readCsvSeries } from "./csv-series.js";
import type { NabLabelPoints, NabWindows } from "./nab-labels.js";
import { matchFile } from "./nab-match.js";
import type { NabMetricsSummary } from "./nab-metrics.js";
import { nabFileMetrics, summariseNabMetrics } from "./nab-metrics.js";
import type { NabProfileName } from "./nab-profiles.js";
import { NAB_PROFILES } from "./nab-profiles.js";
import type { NabFileScore } from "./nab-score.js";
import { scoreCorpus, scoreMatch } from "./nab-score.js";
import type { SeriesBacktest } from "./run-backtest.js";
import { backtestSeries } from "./run-backtest.js";

export interface GroupEvaluation {
  /** "all", or a category such as realTweets. */
  name: string;
  files: number;
  /** Normalised NAB score per profile; null when the group has no labelled window. */
  scores: Record<NabProfileName, number | null>;
  alerts: number;
  metrics: NabMetricsSummary;
}

export interface FileEvaluation {
  name: string;
  alerts: number;
  windows: number;
  windowsCaught: number;
  falseAlerts: number;
  standard: NabFileScore;
}

export interface Evaluation {
  groups: GroupEvaluation[];
  files: FileEvaluation[];
}

export interface EvaluateOptions {
  config: Config;
  data: string;
  windows: NabWindows;
  labels?: NabLabelPoints;
  metric: Metric;
  onFile?: (name: string) => void;
}

interface Scored {
  series: CsvSeries;
  backtest: SeriesBacktest;
  scores: Record<NabProfileName, NabFileScore>;
  metrics: ReturnType<typeof nabFileMetrics>;
}

export async function evaluate(options: EvaluateOptions): Promise<Evaluation> {
  const scored: Scored[] = [];
  // Compiled once: 58 NAB files would read and compile the same YAML 58 times.
  const rules = await loadConfiguredRules(options.config.rules.paths, options.config.window);
  for (const file of await findCsvFiles(options.data)) {
    const windows = options.windows.get(file.name);
    if (windows === undefined) continue; // unlabelled files are not scored
    const series = await readCsvSeries(file.path, file.name);
    const backtest = await backtestSeries(options.config, series, options.metric, {}, rules);
    const input = {
      timestamps: series.rows.map((row) => row.time),
      detections: series.rows.map((_, index) => backtest.firingRows.has(index)),
      windows,
    };
    // One walk over the rows for the three profiles and the plain metrics.
    const match = matchFile(input);
    const scores = Object.fromEntries(
      (Object.keys(NAB_PROFILES) as NabProfileName[]).map((name) => [
        name,
        scoreMatch(match, NAB_PROFILES[name]),
      ]),
    ) as Record<NabProfileName, NabFileScore>;
    const metrics = nabFileMetrics({ ...input, labels: options.labels?.get(file.name) ?? [] }, match);
    scored.push({ series, backtest, scores, metrics });
    options.onFile?.(file.name);
  }
  const categories = [...new Set(scored.map((s) => category(s.series.name)))].sort();
  const groups = [
    ...categories.map((name) =>
      group(
        name,
        scored.filter((s) => category(s.series.name) === name),
      ),
    ),
    group("all", scored),
  ];
  const files = scored.map(({ series, backtest, scores, metrics }) => ({
    name: series.name,
    alerts: backtest.alerts.length,
    windows: metrics.windows,
    windowsCaught: metrics.windowsCaught,
    falseAlerts: metrics.falseAlerts,
    standard: scores.standard,
  }));
  return { groups, files };
}

const category = (name: string): string => (name.includes("/") ? (name.split("/")[0] as string) : ".");

function group(name: string, members: readonly Scored[]): GroupEvaluation {
  const scores = {} as Record<NabProfileName, number | null>;
  for (const profile of Object.keys(NAB_PROFILES) as NabProfileName[]) {
    const results = members.map((member) => member.scores[profile]);
    const hasWindows = results.some((result) => result.perfectScore !== result.nullScore);
    scores[profile] = hasWindows ? scoreCorpus(results, NAB_PROFILES[profile]).normalised : null;
  }
  return {
    name,
    files: members.length,
    scores,
    alerts: members.reduce((sum, member) => sum + member.backtest.alerts.length, 0),
    metrics: summariseNabMetrics(members.map((member) => member.metrics)),
  };
}
