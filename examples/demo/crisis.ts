// The crisis timeline: when the story starts, how it spreads channel by channel, how loud it gets.
import { viralPostUrl } from "./story-texts.js";
import { HOUR_MS } from "./volume.js";

export interface CrisisOptions {
  brand: string;
  /** Hours after the scenario start. */
  startHour: number;
  durationHours: number;
  /** Negative volume at the peak hour as a multiple of that hour's usual negative volume. */
  peakMultiplier: number;
}

/**
 * The Kryptonite path of 2004: a forum thread, then Reddit-like link sites, then Twitter-like
 * microblogs, bloggers, Facebook, and the press last (few articles, large audiences).
 */
export const CHANNEL_ORDER: readonly string[] = ["forum", "reddit", "twitter", "blog", "facebook", "news"];
/** When each channel of CHANNEL_ORDER picks the story up, as a fraction of the crisis duration. */
const ONSET_FRACTION: readonly number[] = [0, 0.08, 0.15, 0.3, 0.4, 0.55];
/** Share of story posts per channel once it has picked the story up. */
const STORY_WEIGHT: Record<string, number> = {
  forum: 0.1,
  reddit: 0.17,
  twitter: 0.48,
  blog: 0.05,
  facebook: 0.17,
  news: 0.03,
};

export const VIRAL_POST_ID = "forum-viral-1";
/** The peak comes at 55% of the crisis (14:30 for the default 09:00–19:00); growth starts from 1/40 of it. */
const PEAK_AT = 0.55;
const START_FRACTION_OF_PEAK = 1 / 40;
/** Decay time constant: the rate falls to e^-3 ≈ 5% of the peak by the end. */
const DECAY_TIME_CONSTANTS = 3;

export interface CrisisPlan {
  brand: string;
  start: number;
  /** Exclusive; clipped to the scenario end. */
  end: number;
  peak: number;
  /** Extra story posts per hour at the peak. */
  peakRate: number;
  /** Channels in the order they pick the story up, with the time they do (only those before `end`). */
  onsets: readonly { channel: string; at: number }[];
  viralPostId: string;
  viralUrl: string;
  growthPerMs: number;
  decayMs: number;
}

/**
 * The plan for a crisis, or null when none of it falls inside the scenario.
 * `usualNegativePerHour(t)` is the everyday negative rate of the crisis brand at time t.
 */
export function planCrisis(
  crisis: CrisisOptions,
  scenarioStart: number,
  scenarioEnd: number,
  usualNegativePerHour: (t: number) => number,
): CrisisPlan | null {
  const start = scenarioStart + Math.round(crisis.startHour * HOUR_MS);
  const duration = crisis.durationHours * HOUR_MS;
  if (start >= scenarioEnd) return null;
  const end = Math.min(start + duration, scenarioEnd);
  const peak = start + Math.round(PEAK_AT * duration);
  const onsets = CHANNEL_ORDER.map((channel, i) => ({
    channel,
    at: start + Math.round((ONSET_FRACTION[i] ?? 1) * duration),
  })).filter((o) => o.at < end);
  const plan: CrisisPlan = {
    brand: crisis.brand,
    start,
    end,
    peak,
    peakRate: 1,
    onsets,
    viralPostId: VIRAL_POST_ID,
    viralUrl: viralPostUrl(crisis.brand),
    growthPerMs: -Math.log(START_FRACTION_OF_PEAK) / Math.max(1, peak - start),
    decayMs: Math.max(1, (duration * (1 - PEAK_AT)) / DECAY_TIME_CONSTANTS),
  };
  // Scale so that the hour centred on the peak holds peakMultiplier × the usual negative volume:
  // that is what an hourly chart (and a detector with hour-wide windows) sees, not the instant peak.
  plan.peakRate = ((crisis.peakMultiplier - 1) * usualNegativePerHour(peak)) / meanShapeAroundPeak(plan);
  return plan;
}

/** Mean of storyRate / peakRate over [peak − 30 min, peak + 30 min], by the midpoint rule (1-minute steps). */
function meanShapeAroundPeak(plan: CrisisPlan): number {
  const step = 60_000;
  let sum = 0;
  for (let t = plan.peak - HOUR_MS / 2 + step / 2; t < plan.peak + HOUR_MS / 2; t += step) {
    sum += storyRate(plan, t);
  }
  return (sum * step) / HOUR_MS / plan.peakRate;
}

/** Story posts per hour at time t: exponential growth to the peak, exponential decay after. */
export function storyRate(plan: CrisisPlan, t: number): number {
  if (t < plan.start || t >= plan.end) return 0;
  if (t < plan.peak) return plan.peakRate * Math.exp(plan.growthPerMs * (t - plan.peak));
  return plan.peakRate * Math.exp(-(t - plan.peak) / plan.decayMs);
}

/** The channels carrying the story at time t (strictly after their onset), with their weights. */
export function openChannels(plan: CrisisPlan, t: number): [string, number][] {
  return plan.onsets.filter((o) => o.at < t).map((o) => [o.channel, STORY_WEIGHT[o.channel] ?? 0.05]);
}
