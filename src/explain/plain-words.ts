// The one line a communications director reads first: observed against expected, in words.
import type { AlertMeasure } from "../model/index.js";

const NOUNS: Record<string, string> = {
  mentions: "mentions",
  negative: "negative mentions",
  negative_reach: "people reached by negative authors",
  negative_authors: "negative authors",
  brand_replies: "brand replies",
  unanswered_negative: "unanswered negative mentions",
  unanswered_overdue: "negative mentions overdue for a brand reply",
};
/** Metrics read at the window end over the responsiveness period, not counted in the window. */
const LOOK_BACK = new Set(["response_rate", "first_response_seconds", "unanswered_overdue"]);
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

/** "45 s", "2 h 5 min": a number of seconds as a duration. */
export function secondsWords(seconds: number): string {
  return seconds < 59.5 ? `${Math.round(seconds)} s` : spanWords(seconds * 1000);
}

const percent = (value: number): string => `${amount(value * 100)}%`;

/** How the value and the expected level of a metric are written; a plain amount otherwise. */
const FORMATS: Record<string, (value: number) => string> = {
  negative_share: percent,
  response_rate: percent,
  first_response_seconds: secondsWords,
};
/** Sentence starts for metrics that are not "<amount> <noun>". */
const PHRASES: Record<string, (value: string) => string> = {
  negative_share: (value) => `negative share ${value}`,
  response_rate: (value) => `response rate ${value}`,
  first_response_seconds: (value) => `median first brand reply after ${value}`,
};

/**
 * "412 negative mentions in 5 min, about 9× the usual 46 for a Tuesday morning (UTC; p = 1.2e-30)".
 * `measure.time` is the window start; the detector's expected level is the usual one for that slot.
 * The responsiveness metrics look back from the window end, so they get no "in 5 min".
 */
export function plainWords(measure: AlertMeasure, metric: string, windowMs: number): string {
  const format = FORMATS[metric] ?? amount;
  const value = format(measure.value);
  const expected = format(measure.expected);
  const what = PHRASES[metric]?.(value) ?? `${value} ${NOUNS[metric] ?? metric}`;
  const span = LOOK_BACK.has(metric) ? "" : ` in ${spanWords(windowMs)}`;
  const factor = measure.factor >= 10 ? Math.round(measure.factor) : Math.round(measure.factor * 10) / 10;
  const p = measure.pValue === undefined ? "" : `; p = ${pWords(measure.pValue)}`;
  return `${what}${span}, about ${amount(factor)}× the usual ${expected} for ${whenUsual(measure.time)} (UTC${p})`;
}

const pWords = (p: number): string => (p >= 0.001 ? p.toFixed(3) : p.toExponential(1));
