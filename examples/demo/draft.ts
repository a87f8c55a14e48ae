// A mention before it gets its id: the generator builds drafts, sorts them by time, then numbers them.
import type { Author, Engagement, RawMention, SentimentLabel } from "../../src/model/index.js";
import type { AuthorProfile } from "./authors.js";
import type { Random } from "./random.js";
import type { Lang, Mood } from "./texts.js";
import { LANG_FIELD_RATE, NUMERIC_SENTIMENT_CHANNELS } from "./volume.js";

export interface DraftFields {
  brand: string;
  text: string;
  author: Author;
  lang?: string;
  sentiment?: number | SentimentLabel;
  engagement: Engagement;
  topics?: string[];
  in_reply_to?: string;
  is_brand_reply?: boolean;
}

export interface Draft {
  /** Event time, epoch ms. */
  time: number;
  /** Creation order, to break ties in time deterministically. */
  seq: number;
  channel: string;
  /** The language the text is written in, whether or not the provider sends a `lang` field. */
  lang: Lang;
  fields: DraftFields;
  /** Set for the planted viral post; everyone else gets `${channel}-${n}`. */
  fixedId?: string;
  fixedUrl?: string;
  /** For a brand reply: the draft it answers, whose id is known by the time the reply is emitted. */
  replyTo?: Draft;
  id?: string;
}

export function byTime(a: Draft, b: Draft): number {
  return a.time - b.time || a.seq - b.seq;
}

export function authorField(a: AuthorProfile): Author {
  return { id: a.id, name: a.name, followers: a.followers };
}

/** The optional fields a provider may or may not send: lang, a sentiment score or label. */
export function providerFields(
  rng: Random,
  channel: string,
  lang: Lang,
  mood: Mood,
  sentimentShare: number,
): Pick<DraftFields, "lang" | "sentiment"> {
  const out: Pick<DraftFields, "lang" | "sentiment"> = {};
  if (rng.chance(LANG_FIELD_RATE[channel] ?? 0.3)) out.lang = lang;
  if (rng.chance(sentimentShare)) {
    if (!NUMERIC_SENTIMENT_CHANNELS.has(channel)) out.sentiment = mood;
    else if (mood === "negative") out.sentiment = round2(rng.uniform(-0.95, -0.15));
    else if (mood === "positive") out.sentiment = round2(rng.uniform(0.15, 0.95));
    else out.sentiment = round2(rng.uniform(-0.04, 0.04));
  }
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100 || 0;
}

/** Likes grow sub-linearly with the audience, with log-normal luck; shares and comments follow likes. */
export function engagementFor(rng: Random, followers: number, boost = 1): Engagement {
  const likes = Math.floor((1 + 0.03 * followers ** 0.85) * boost * rng.logNormal(0, 0.9));
  return {
    likes,
    shares: Math.floor(likes * rng.uniform(0, 0.25)),
    comments: Math.floor(likes * rng.uniform(0.02, 0.15)),
  };
}

const REDDIT_SUB: Record<Lang, string> = { en: "bicycling", fr: "velo" };

/** A plausible permalink; the number is the id's, so urls are unique like ids. */
export function urlFor(channel: string, n: number, lang: Lang, fields: DraftFields): string {
  const handle = (fields.author.name ?? "user").replace(/[^A-Za-z0-9_.-]/g, "");
  const code = n.toString(36);
  switch (channel) {
    case "twitter":
      return `https://x.com/${handle}/status/19${String(n).padStart(17, "0")}`;
    case "facebook":
      return `https://www.facebook.com/${handle}/posts/${n}`;
    case "instagram":
      return `https://www.instagram.com/p/${code}`;
    case "reddit":
      return `https://www.reddit.com/r/${REDDIT_SUB[lang]}/comments/${code}`;
    case "forum":
      return `https://forum.bikeforums.example/t/${n}`;
    case "blog":
      return `https://${handle.toLowerCase().replace(/[_.]/g, "-")}.blog.example/${n}`;
    case "news":
      return `https://news.example/${fields.author.id ?? "outlet"}/${n}`;
    case "review":
      return `https://reviews.example/${fields.brand}/${n}`;
    default:
      return `https://example.com/${channel}/${n}`;
  }
}

/** Numbers the draft and turns it into the wire shape (design.md §2), keys in a readable order. */
export function toMention(draft: Draft, counters: Map<string, number>): RawMention {
  let n = 0;
  if (draft.fixedId === undefined) {
    n = (counters.get(draft.channel) ?? 0) + 1;
    counters.set(draft.channel, n);
  }
  const id = draft.fixedId ?? `${draft.channel}-${n}`;
  draft.id = id;
  const f = draft.fields;
  const m: RawMention = {
    id,
    brand: f.brand,
    channel: draft.channel,
    created_at: new Date(draft.time).toISOString(),
    text: f.text,
    author: f.author,
    url: draft.fixedUrl ?? urlFor(draft.channel, n, draft.lang, f),
  };
  if (f.lang !== undefined) m.lang = f.lang;
  if (f.sentiment !== undefined) m.sentiment = f.sentiment;
  m.engagement = f.engagement;
  if (f.topics !== undefined) m.topics = f.topics;
  const inReplyTo = draft.replyTo?.id ?? f.in_reply_to;
  if (inReplyTo !== undefined) m.in_reply_to = inReplyTo;
  if (f.is_brand_reply) m.is_brand_reply = true;
  return m;
}
