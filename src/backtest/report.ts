// Backtest output: a table for people, JSON for tools, and NAB result CSVs (timestamp,value,
// anomaly_score with 1 on each row where an alert started firing).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { BacktestAlert, SeriesBacktest } from "./run-backtest.js";

const time = (ms: number | undefined): string =>
  ms === undefined ? "-" : new Date(ms).toISOString().slice(0, 16).replace("T", " ");

const round = (value: number): string =>
  !Number.isFinite(value) ? "inf" : Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);

export function alertTable(alerts: readonly BacktestAlert[]): string {
  if (alerts.length === 0) return "  no alert\n";
  const rows = [
    ["fired (UTC)", "resolved", "severity", "rule", "labels", "value", "expected", "factor", "peak"],
  ];
  for (const alert of alerts) {
    rows.push([
      time(alert.firedAt),
      time(alert.resolvedAt),
      alert.severity,
      alert.rule,
      Object.entries(alert.labels)
        .map(([name, value]) => `${name}=${value}`)
        .join(","),
      round(alert.value),
      round(alert.expected),
      round(alert.factor),
      round(alert.peak),
    ]);
  }
  const widths = (rows[0] as string[]).map((_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  return `${rows
    .map(
      (row) =>
        `  ${row
          .map((cell, c) => cell.padEnd(widths[c] ?? 0))
          .join("  ")
          .trimEnd()}`,
    )
    .join("\n")}\n`;
}

/** Writes one NAB result CSV per series, at the input's relative path under `outDir`. */
export async function writeNabResults(outDir: string, results: readonly SeriesBacktest[]): Promise<string[]> {
  const written: string[] = [];
  for (const { series, firingRows } of results) {
    const path = join(outDir, series.name);
    await mkdir(dirname(path), { recursive: true });
    const lines = ["timestamp,value,anomaly_score"];
    series.rows.forEach((row, index) =>
      lines.push(`${row.timestamp},${row.value},${firingRows.has(index) ? 1 : 0}`),
    );
    await writeFile(path, `${lines.join("\n")}\n`);
    written.push(path);
  }
  return written;
}
