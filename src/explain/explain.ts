// An alert's explanation from the evidence aggregate kept for its brand: the alert's own windows (the
// episode, at least the last few) against the baseline before them. Pure: the engine passes the
// evidence and the alert, and stores the result on the alert.
import type { BrandEvidence } from "../model/evidence.js";
import type { Alert, Explanation } from "../model/index.js";
import { ALL_CHANNELS } from "../model/index.js";
import { emergingTerms, sumCounts } from "./emerging-terms.js";
import { plainWords } from "./plain-words.js";
import { joinedChannels, spreadOf } from "./spread.js";
import { topPosts } from "./top-posts.js";

export interface ExplainOptions {
  windowMs: number;
  /** The rule's metric, for the plain-words line. */
  metric: string;
  /** Emerging terms listed (default 8). */
  terms?: number;
  /** Posts quoted (default 3). */
  posts?: number;
  /** The alert's windows are its episode, and at least this many (default 3). */
  minWindows?: number;
}

/**
 * The most surprising terms tell the story (its posts and the channels carrying it are found by
 * them), if they are significant: G² above 10.83 is p < 0.001 for one degree of freedom.
 */
const STORY_TERMS = 5;
const STORY_G2 = 10.83;

export function explainAlert(
  alert: Pick<Alert, "labels" | "activeAt" | "last">,
  evidence: BrandEvidence,
  options: ExplainOptions,
): Explanation {
  const { windowMs } = options;
  const channel = alert.labels.channel ?? ALL_CHANNELS;
  const end = alert.last.time + windowMs;
  const from = Math.min(alert.activeAt - windowMs, end - (options.minWindows ?? 3) * windowMs);
  const known = evidence.filter((window) => window.end <= end);
  const recent = known.filter((window) => window.start >= from);
  const baseline = known.filter((window) => window.end <= from);
  const keysOf = (windows: BrandEvidence) => windows.flatMap((w) => w.keys.get(channel) ?? []);
  const recentCounts = sumCounts(keysOf(recent));
  const baseCounts = sumCounts(keysOf(baseline));
  const terms = emergingTerms(recentCounts, baseCounts, options.terms ?? 8);
  const story = terms
    .slice(0, STORY_TERMS)
    .filter((t) => t.g2 >= STORY_G2)
    .map((t) => t.term);
  const scope = channel === ALL_CHANNELS ? known : known.map((w) => only(w, channel));
  const joined = joinedChannels(scope, from, story);
  // The story's posts since it began (the first channel taking it up), or the alert's windows'.
  const since = Math.min(from, joined[0]?.at ?? from);
  return {
    computedAt: end,
    plain: plainWords(alert.last, options.metric, windowMs),
    terms,
    posts: topPosts(
      known.filter((window) => window.end > since),
      channel,
      story,
      options.posts ?? 3,
    ),
    spread: spreadOf(channel === ALL_CHANNELS ? recent : recent.map((w) => only(w, channel)), joined),
  };
}

/** A window narrowed to one channel key, kept under "all" too so per-channel alerts read the same way. */
function only(window: BrandEvidence[number], channel: string): BrandEvidence[number] {
  const key = window.keys.get(channel);
  return {
    ...window,
    keys: new Map(
      key
        ? [
            [channel, key],
            [ALL_CHANNELS, key],
          ]
        : [],
    ),
  };
}
