// The built-in FeedStalled alert: its identity, lifecycle policy, judgement and wording, so that a
// stalled feed (aggregate/feed-watch.ts) goes through the same AlertBook, API, routing and paging as
// any rule's alert. And which rule alerts a silent feed must not resolve.
import type { FeedChange } from "../model/feed.js";
import type { Metric } from "../model/index.js";
import { fingerprint } from "./fingerprint.js";
import type { AlertIdentity, Judgement, LifecyclePolicy } from "./lifecycle.js";

/** The rule id of FeedStalled alerts; no rule file defines it, so reloads must keep it. */
export const FEED_STALLED_RULE = "tocsin/FeedStalled";

/** Fires as soon as the feed is found stalled (the watch already waited) and resolves on its return. */
export const feedStalledPolicy: LifecyclePolicy = { forMs: 0, keepFiringForMs: 0, severity: "warning" };

/**
 * Metrics that a silent feed drives to zero as if the complaints had stopped: a firing alert on them
 * must not resolve on a silent window. negative_share has no value without mentions, the reply and
 * responsiveness metrics are not volumes of talk.
 */
const VOLUME_METRICS: ReadonlySet<Metric> = new Set([
  "mentions",
  "negative",
  "negative_reach",
  "negative_authors",
]);

export const isVolumeMetric = (metric: Metric): boolean => VOLUME_METRICS.has(metric);

export function feedStalledIdentity(brand: string, channel: string): AlertIdentity {
  const labels = { brand, channel };
  return {
    fingerprint: fingerprint(FEED_STALLED_RULE, labels),
    rule: FEED_STALLED_RULE,
    name: "FeedStalled",
    labels,
  };
}

/**
 * The judgement of a stall or a return at `now`. Its measure reads like a volume rule's: 0 mentions
 * observed over the silence, `expected` by the feed's profile, and the Poisson chance of that silence
 * for a live feed, e^-expected, as the p-value.
 */
export function feedStalledJudgement(facts: FeedChange, now: number): Judgement {
  return {
    time: now,
    measure: {
      time: facts.silenceFrom,
      value: 0,
      expected: facts.expected,
      factor: 0,
      score: facts.expected,
      pValue: Math.exp(-facts.expected),
    },
    breach: facts.stalled,
    critical: false,
    holds: facts.stalled,
  };
}

/**
 * The alert's texts: when it stalls, "no data from twitter for kryptonite for 25 min (usually ~40
 * mentions in that time; last mention 10:05 UTC)" with the silence and the last mention apart; when
 * the feed is back (or forgotten), the summary stays and a resolution says so.
 */
export function feedStalledAnnotations(
  facts: FeedChange,
  now: number,
  current: Record<string, string>,
): Record<string, string> {
  const { brand, channel } = facts;
  const last = clockTime(facts.silenceFrom, now);
  if (facts.forgotten)
    return {
      ...current,
      resolution: `no data from ${channel} for ${brand} since ${last}: the feed is no longer watched (it is learned again when it speaks)`,
    };
  if (!facts.stalled)
    return {
      ...current,
      resolution: `mentions from ${channel} for ${brand} arrive again (newest ${clockTime(facts.lastSeen, now)}) after ${spoken(facts.lastSeen - facts.silenceFrom)} of silence`,
    };
  const silence = spoken(now - facts.silenceFrom);
  return {
    summary: `no data from ${channel} for ${brand} for ${silence} (usually ~${Math.round(facts.expected)} mentions in that time; last mention ${last})`,
    silence,
    last_mention: new Date(facts.silenceFrom).toISOString(),
  };
}

/** "25 min", "3 h 05 min", "2 d 4 h". */
function spoken(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, "0")} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "10:05 UTC", with the date when it is not the day of `now`. */
function clockTime(time: number, now: number): string {
  const iso = new Date(time).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? "" : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}
