// Where the story is and who carries it: negative volume by channel, the channels that took it up in
// the order they did, the share of new voices and the influencers among them.
import type { WindowEvidence } from "../model/evidence.js";
import type { ExplainedSpread } from "../model/index.js";
import { ALL_CHANNELS } from "../model/index.js";

const MAX_INFLUENCERS = 5;

/**
 * Channels whose negative mentions carried one of the story's terms, each at the first window it
 * did (time of that window's first negative mention there), in that order. Only channels still
 * carrying it in the alert's windows are listed.
 */
export function joinedChannels(
  windows: readonly WindowEvidence[],
  recentFrom: number,
  story: readonly string[],
): ExplainedSpread["joined"] {
  if (story.length === 0) return [];
  const first = new Map<string, number>();
  const current = new Set<string>();
  for (const window of windows) {
    for (const [channel, key] of window.keys) {
      if (channel === ALL_CHANNELS || !story.some((term) => key.terms.has(term))) continue;
      if (!first.has(channel)) first.set(channel, Math.max(window.start, key.firstAt));
      if (window.start >= recentFrom) current.add(channel);
    }
  }
  return [...first]
    .filter(([channel]) => current.has(channel))
    .sort((a, b) => a[1] - b[1])
    .map(([channel, at]) => ({ channel, at }));
}

/** Volume by channel, voices and influencers over the alert's windows. */
export function spreadOf(
  recent: readonly WindowEvidence[],
  joined: ExplainedSpread["joined"],
): ExplainedSpread {
  const volume = new Map<string, number>();
  const influencers = new Map<string, { name: string; followers: number; channel: string }>();
  let authors = 0;
  let newAuthors = 0;
  for (const window of recent) {
    for (const [channel, key] of window.keys) {
      if (channel !== ALL_CHANNELS) {
        volume.set(channel, (volume.get(channel) ?? 0) + key.negative);
        continue;
      }
      // Distinct per window: someone posting in three windows counts three times, new or not.
      authors += key.authors;
      newAuthors += key.newAuthors;
      for (const person of key.influencers) {
        const name = person.name ?? person.id ?? "?";
        const id = person.id ?? name;
        const known = influencers.get(id);
        if (!known || known.followers < person.followers)
          influencers.set(id, { name, followers: person.followers, channel: person.channel });
      }
    }
  }
  return {
    channels: [...volume]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([channel, negative]) => ({ channel, negative })),
    joined,
    authors,
    newAuthorShare: authors === 0 ? 0 : newAuthors / authors,
    influencers: [...influencers.values()]
      .sort((a, b) => b.followers - a.followers)
      .slice(0, MAX_INFLUENCERS),
  };
}
