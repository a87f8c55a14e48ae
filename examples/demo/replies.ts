// The brand's own account answering complaints, on the same channel, minutes to hours later.
import { brandAccount } from "./authors.js";
import type { GenContext } from "./context.js";
import { authorField, type Draft, engagementFor, providerFields } from "./draft.js";
import type { Random } from "./random.js";
import { brandReplyText } from "./texts.js";

const MINUTE_MS = 60_000;

export interface ReplyPolicy {
  /** Probability that a negative mention gets an answer. */
  rate: number;
  /** Median delay before the answer; the spread is log-normal. */
  medianDelayMs: number;
}

/** Everyday: about 30% of complaints answered, typically within the hour. */
export const EVERYDAY_REPLIES: ReplyPolicy = { rate: 0.3, medianDelayMs: 45 * MINUTE_MS };
/** During a crisis the community team is swamped: few answers, hours late (Kryptonite took days). */
export const CRISIS_REPLIES: ReplyPolicy = { rate: 0.04, medianDelayMs: 180 * MINUTE_MS };

const MIN_DELAY_MS = 2 * MINUTE_MS;
const MAX_DELAY_MS = 8 * 60 * MINUTE_MS;

/** Maybe schedule the brand's answer to `original`, a negative mention; answers falling after the end are dropped later. */
export function maybeReply(rng: Random, ctx: GenContext, original: Draft, policy: ReplyPolicy): void {
  const answer = rng.chance(policy.rate);
  const delay = Math.min(MAX_DELAY_MS, Math.max(MIN_DELAY_MS, policy.medianDelayMs * rng.logNormal(0, 0.9)));
  if (!answer) return;
  const account = brandAccount(original.fields.brand);
  const handle = original.fields.author.name ?? "there";
  ctx.schedule({
    time: original.time + Math.round(delay),
    seq: ctx.nextSeq(),
    channel: original.channel,
    lang: original.lang,
    replyTo: original,
    fields: {
      brand: original.fields.brand,
      text: brandReplyText(rng, original.lang, handle),
      author: authorField(account),
      ...providerFields(rng, original.channel, original.lang, "positive", ctx.sentimentShare),
      engagement: engagementFor(rng, 200),
      is_brand_reply: true,
    },
  });
}
