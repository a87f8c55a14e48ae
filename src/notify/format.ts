// Small text helpers shared by notifiers: numbers, times and labels as a person reads them.
import type { Labels } from "../model/index.js";

/** 412, 9.3, 0.0042 — enough digits to compare, no more. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : String(value);
  const abs = Math.abs(value);
  if (abs >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString("en-US");
  if (abs >= 1) return value.toFixed(1);
  return value.toPrecision(2);
}

/** "1.2e-9" style for p-values, which span many orders of magnitude. */
export const formatPValue = (p: number): string => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));

/** 2026-03-06 10:15 UTC */
export const formatTime = (ms: number): string =>
  `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** brand=kryptonite channel=all — unescaped: each channel escapes it like any alert text. */
export const formatLabels = (labels: Labels): string =>
  Object.entries(labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(" ");
