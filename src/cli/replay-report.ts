// The table printed at the end of a replay: per brand and UTC day, volume, negative share and the
// busiest negative window, so the demo crisis stands out without any rule configured.
import type { ClosedWindow } from "../model/index.js";
import { ALL_CHANNELS, metricIndex } from "../model/index.js";
import { formatDuration } from "../util/duration.js";

interface DayTotals {
  mentions: number;
  negative: number;
  peak: number;
  peakAt: number;
}

const MENTIONS = metricIndex("mentions");
const NEGATIVE = metricIndex("negative");

export class ReplayReport {
  private readonly days = new Map<string, Map<string, DayTotals>>();

  constructor(private readonly windowMs: number) {}

  addWindow(window: ClosedWindow): void {
    const day = new Date(window.start).toISOString().slice(0, 10);
    for (const { key, values } of window.rows) {
      if (key.channel !== ALL_CHANNELS || key.brand === undefined) continue;
      const byDay = this.days.get(key.brand) ?? new Map<string, DayTotals>();
      this.days.set(key.brand, byDay);
      const totals = byDay.get(day) ?? { mentions: 0, negative: 0, peak: 0, peakAt: window.start };
      byDay.set(day, totals);
      const negative = values[NEGATIVE] ?? 0;
      totals.mentions += values[MENTIONS] ?? 0;
      totals.negative += negative;
      if (negative > totals.peak) {
        totals.peak = negative;
        totals.peakAt = window.start;
      }
    }
  }

  render(): string {
    if (this.days.size === 0) return "replay: no complete window\n";
    const header = [
      "brand",
      "day (UTC)",
      "mentions",
      "negative",
      "share",
      `peak negative / ${formatDuration(this.windowMs)}`,
    ];
    const rows = [header];
    for (const [brand, byDay] of [...this.days].sort(([a], [b]) => a.localeCompare(b))) {
      const typicalPeak = median([...byDay.values()].map((totals) => totals.peak));
      for (const [day, totals] of byDay) {
        const share = totals.mentions === 0 ? 0 : totals.negative / totals.mentions;
        const flag = typicalPeak > 0 && totals.peak >= 3 * typicalPeak ? "  << unusual" : "";
        rows.push([
          brand,
          day,
          String(totals.mentions),
          String(totals.negative),
          `${(share * 100).toFixed(0)}%`,
          `${totals.peak} at ${new Date(totals.peakAt).toISOString().slice(11, 16)}${flag}`,
        ]);
      }
    }
    const widths = header.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
    const lines = rows.map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join("  ")
        .trimEnd(),
    );
    return `\nReplay summary, per brand and day (all channels)\n${lines.join("\n")}\n\n`;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
