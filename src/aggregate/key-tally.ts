// The evidence of one series key in one open window, counted as negative mentions arrive and frozen
// into a bounded KeyEvidence when the window closes. Texts are only kept on the ingest path: their
// terms are counted the first time someone asks (an alert being explained), which keeps tokenising
// off the path every mention takes; most windows are never explained.
import type { EvidenceInfluencer, EvidencePost, KeyEvidence } from "../model/evidence.js";
import type { Mention } from "../model/index.js";
import { truncateCodePoints } from "../util/text.js";
import type { CountedTerms } from "./term-table.js";
import { TermTable } from "./term-table.js";

export interface TallyLimits {
  /** Posts kept per key and window. */
  topPosts: number;
  /** Terms kept per key and window (the most used; ties keep the first seen). */
  maxTerms: number;
  /** Texts kept per key and window for term counting; later ones are left out (a sample). */
  maxTexts: number;
  /** Characters of a post's text kept. */
  textChars: number;
  /** Followers from which an author counts as an influencer. */
  influencerFollowers: number;
  /** Influencers kept per key and window. */
  maxInfluencers: number;
}

/**
 * Reach and engagement in one number: interactions plus 1% of the author's audience, about what a
 * post's followers give in interactions (typical engagement rates are 0.5–3%), so a post that people
 * actually share outranks one that a large account merely published.
 */
export function postScore(mention: Pick<Mention, "author" | "engagement">): number {
  const e = mention.engagement;
  return (e?.likes ?? 0) + (e?.shares ?? 0) + (e?.comments ?? 0) + (mention.author?.followers ?? 0) * 0.01;
}

export class KeyTally {
  negative = 0;
  authors = 0;
  newAuthors = 0;
  firstAt = Number.POSITIVE_INFINITY;
  private readonly texts: string[] = [];
  private readonly posts: Ranked[] = [];
  private readonly influencers = new Map<string, EvidenceInfluencer>();

  constructor(private readonly limits: TallyLimits) {}

  /**
   * Counts a voice heard for the first time in this key's window (the windower tells, from the
   * authors it keeps anyway); `isNewAuthor`: not heard by the brand within the retention.
   */
  addVoice(mention: Mention, author: string, isNewAuthor: boolean): void {
    this.authors++;
    if (isNewAuthor) this.newAuthors++;
    const followers = mention.author?.followers ?? 0;
    if (followers >= this.limits.influencerFollowers) this.influencer(mention, author, followers);
  }

  /** Counts a negative mention: its text for the terms, and as a candidate top post. */
  add(mention: Mention, score: number): void {
    this.negative++;
    if (mention.time < this.firstAt) this.firstAt = mention.time;
    if (this.texts.length < this.limits.maxTexts) this.texts.push(mention.text);
    this.post(mention, score);
  }

  freeze(): KeyEvidence {
    return new FrozenKey(this.texts, this.limits.maxTerms, {
      negative: this.negative,
      topPosts: this.posts.map(({ mention, score }) => evidencePost(mention, score, this.limits.textChars)),
      authors: this.authors,
      newAuthors: this.newAuthors,
      influencers: [...this.influencers.values()].sort((a, b) => b.followers - a.followers),
      firstAt: this.firstAt,
    });
  }

  /** Keeps the mention if it ranks among the top ones; it becomes an EvidencePost only if it stays. */
  private post(mention: Mention, score: number): void {
    const { posts } = this;
    const k = this.limits.topPosts;
    if (posts.length >= k && score <= (posts[k - 1] as Ranked).score) return;
    let at = posts.length;
    while (at > 0 && (posts[at - 1] as Ranked).score < score) at--;
    posts.splice(at, 0, { mention, score });
    if (posts.length > k) posts.pop();
  }

  private influencer(mention: Mention, author: string, followers: number): void {
    const { influencers } = this;
    if (influencers.size >= this.limits.maxInfluencers) {
      let smallest: [string, EvidenceInfluencer] | undefined;
      for (const entry of influencers)
        if (!smallest || entry[1].followers < smallest[1].followers) smallest = entry;
      if (!smallest || smallest[1].followers >= followers) return;
      influencers.delete(smallest[0]);
    }
    influencers.set(author, {
      ...(mention.author?.id ? { id: mention.author.id } : {}),
      ...(mention.author?.name ? { name: mention.author.name } : {}),
      followers,
      channel: mention.channel,
    });
  }
}

interface Ranked {
  mention: Mention;
  score: number;
}

/** The fields of a mention that its EvidencePost shows. */
export type PostSource = Pick<
  Mention,
  "id" | "channel" | "time" | "url" | "in_reply_to" | "author" | "engagement" | "text"
>;

/** Just a PostSource's fields of `mention`: a listing held for a day need not hold the whole mention. */
export function postSource(mention: PostSource): PostSource {
  const { id, channel, time, url, in_reply_to, author, engagement, text } = mention;
  return { id, channel, time, url, in_reply_to, author, engagement, text };
}

/** As much of a negative post as a page quotes, its text cut to `textChars` code points. */
export function evidencePost(mention: PostSource, score: number, textChars: number): EvidencePost {
  const e = mention.engagement;
  const author = mention.author;
  return {
    id: mention.id,
    channel: mention.channel,
    time: mention.time,
    ...(mention.url ? { url: mention.url } : {}),
    ...(mention.in_reply_to ? { replyTo: mention.in_reply_to } : {}),
    ...(author ? { author: { ...author } } : {}),
    engagement: { likes: e?.likes ?? 0, shares: e?.shares ?? 0, comments: e?.comments ?? 0 },
    text: truncateCodePoints(mention.text, textChars),
    score,
  };
}

/** The table of keys counted on their own (count is synchronous: never two at a time). */
const LONE_KEYS = new TermTable();

/** A closed window's key: counted facts, and terms counted from the kept texts when first read. */
export class FrozenKey implements KeyEvidence {
  readonly negative: number;
  readonly topPosts: KeyEvidence["topPosts"];
  readonly authors: number;
  readonly newAuthors: number;
  readonly influencers: KeyEvidence["influencers"];
  readonly firstAt: number;
  private texts: string[] | undefined;
  private counted: CountedTerms | undefined;

  constructor(
    texts: string[],
    private readonly maxTerms: number,
    facts: Omit<KeyEvidence, "terms" | "termTotal">,
  ) {
    this.texts = texts;
    this.negative = facts.negative;
    this.topPosts = facts.topPosts;
    this.authors = facts.authors;
    this.newAuthors = facts.newAuthors;
    this.influencers = facts.influencers;
    this.firstAt = facts.firstAt;
  }

  get terms(): ReadonlyMap<string, number> {
    return this.count().terms;
  }

  get termTotal(): number {
    return this.count().total;
  }

  /**
   * Counts the terms now if not yet done; false when they were already counted. A brand's keys in one
   * window share `table`, since every text is kept by the brand-wide key and by its channel's.
   */
  settle(table?: TermTable): boolean {
    if (this.counted) return false;
    this.count(table);
    return true;
  }

  /** Tokenises the texts once, keeps the most used terms and lets the texts go. */
  private count(table?: TermTable): CountedTerms {
    if (this.counted) return this.counted;
    if (table === undefined) {
      // A key read on its own (an explanation of a recent window): one table serves them all, reset
      // each time; a table per key cost more to make than to count a few texts with.
      table = LONE_KEYS;
      table.reset();
    }
    this.counted = table.count(this.texts ?? [], this.maxTerms);
    this.texts = undefined;
    return this.counted;
  }
}
