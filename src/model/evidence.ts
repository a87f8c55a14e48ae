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
