// The one line a communications director reads first: observed against expected, in words.
import type { AlertMeasure } from "../model/index.js";

const NOUNS: Record<string, string> = {
  mentions: "mentions",
  negative: "negative mentions",
  negative_reach: "people reached by negative authors",
  negative_authors: "negative authors",
  brand_replies: "brand replies",
  unanswered_negative: "unanswered negative mentions",
};
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "a Tuesday morning": the part of the day and the weekday of `time` in UTC. */
export function whenUsual(time: number): string {
  const date = new Date(time);
  const hour = date.getUTCHours();
  const part = hour < 6 ? "night" : hour < 12 ? "morning" : hour < 18 ? "afternoon" : "evening";
  return `a ${WEEKDAYS[date.getUTCDay()]} ${part}`;
}

/** "5 min", "1 h", "1 h 30 min". */
export function spanWords(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** 412, 46, 8.9, 0.42 */
export function amount(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : String(value);
  if (Math.abs(value) >= 100 || Number.isInteger(value)) return Math.round(value).toLocaleString("en-US");
  return Math.abs(value) >= 1 ? value.toFixed(1) : value.toPrecision(2);
}

/**
 * "412 negative mentions in 5 min, about 9× the usual 46 for a Tuesday morning (UTC; p = 1.2e-30)".
 * `measure.time` is the window start; the detector's expected level is the usual one for that slot.
 */
export function plainWords(measure: AlertMeasure, metric: string, windowMs: number): string {
  const share = metric === "negative_share";
  const value = share ? `${amount(measure.value * 100)}%` : amount(measure.value);
  const expected = share ? `${amount(measure.expected * 100)}%` : amount(measure.expected);
  const what = share ? `negative share ${value}` : `${value} ${NOUNS[metric] ?? metric}`;
  const factor = measure.factor >= 10 ? Math.round(measure.factor) : Math.round(measure.factor * 10) / 10;
  const p = measure.pValue === undefined ? "" : `; p = ${pWords(measure.pValue)}`;
  return `${what} in ${spanWords(windowMs)}, about ${amount(factor)}× the usual ${expected} for ${whenUsual(measure.time)} (UTC${p})`;
}

const pWords = (p: number): string => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));
