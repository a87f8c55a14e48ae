// How much everyday talk there is, where, and in what mood: the demo's seasonality and channel mix.
import type { Mood } from "./texts.js";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Relative volume by UTC hour (peak 1.0 at 20:00): low at night, a morning ramp, a day plateau and an
 * evening peak, the usual shape of consumer social media activity in Western Europe / US East.
 */
const HOURLY: readonly number[] = [
  0.3, 0.2, 0.14, 0.11, 0.1, 0.12, 0.2, 0.35, 0.55, 0.7, 0.78, 0.82, 0.85, 0.84, 0.82, 0.82, 0.84, 0.88, 0.93,
  0.98, 1.0, 0.95, 0.75, 0.5,
];

/** Relative volume by UTC day of week, Sunday first: weekends are quieter for brand talk. */
const WEEKDAY: readonly number[] = [0.65, 1.0, 1.02, 1.0, 0.98, 0.95, 0.72];

/** Seasonal factor at epoch ms `t`: hourly profile interpolated between hour centres, times the weekday. */
export function seasonality(t: number): number {
  const date = new Date(t);
  const h = date.getUTCHours() + date.getUTCMinutes() / 60 + date.getUTCSeconds() / 3600 - 0.5;
  const i = Math.floor(h);
  const frac = h - i;
  const a = HOURLY[(i + 24) % 24] ?? 0;
  const b = HOURLY[(i + 25) % 24] ?? 0;
  return (a + (b - a) * frac) * (WEEKDAY[date.getUTCDay()] ?? 1);
}

/** Share of everyday mentions per channel (Twitter/X dominates brand monitoring feeds). */
export const CHANNEL_SHARES: readonly (readonly [string, number])[] = [
  ["twitter", 0.38],
  ["facebook", 0.14],
  ["instagram", 0.12],
  ["review", 0.12],
  ["reddit", 0.1],
  ["forum", 0.06],
  ["blog", 0.05],
  ["news", 0.03],
];

/** Mood mix per channel: reviews are polarised, news mostly neutral. */
export const MOOD_MIX: Record<string, readonly (readonly [Mood, number])[]> = {
  default: [
    ["negative", 0.2],
    ["neutral", 0.5],
    ["positive", 0.3],
  ],
  twitter: [
    ["negative", 0.22],
    ["neutral", 0.48],
    ["positive", 0.3],
  ],
  review: [
    ["negative", 0.28],
    ["neutral", 0.22],
    ["positive", 0.5],
  ],
  news: [
    ["negative", 0.12],
    ["neutral", 0.78],
    ["positive", 0.1],
  ],
};

export function moodMix(channel: string): readonly (readonly [Mood, number])[] {
  return MOOD_MIX[channel] ?? (MOOD_MIX.default as readonly (readonly [Mood, number])[]);
}

/** Expected fraction of everyday mentions that are negative, over the channel mix (≈ 0.21). */
export const NEGATIVE_SHARE: number = CHANNEL_SHARES.reduce((sum, [channel, share]) => {
  const negative = moodMix(channel).find(([mood]) => mood === "negative")?.[1] ?? 0;
  return sum + share * negative;
}, 0);

/** Probability that a mention of this channel carries a `lang` field (Twitter's API always has one). */
export const LANG_FIELD_RATE: Record<string, number> = {
  twitter: 0.95,
  news: 0.8,
  review: 0.6,
  facebook: 0.5,
  instagram: 0.5,
  blog: 0.3,
  reddit: 0.2,
  forum: 0.2,
};

/** Channels whose provider scores sentiment as a number; the others give a label. */
export const NUMERIC_SENTIMENT_CHANNELS: ReadonlySet<string> = new Set([
  "twitter",
  "facebook",
  "instagram",
  "reddit",
]);
