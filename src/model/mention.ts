// The Mention as the rest of the pipeline sees it: validated, normalised, event time in epoch ms.
export type SentimentLabel = "negative" | "neutral" | "positive";

/** Where a mention's sentiment came from, kept so an analyst can tell provider scores from ours. */
export type SentimentSource = "provider" | "lexicon";

export interface Author {
  id?: string;
  name?: string;
  followers?: number;
}

export interface Engagement {
  likes?: number;
  shares?: number;
  comments?: number;
}

/** A mention exactly as accepted at the edge (design.md §2); unknown fields are kept, not used. */
export interface RawMention {
  id: string;
  brand: string;
  text: string;
  channel: string;
  created_at: string;
  author?: Author;
  url?: string;
  lang?: string;
  sentiment?: number | SentimentLabel;
  engagement?: Engagement;
  topics?: string[];
  in_reply_to?: string;
  is_brand_reply?: boolean;
  [extra: string]: unknown;
}

/** A validated mention plus the fields the pipeline derives from it. */
export interface Mention extends RawMention {
  /** created_at as epoch milliseconds (event time). */
  time: number;
}

/** The classifier's verdict, attached beside the mention rather than inside it. */
export interface Classification {
  label: SentimentLabel;
  /** Score in [-1, 1]. */
  score: number;
  source: SentimentSource;
  /** Language used for lexicon scoring (ISO 639-1), or the provider's `lang` ("und" when absent). */
  lang: string;
}
