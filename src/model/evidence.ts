// What aggregate keeps beside the metric rows of each window so a page can say why: the words, posts,
// channels and voices of its negative mentions. Plain data, bounded by aggregate's caps.

/** One negative post, as much of it as a page quotes. */
export interface EvidencePost {
  id: string;
  channel: string;
  /** Event time, epoch ms. */
  time: number;
  url?: string;
  /** The post it answers (the mention's in_reply_to). */
  replyTo?: string;
  author?: { id?: string; name?: string; followers?: number };
  engagement: { likes: number; shares: number; comments: number };
  /** The mention's text, cut to a few hundred characters. */
  text: string;
  /** Reach and engagement in one number: what posts are ranked by (aggregate's postScore). */
  score: number;
}

/** An author above the influencer follower threshold who posted negatively in the window. */
export interface EvidenceInfluencer {
  id?: string;
  name?: string;
  followers: number;
  channel: string;
}

/** The negative mentions of one series key (brand × channel, or brand × all) in one window. */
export interface KeyEvidence {
  negative: number;
  /** Terms used, summed over the negative mentions, before the least used were dropped. */
  termTotal: number;
  /** Term (word, #hashtag, two-word phrase) → count of negative mentions using it; the most used kept. */
  terms: ReadonlyMap<string, number>;
  /** The highest-scoring negative posts, best first. */
  topPosts: readonly EvidencePost[];
  /** Distinct negative authors, and how many of them the brand had not heard from recently. */
  authors: number;
  newAuthors: number;
  /** Largest first. */
  influencers: readonly EvidenceInfluencer[];
  /** Event time of the first negative mention in the window. */
  firstAt: number;
}

/** Everything kept about one closed window of one brand. */
export interface WindowEvidence {
  /** Window start and end, epoch ms. */
  start: number;
  end: number;
  /** By channel label; "all" is the whole brand. Only keys with negative mentions appear. */
  keys: ReadonlyMap<string, KeyEvidence>;
}

/** Recent closed windows of one brand, oldest first: what explain reads. */
export type BrandEvidence = readonly WindowEvidence[];

/**
 * Whether a term is a link (aggregate's terms.ts normalises each to "host/path?query", host with a
 * dot): words, #hashtags and phrases never hold a dot.
 */
export function isLinkTerm(term: string): boolean {
  return term.includes(".") && !term.includes(" ");
}

/** A channel carrying a story: when it took it up and how many of its negative mentions did. */
export interface StoryChannel {
  channel: string;
  /** Epoch ms: the first negative mention of the first window in which the channel used the story's markers. */
  at: number;
  /** Negative mentions in the channel using the story's most used marker there (one post may carry several). */
  mentions: number;
}

/** One story told across channels: the terms or links that mark it, and the channels carrying it. */
export interface SharedStory {
  /** Markers shared by all of the story's channels, best first (at most 5): links and emerging terms. */
  markers: string[];
  /** In the order the channels took the story up. */
  channels: StoryChannel[];
}

/** How far the most widespread story of a brand's recent windows has spread (explain's storySpread). */
export interface StorySpread {
  /** The largest number of channels sharing one story; 0 when there is none. */
  channels: number;
  story?: SharedStory;
}
