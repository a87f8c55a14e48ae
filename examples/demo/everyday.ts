// Everyday talk about one brand in one time slot: Poisson counts around a seasonal mean.
import type { GenContext } from "./context.js";
import { authorField, type Draft, engagementFor, providerFields } from "./draft.js";
import { type Random, weightedSampler } from "./random.js";
import { EVERYDAY_REPLIES, maybeReply } from "./replies.js";
import { everydayText, type Lang, type Mood } from "./texts.js";
import { CHANNEL_SHARES, HOUR_MS, moodMix, seasonality } from "./volume.js";

const pickChannel = weightedSampler(CHANNEL_SHARES);

const TOPICS: Record<Mood, readonly string[]> = {
  negative: ["quality", "delivery", "customer service", "price", "durability"],
  neutral: ["product", "availability", "stores", "sizing"],
  positive: ["quality", "design", "customer service", "value"],
};

/** One brand's own random stream and its hour-to-hour level (extra-Poisson noise, as real counts have). */
export class BrandStream {
  private hour = Number.NaN;
  private level = 1;

  constructor(
    readonly brand: string,
    readonly rng: Random,
    private readonly baseRatePerHour: number,
  ) {}

  /** Mean mentions per hour at time t, before the hourly noise. */
  expectedRate(t: number): number {
    return this.baseRatePerHour * seasonality(t);
  }

  /** Adds the slot's everyday drafts to `out`. */
  draftSlot(ctx: GenContext, from: number, to: number, out: Draft[]): void {
    const hour = Math.floor(from / HOUR_MS);
    if (hour !== this.hour) {
      this.hour = hour;
      this.level = this.rng.logNormal(0, 0.1);
    }
    const rng = this.rng;
    const lambda = (this.expectedRate((from + to) / 2) * this.level * (to - from)) / HOUR_MS;
    const n = rng.poisson(lambda);
    for (let i = 0; i < n; i++) {
      const draft = this.draft(ctx, from + Math.floor(rng.next() * (to - from)));
      out.push(draft);
      if (draft.mood === "negative" && draft.channel !== "news")
        maybeReply(rng, ctx, draft, EVERYDAY_REPLIES);
    }
  }

  private draft(ctx: GenContext, time: number): Draft & { mood: Mood } {
    const rng = this.rng;
    const channel = pickChannel(rng);
    const mood = rng.weighted(moodMix(channel));
    const author =
      channel === "news" ? ctx.pool.outlet(rng, rng.chance(0.55) ? "en" : "fr") : ctx.pool.pick(rng);
    const lang: Lang = author.lang;
    const text = everydayText(rng, {
      brand: this.brand,
      mood,
      lang,
      channel,
      otherHandle: ctx.pool.pick(rng).name,
    });
    const fields: Draft["fields"] = {
      brand: this.brand,
      text,
      author: authorField(author),
      ...providerFields(rng, channel, lang, mood, ctx.sentimentShare),
      engagement: engagementFor(rng, author.followers),
    };
    if (rng.chance(0.25)) fields.topics = [rng.pick(TOPICS[mood])];
    return { time, seq: ctx.nextSeq(), channel, lang, fields, mood };
  }
}
