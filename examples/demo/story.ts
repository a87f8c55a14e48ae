// The crisis posts: the planted viral post, the first post on each channel, and the growing crowd after.
import type { GenContext } from "./context.js";
import { type CrisisPlan, openChannels, storyRate } from "./crisis.js";
import { authorField, type Draft, engagementFor, providerFields } from "./draft.js";
import type { Random } from "./random.js";
import { CRISIS_REPLIES, maybeReply } from "./replies.js";
import { storyText, viralPostText } from "./story-texts.js";
import type { Lang } from "./texts.js";
import { HOUR_MS } from "./volume.js";

/** The pool index of the person who posts the video; the same person in every scenario. */
const VIRAL_AUTHOR_INDEX = 9001;
/** Share of story authors drawn uniformly from the whole pool: a viral story brings in new voices. */
const FRESH_VOICES = 0.6;

export class StoryStream {
  readonly viralHandle: string;

  constructor(
    private readonly plan: CrisisPlan,
    private readonly rng: Random,
    ctx: GenContext,
  ) {
    this.viralHandle = ctx.pool.get(VIRAL_AUTHOR_INDEX).name;
  }

  /** Adds the story drafts of [from, to) to `out`. */
  draftSlot(ctx: GenContext, from: number, to: number, out: Draft[]): void {
    const { plan, rng } = this;
    if (to <= plan.start || from >= plan.end) return;
    if (plan.start >= from && plan.start < to) out.push(this.viralPost(ctx));
    for (const onset of plan.onsets) {
      if (onset.channel !== "forum" && onset.at >= from && onset.at < to) {
        out.push(this.post(ctx, onset.at, onset.channel, "en"));
      }
    }
    const lo = Math.max(from, plan.start);
    const hi = Math.min(to, plan.end);
    const n = rng.poisson((storyRate(plan, (lo + hi) / 2) * (hi - lo)) / HOUR_MS);
    for (let i = 0; i < n; i++) {
      const time = lo + Math.floor(rng.next() * (hi - lo));
      const channels = openChannels(plan, time);
      if (channels.length === 0) continue;
      const channel = rng.weighted(channels);
      const draft = this.post(ctx, time, channel);
      out.push(draft);
      if (channel !== "news") maybeReply(rng, ctx, draft, CRISIS_REPLIES);
    }
  }

  private viralPost(ctx: GenContext): Draft {
    const { plan, rng } = this;
    const author = ctx.pool.get(VIRAL_AUTHOR_INDEX);
    return {
      time: plan.start,
      seq: ctx.nextSeq(),
      channel: "forum",
      lang: "en",
      fixedId: plan.viralPostId,
      fixedUrl: plan.viralUrl,
      fields: {
        brand: plan.brand,
        text: viralPostText(plan.brand),
        author: authorField(author),
        ...providerFields(rng, "forum", "en", "negative", ctx.sentimentShare),
        engagement: { likes: 24_300, shares: 11_800, comments: 3_940 },
        topics: ["security", "lockgate"],
      },
    };
  }

  /** One story post; `lang` forces the language (the first post on each channel is in English). */
  private post(ctx: GenContext, time: number, channel: string, lang?: Lang): Draft {
    const { plan, rng } = this;
    const author =
      channel === "news"
        ? ctx.pool.outlet(rng, lang ?? (rng.chance(0.55) ? "en" : "fr"))
        : ctx.pool.pick(rng, FRESH_VOICES);
    const textLang = lang ?? author.lang;
    const fields: Draft["fields"] = {
      brand: plan.brand,
      text: storyText(rng, {
        brand: plan.brand,
        lang: textLang,
        channel,
        viralUrl: plan.viralUrl,
        viralHandle: this.viralHandle,
      }),
      author: authorField(author),
      ...providerFields(rng, channel, textLang, "negative", ctx.sentimentShare),
      engagement: engagementFor(rng, author.followers, 4),
    };
    if (rng.chance(0.6)) fields.topics = ["security", "lockgate"];
    // Forum posts are replies in the viral thread.
    if (channel === "forum" && rng.chance(0.7)) fields.in_reply_to = plan.viralPostId;
    return { time, seq: ctx.nextSeq(), channel, lang: textLang, fields };
  }
}
