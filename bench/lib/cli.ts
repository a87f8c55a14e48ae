// The shared command line of each benchmark script: `tsx bench/<name>.ts [--size small|full]
// [--out FILE]`. The figures go to --out as JSON (bench/run.ts collects them) and to stdout as lines.
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { BenchSize, Figure } from "./figure.js";
import { meets } from "./figure.js";

export interface BenchArgs {
  size: BenchSize;
  out?: string;
}

export function benchArgs(): BenchArgs {
  const { values } = parseArgs({
    options: { size: { type: "string", default: "full" }, out: { type: "string" } },
    allowPositionals: false,
  });
  const size = values.size === "small" ? "small" : "full";
  return { size, ...(values.out ? { out: values.out } : {}) };
}

/** Runs one benchmark script's body and reports its figures. */
export async function runBench(body: (args: BenchArgs) => Promise<Figure[]>): Promise<void> {
  const args = benchArgs();
  const figures = await body(args);
  for (const figure of figures) console.log(describe(figure));
  if (args.out) await writeFile(args.out, `${JSON.stringify(figures, null, 2)}\n`);
}

export function describe(figure: Figure): string {
  const target = figure.target
    ? ` (target ${figure.target.op} ${figure.target.value} ${figure.target.unit}: ${meets(figure.value, figure.target) ? "met" : "MISSED"})`
    : "";
  const versus = figure.comparison
    ? `; ${figure.comparison.against} ${round(figure.comparison.value)} → ratio ${figure.comparison.ratio.toFixed(2)}`
    : "";
  return `${figure.id}: ${round(figure.value)} ${figure.unit}${target}${versus}`;
}

export function round(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}
