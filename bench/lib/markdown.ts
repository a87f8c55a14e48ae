// The generated table of bench/RESULTS.md: one row per figure, its target and whether it holds, the
// comparison measured in the same run, and the command that reproduces it.
import { cpus } from "node:os";
import { round } from "./cli.js";
import type { Figure } from "./figure.js";
import { meets } from "./figure.js";

export function resultsTable(figures: readonly Figure[], measuredAt: string): string {
  const rows = figures.map((figure) => {
    const target = figure.target
      ? `${figure.target.op} ${round(figure.target.value)} ${figure.target.unit}: ${meets(figure.value, figure.target) ? "**met**" : "**missed**"}`
      : "–";
    const comparison = figure.comparison
      ? `${figure.comparison.against}: ${round(figure.comparison.value)} ${figure.unit}; ratio **${figure.comparison.ratio.toFixed(2)}**${
          figure.ratioTarget
            ? ` (target ${figure.ratioTarget.op} ${figure.ratioTarget.value}: ${meets(figure.comparison.ratio, figure.ratioTarget) ? "met" : "missed"})`
            : ""
        }`
      : "–";
    const details = figure.details
      ? Object.entries(figure.details)
          .map(([key, value]) => `${key} ${typeof value === "number" ? round(value) : value}`)
          .join(", ")
      : "";
    const notes = [details, figure.notes ?? ""].filter(Boolean).join(". ");
    return `| ${figure.title} | ${round(figure.value)} ${figure.unit} | ${target} | ${comparison} | \`${figure.command}\` | ${escapeCell(notes)} |`;
  });
  return [
    `Measured ${measuredAt} on this machine (${cpuLine()}), all figures of one \`npm run bench\` run.`,
    "",
    "| figure | value | target | compared in the same run | reproduce | details |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|").replaceAll("\n", " ");
}

function cpuLine(): string {
  const all = cpus();
  return `${all.length} × ${all[0]?.model ?? "unknown CPU"}, node ${process.version}`;
}
