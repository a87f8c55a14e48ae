// How far one story has spread across a brand's channels in a recent span: the Kryptonite pattern, a
// forum post reaching blogs, then the press. A story is marked by the links its posts share and by the
// words emerging in the span against the brand's baseline; a channel carries it when enough of its
// negative mentions use a marker. Pure, and cheap enough for every window close: the work is bounded
// by the terms aggregate keeps per window and key (200 brand-wide, 40 per channel).
import type { BrandEvidence, SharedStory, StoryChannel, StorySpread } from "../model/evidence.js";
import { isLinkTerm } from "../model/evidence.js";
import { ALL_CHANNELS } from "../model/index.js";
import { overRepresented } from "./emerging-terms.js";
import { termSurprise } from "./log-likelihood.js";

export interface StorySpreadOptions {
  /** The recent span T: the windows starting in [from, to), epoch ms. */
  from: number;
  to: number;
  /** Negative mentions of a channel using a marker within the span for the channel to carry it. */
  minMentions: number;
  /** G² from which a word marks a story (default 10.83, p < 0.001 for one degree of freedom); links always do. */
  minG2?: number;
  /** The baseline is the windows kept from this time to `from` (default: all those kept before `from`). */
  baselineFrom?: number;
}

/** Significance of a word against the baseline: G² above 10.83 is p < 0.001 for one degree of freedom. */
const DEFAULT_MIN_G2 = 10.83;
const MAX_MARKERS = 5;

/** A marker and the channels carrying it (at least minMentions mentions within the span). */
interface Marker {
  term: string;
  g2: number;
  /** Mentions summed over its carrying channels. */
  count: number;
  carriers: Map<string, StoryChannel>;
}

/**
 * The story shared by the most channels within the span: how many channels, and the story itself —
 * its markers used in every one of those channels, best first, and the channels in the order they took
 * it up. A marker is a link, or a word (#hashtag, two-word phrase) over-represented brand-wide in the
 * span against the baseline with G² ≥ minG2; markers are grouped when they share the channels.
 */
export function storySpread(evidence: BrandEvidence, options: StorySpreadOptions): StorySpread {
  const { from, to } = options;
  const minMentions = Math.max(1, options.minMentions);
  const minG2 = options.minG2 ?? DEFAULT_MIN_G2;
  const baselineFrom = options.baselineFrom ?? Number.NEGATIVE_INFINITY;
  const recent = evidence.filter((window) => window.start >= from && window.start < to);
  const baseline = evidence.filter((window) => window.start >= baselineFrom && window.end <= from);

  // Brand-wide counts of the terms that could mark a story (used minMentions times at least), and of
  // the same terms in the baseline: the only lookups the baseline needs.
  const counts = new Map<string, number>();
  let total = 0;
  for (const window of recent) {
    const key = window.keys.get(ALL_CHANNELS);
    if (!key) continue;
    total += key.termTotal;
    // forEach rather than for…of throughout: see sumCounts in emerging-terms.ts.
    key.terms.forEach((count, term) => counts.set(term, (counts.get(term) ?? 0) + count));
  }
  for (const [term, count] of counts) if (count < minMentions) counts.delete(term);
  const baseCounts = new Map<string, number>();
  let baseTotal = 0;
  for (const window of baseline) {
    const key = window.keys.get(ALL_CHANNELS);
    if (!key) continue;
    baseTotal += key.termTotal;
    key.terms.forEach((count, term) => {
      if (counts.has(term)) baseCounts.set(term, (baseCounts.get(term) ?? 0) + count);
    });
  }
  const recentTerms = { counts, total };
  const baseTerms = { counts: baseCounts, total: baseTotal };
  const emerging = new Map<string, number>();
  // Against too short a baseline every frequent word (the brand's own name) would look new: words
  // mark a story only once the baseline reaches back at least as far as the span.
  const baselineLongEnough = (baseline[0]?.start ?? Number.POSITIVE_INFINITY) <= from - (to - from);
  if (baselineLongEnough)
    for (const term of overRepresented(recentTerms, baseTerms, minMentions))
      if (term.g2 >= minG2) emerging.set(term.term, term.g2);

  // A link marks a story when it is shared more in the span than before it (a brand's own site,
  // linked steadily everywhere, is no story).
  const isNewLink = (term: string) =>
    termSurprise(counts.get(term) ?? 0, total, baseCounts.get(term) ?? 0, baseTotal) > 0 &&
    (counts.get(term) ?? 0) / Math.max(total, 1) > (baseCounts.get(term) ?? 0) / Math.max(baseTotal, 1);

  // Each marker's use per channel within the span; windows come oldest first, so the first seen is
  // when the channel took it up (its first negative mention of that window, as spread.ts has it).
  const usage = new Map<string, Map<string, StoryChannel>>();
  for (const window of recent) {
    for (const [channel, key] of window.keys) {
      if (channel === ALL_CHANNELS) continue;
      key.terms.forEach((count, term) => {
        if (!emerging.has(term) && !(isLinkTerm(term) && isNewLink(term))) return;
        let channels = usage.get(term);
        if (!channels) {
          channels = new Map();
          usage.set(term, channels);
        }
        const known = channels.get(channel);
        if (known) known.mentions += count;
        else channels.set(channel, { channel, at: Math.max(window.start, key.firstAt), mentions: count });
      });
    }
  }

  const markers: Marker[] = [];
  for (const [term, channels] of usage) {
    const carriers = new Map([...channels].filter(([, use]) => use.mentions >= minMentions));
    if (carriers.size === 0) continue;
    let count = 0;
    for (const use of carriers.values()) count += use.mentions;
    // A link's G² only ranks it (links mark a story whatever their score).
    const g2 =
      emerging.get(term) ??
      termSurprise(counts.get(term) ?? count, total, baseCounts.get(term) ?? 0, baseTotal);
    markers.push({ term, g2, count, carriers });
  }
  if (markers.length === 0) return { channels: 0 };
  markers.sort(
    (x, y) =>
      y.carriers.size - x.carriers.size || y.g2 - x.g2 || y.count - x.count || (x.term < y.term ? -1 : 1),
  );
  const lead = markers[0] as Marker;
  return { channels: lead.carriers.size, story: storyOf(lead, markers) };
}

/**
 * The lead marker with the markers used in all of its channels (a two-word phrase whose words are
 * both listed says nothing new), and each channel at the earliest of their uses there, with the
 * mentions of the most used one (a post may carry several markers, so they do not add up).
 */
function storyOf(lead: Marker, ranked: readonly Marker[]): SharedStory {
  const story: Marker[] = [];
  const listed = new Set<string>();
  for (const marker of ranked) {
    if (story.length >= MAX_MARKERS) break;
    if (![...lead.carriers.keys()].every((channel) => marker.carriers.has(channel))) continue;
    const words = marker.term.split(" ");
    if (words.length > 1 && words.every((word) => listed.has(word))) continue;
    story.push(marker);
    listed.add(marker.term);
  }
  const channels = [...lead.carriers.keys()].map((channel) => {
    const uses = story.map((marker) => marker.carriers.get(channel) as StoryChannel);
    return {
      channel,
      at: Math.min(...uses.map((use) => use.at)),
      mentions: Math.max(...uses.map((use) => use.mentions)),
    };
  });
  channels.sort((x, y) => x.at - y.at || y.mentions - x.mentions || (x.channel < y.channel ? -1 : 1));
  return { markers: story.map((marker) => marker.term), channels };
}
