// What the per-source deadman (aggregate/feed-watch.ts) finds, as alerting's FeedStalled alert reads it.

/** A feed that stalled, came back or was forgotten, as found by `check`. */
export interface FeedChange {
  brand: string;
  channel: string;
  stalled: boolean;
  /** Event time of the feed's newest mention before the silence, epoch ms. */
  silenceFrom: number;
  /** Event time of its newest mention now (silenceFrom while stalled), epoch ms. */
  lastSeen: number;
  /** Mentions the profile expected over the silence when the stall was found. */
  expected: number;
  /** The feed was silent for DAYS: it is forgotten, and learned again when it speaks. */
  forgotten?: boolean;
}
