// The demo scenario generator: determinism, shape of everyday talk, and the planted crisis ground truth.
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import {
  generateMentions,
  type ScenarioFacts,
  type ScenarioOptions,
  scenarioFacts,
} from "../examples/demo/scenario.js";
import {
  CORE_TEMPLATES,
  fill,
  type Lang,
  MOOD_WORDS,
  type Mood,
  productsOf,
} from "../examples/demo/texts.js";
import type { RawMention } from "../src/model/index.js";

const HOUR = 3_600_000;
const CHANNELS = ["twitter", "facebook", "instagram", "reddit", "forum", "blog", "news", "review"];

function collect(opts: ScenarioOptions = {}): RawMention[] {
  return [...generateMentions(opts)];
}

const ms = (m: RawMention) => Date.parse(m.created_at);

/** The provider's verdict, when the mention carries one (threshold as the classifier's: ±0.05). */
function providerMood(m: RawMention): Mood | null {
  const s = m.sentiment;
  if (s === undefined) return null;
  if (typeof s === "string") return s;
  return s < -0.05 ? "negative" : s > 0.05 ? "positive" : "neutral";
}

function tokens(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}]+/u);
}

function hasAny(text: string, list: readonly string[]): boolean {
  const t = new Set(tokens(text));
  return list.some((w) => t.has(w));
}

/** Whole-word, case-insensitive: "open" does not contain the story term "pen", "#bicpen" not "bic". */
function hasTerm(text: string, term: string): boolean {
  const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\p{L}\\p{N}#])${escaped}(?![\\p{L}\\p{N}])`, "iu").test(text);
}

function countBy(ms: RawMention[], pred: (m: RawMention) => boolean, from: number, to: number): number {
  let n = 0;
  for (const m of ms) {
    const t = Date.parse(m.created_at);
    if (t >= from && t < to && pred(m)) n++;
  }
  return n;
}

describe("demo scenario generator (default scenario)", () => {
  let all: RawMention[];
  let facts: ScenarioFacts;
  let crisis: NonNullable<ScenarioFacts["crisis"]>;
  let isStory: (m: RawMention) => boolean;

  let elapsedMs: number;

  beforeAll(() => {
    // A week rather than the default six days: one generation serves every check, the timing one too.
    const started = performance.now();
    all = collect({ days: 7 });
    elapsedMs = performance.now() - started;
    facts = scenarioFacts({ days: 7 });
    if (!facts.crisis) throw new Error("the default scenario has a crisis");
    crisis = facts.crisis;
    const terms = crisis.storyTerms;
    isStory = (m) => m.brand === crisis.brand && terms.some((t) => hasTerm(m.text, t));
  });

  it("describes by default a six-day scenario from a Monday with a Friday-morning crisis on kryptonite", () => {
    const defaults = scenarioFacts();
    expect(defaults.start).toBe("2026-03-02T00:00:00.000Z");
    expect(defaults.end).toBe("2026-03-08T00:00:00.000Z");
    expect(defaults.crisis).toEqual(crisis);
    expect(crisis).toMatchObject({
      brand: "kryptonite",
      start: "2026-03-06T09:00:00.000Z",
      end: "2026-03-06T19:00:00.000Z",
      viralPostId: "forum-viral-1",
      channelOrder: ["forum", "reddit", "twitter", "blog", "facebook", "news"],
    });
    expect(crisis.storyTerms).toEqual(
      expect.arrayContaining(["pen", "bic", "ballpoint", "#lockgate", "stylo"]),
    );
  });

  it("emits mentions in non-decreasing created_at order, all inside [start, end), as ISO 8601 UTC", () => {
    const start = Date.parse(facts.start);
    const end = Date.parse(facts.end);
    let previous = start;
    const wrong: string[] = [];
    for (const m of all) {
      const t = ms(m);
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(m.created_at) || t < previous || t >= end) {
        wrong.push(`${m.id} ${m.created_at}`);
      }
      previous = t;
    }
    expect(wrong).toEqual([]);
  });

  it("gives every mention a unique id and url and the required fields", () => {
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    expect(new Set(all.map((m) => m.url)).size).toBe(all.length);
    const required = ["id", "brand", "text", "channel", "created_at"] as const;
    const wrong = all.filter(
      (m) =>
        required.some((k) => typeof m[k] !== "string" || m[k].length === 0) ||
        !((m.author?.followers ?? -1) >= 0) ||
        !((m.engagement?.likes ?? -1) >= 0),
    );
    expect(wrong).toEqual([]);
  });

  it("generates a week at the default rate quickly", () => {
    expect(all.length).toBeGreaterThan(20_000);
    expect(elapsedMs).toBeLessThan(3000);
  });

  it("talks about both brands on all eight channels, twitter the largest", () => {
    const byChannel = new Map<string, number>();
    for (const m of all) byChannel.set(m.channel, (byChannel.get(m.channel) ?? 0) + 1);
    expect([...byChannel.keys()].sort()).toEqual([...CHANNELS].sort());
    const twitter = byChannel.get("twitter") ?? 0;
    for (const [channel, n] of byChannel) if (channel !== "twitter") expect(n).toBeLessThan(twitter);
    expect(new Set(all.map((m) => m.brand))).toEqual(new Set(["kryptonite", "velora"]));
  });

  it("is quieter at night than in the day, and on the weekend than on weekdays", () => {
    const monday = Date.parse("2026-03-02T00:00:00Z");
    const night = countBy(all, () => true, monday + 2 * HOUR, monday + 5 * HOUR);
    const day = countBy(all, () => true, monday + 12 * HOUR, monday + 15 * HOUR);
    expect(night * 3).toBeLessThan(day);
    const tuesday = countBy(all, () => true, monday + 24 * HOUR, monday + 48 * HOUR);
    const saturday = countBy(all, () => true, monday + 5 * 24 * HOUR, monday + 6 * 24 * HOUR);
    expect(saturday).toBeLessThan(tuesday * 0.85);
  });

  it("has a 15-25% negative baseline and the lang field on some mentions only, English ahead of French", () => {
    const before = all.filter((m) => ms(m) < Date.parse(crisis.start) && !m.is_brand_reply);
    const scored = before.filter((m) => providerMood(m) !== null);
    const negative = scored.filter((m) => providerMood(m) === "negative").length / scored.length;
    expect(negative).toBeGreaterThan(0.15);
    expect(negative).toBeLessThan(0.25);
    expect(scored.length / before.length).toBeCloseTo(0.5, 1);
    const withLang = all.filter((m) => m.lang !== undefined);
    expect(withLang.length / all.length).toBeGreaterThan(0.3);
    expect(withLang.length / all.length).toBeLessThan(0.9);
    const english = withLang.filter((m) => m.lang === "en").length / withLang.length;
    expect(english).toBeGreaterThan(0.45);
    expect(english).toBeLessThan(0.7);
  });

  it("draws authors from a heavy-tailed pool: a few influencers, many small accounts", () => {
    const followers = new Map<string, number>();
    for (const m of all) if (m.author?.id) followers.set(m.author.id, m.author.followers ?? 0);
    const values = [...followers.values()].sort((a, b) => a - b);
    expect(values[Math.floor(values.length / 2)]).toBeLessThan(1000);
    expect(values.filter((f) => f > 100_000).length).toBeGreaterThanOrEqual(3);
    const posts = new Map<string, number>();
    for (const m of all) if (m.author?.id) posts.set(m.author.id, (posts.get(m.author.id) ?? 0) + 1);
    const top = Math.max(...posts.values());
    expect(top).toBeGreaterThan(50);
    expect(top).toBeLessThan(all.length * 0.05);
  });

  it("writes texts whose words carry the mood the provider gives them", () => {
    const negatives = [...MOOD_WORDS.negative.en, ...MOOD_WORDS.negative.fr];
    const positives = [...MOOD_WORDS.positive.en, ...MOOD_WORDS.positive.fr];
    const wrong = all.filter((m) => {
      const mood = providerMood(m);
      if (mood === null) return false;
      return (
        hasAny(m.text, negatives) !== (mood === "negative") ||
        hasAny(m.text, positives) !== (mood === "positive")
      );
    });
    expect(wrong.map((m) => `${m.sentiment}: ${m.text}`)).toEqual([]);
  });

  it("multiplies kryptonite's negative volume in the crisis window compared with the same hours the day before", () => {
    const negative = (m: RawMention) => m.brand === "kryptonite" && providerMood(m) === "negative";
    const start = Date.parse(crisis.start);
    const end = Date.parse(crisis.end);
    const during = countBy(all, negative, start, end);
    const dayBefore = countBy(all, negative, start - 24 * HOUR, end - 24 * HOUR);
    expect(during).toBeGreaterThan(4 * dayBefore);
    const peak = Date.parse(crisis.peak);
    const peakHour = countBy(all, negative, peak - HOUR / 2, peak + HOUR / 2);
    const usualHour = countBy(all, negative, peak - 24.5 * HOUR, peak - 23.5 * HOUR);
    expect(peakHour).toBeGreaterThan(10 * usualHour);
  });

  it("leaves velora calm during kryptonite's crisis", () => {
    const negative = (m: RawMention) => m.brand === "velora" && providerMood(m) === "negative";
    const start = Date.parse(crisis.start);
    const end = Date.parse(crisis.end);
    expect(countBy(all, negative, start, end)).toBeLessThan(
      2 * countBy(all, negative, start - 24 * HOUR, end - 24 * HOUR),
    );
  });

  it("plants the viral forum post first, at the crisis start, with huge engagement", () => {
    const viral = all.find((m) => m.id === crisis.viralPostId);
    expect(viral).toMatchObject({
      brand: crisis.brand,
      channel: "forum",
      created_at: crisis.start,
      url: crisis.viralUrl,
    });
    expect(viral?.engagement?.shares).toBeGreaterThan(5000);
    expect(all.find(isStory)?.id).toBe(crisis.viralPostId);
  });

  it("keeps story terms inside the crisis window and brand, and uses every one of them", () => {
    const start = Date.parse(crisis.start);
    const end = Date.parse(crisis.end);
    const terms = crisis.storyTerms;
    const withTerm = all.filter((m) => terms.some((t) => hasTerm(m.text, t)));
    for (const m of withTerm) {
      expect(m.brand).toBe(crisis.brand);
      expect(ms(m)).toBeGreaterThanOrEqual(start);
      expect(ms(m)).toBeLessThan(end);
    }
    expect(withTerm.length).toBeGreaterThan(500);
    for (const term of terms)
      expect(
        withTerm.some((m) => hasTerm(m.text, term)),
        term,
      ).toBe(true);
    expect(withTerm.filter((m) => m.text.includes(crisis.viralUrl)).length).toBeGreaterThan(50);
    expect(withTerm.some((m) => m.lang === "fr" || hasTerm(m.text, "stylo"))).toBe(true);
  });

  it("spreads the story channel by channel in the announced order, news last and few", () => {
    const first: string[] = [];
    for (const m of all) if (isStory(m) && !first.includes(m.channel)) first.push(m.channel);
    expect(first).toEqual(crisis.channelOrder);
    const story = all.filter(isStory);
    const news = story.filter((m) => m.channel === "news");
    expect(news.length).toBeGreaterThan(0);
    expect(news.length).toBeLessThan(story.length * 0.1);
    for (const m of news) expect(m.author?.followers).toBeGreaterThan(100_000);
  });

  it("has the brand answer about 30% of complaints, on the same channel, after the complaint", () => {
    const byId = new Map(all.map((m, i) => [m.id, { m, i }]));
    const replies = all.filter((m) => m.is_brand_reply);
    expect(replies.length).toBeGreaterThan(100);
    const wrong: string[] = [];
    for (const [i, m] of all.entries()) {
      if (m.in_reply_to === undefined) continue;
      const target = byId.get(m.in_reply_to);
      const ok =
        target !== undefined &&
        target.i < i &&
        ms(m) > ms(target.m) &&
        (!m.is_brand_reply ||
          (m.channel === target.m.channel &&
            m.brand === target.m.brand &&
            m.author?.id === `brand-${m.brand}` &&
            providerMood(target.m) !== "positive"));
      if (!ok) wrong.push(`${m.id} -> ${m.in_reply_to}`);
    }
    expect(wrong).toEqual([]);
    const answered = new Set(replies.map((m) => m.in_reply_to));
    const complaints = all.filter(
      (m) =>
        !isStory(m) &&
        m.channel !== "news" &&
        providerMood(m) === "negative" &&
        ms(m) < Date.parse(facts.end) - 8 * HOUR,
    );
    const rate = complaints.filter((m) => answered.has(m.id)).length / complaints.length;
    expect(rate).toBeGreaterThan(0.22);
    expect(rate).toBeLessThan(0.38);
  });
});

describe("demo scenario generator (options)", () => {
  const small: ScenarioOptions = { days: 2, baseRatePerHour: 30 };

  it("gives the same output for the same seed and a different one for another seed", () => {
    const a = collect({ ...small, seed: 7 });
    expect(collect({ ...small, seed: 7 })).toEqual(a);
    const b = collect({ ...small, seed: 8 });
    expect(b.map((m) => m.text)).not.toEqual(a.map((m) => m.text));
  });

  it("gives the same first days whatever the number of days", () => {
    const two = collect({ ...small, seed: 3 });
    const three = collect({ ...small, seed: 3, days: 3 });
    expect(three.slice(0, two.length)).toEqual(two);
    expect(Date.parse(three[two.length]?.created_at ?? "")).toBeGreaterThanOrEqual(
      Date.parse("2026-03-04T00:00:00Z"),
    );
  });

  it("keeps a brand's everyday talk unchanged when the crisis is switched off", () => {
    const opts = { seed: 5, days: 5, baseRatePerHour: 20 };
    const velora = (ms: RawMention[]) =>
      ms.filter((m) => m.brand === "velora").map((m) => `${m.created_at} ${m.channel} ${m.text}`);
    const withCrisis = collect(opts);
    const without = collect({ ...opts, crisis: false });
    expect(velora(without)).toEqual(velora(withCrisis));
    expect(without.length).toBeLessThan(withCrisis.length);
    expect(without.some((m) => m.id === "forum-viral-1")).toBe(false);
    expect(scenarioFacts({ ...opts, crisis: false }).crisis).toBeNull();
  });

  it("reports no crisis when it would start after the end, and clips one that overruns it", () => {
    expect(scenarioFacts({ days: 2 }).crisis).toBeNull();
    const clipped = scenarioFacts({ days: 1, crisis: { startHour: 20, durationHours: 10 } }).crisis;
    expect(clipped?.end).toBe("2026-03-03T00:00:00.000Z");
    // Onsets at 0, 8%, 15%, 30% of 10 h: blog at 23:00 makes it, facebook at midnight does not.
    expect(clipped?.channelOrder).toEqual(["forum", "reddit", "twitter", "blog"]);
  });

  it("moves the crisis to another brand, time and size on request", () => {
    const opts: ScenarioOptions = {
      days: 2,
      baseRatePerHour: 40,
      brands: ["acme", "velora"],
      crisis: { brand: "acme", startHour: 30, durationHours: 6, peakMultiplier: 10 },
    };
    const facts = scenarioFacts(opts);
    expect(facts.crisis).toMatchObject({ brand: "acme", start: "2026-03-03T06:00:00.000Z" });
    const viral = collect(opts).find((m) => m.id === "forum-viral-1");
    expect(viral).toMatchObject({ brand: "acme", created_at: "2026-03-03T06:00:00.000Z" });
    expect(viral?.text).toContain("Acme");
  });

  it("honours the provider sentiment share", () => {
    const none = collect({ ...small, providerSentimentShare: 0 });
    expect(none.some((m) => m.sentiment !== undefined)).toBe(false);
    const every = collect({ ...small, providerSentimentShare: 1 });
    expect(every.every((m) => m.sentiment !== undefined)).toBe(true);
  });

  it("refuses options that make no sense", () => {
    expect(() => scenarioFacts({ days: 0 })).toThrow(RangeError);
    expect(() => scenarioFacts({ start: "yesterday" })).toThrow(RangeError);
    expect(() => scenarioFacts({ brands: [] })).toThrow(RangeError);
    expect(() => scenarioFacts({ providerSentimentShare: 2 })).toThrow(RangeError);
    expect(() => scenarioFacts({ crisis: { brand: "nobody" } })).toThrow(/not among the brands/);
  });
});

describe("demo texts", () => {
  const every = (mood: Mood, lang: Lang) =>
    CORE_TEMPLATES[mood][lang].flatMap((t) =>
      ["kryptonite", "velora", "acme"].flatMap((b) => productsOf(b, lang).map((p) => fill(t, b, p))),
    );

  it("puts mood words only in the templates of that mood", () => {
    for (const lang of ["en", "fr"] as const) {
      for (const text of every("negative", lang)) {
        expect(hasAny(text, MOOD_WORDS.negative[lang]), text).toBe(true);
        expect(hasAny(text, MOOD_WORDS.positive[lang]), text).toBe(false);
      }
      for (const text of every("positive", lang)) {
        expect(hasAny(text, MOOD_WORDS.positive[lang]), text).toBe(true);
        expect(hasAny(text, MOOD_WORDS.negative[lang]), text).toBe(false);
      }
      for (const text of every("neutral", lang)) {
        expect(hasAny(text, [...MOOD_WORDS.positive[lang], ...MOOD_WORDS.negative[lang]]), text).toBe(false);
      }
    }
  });

  it("is scored in the intended direction by the @nlpjs French lexicon", async () => {
    const require = createRequire(import.meta.url);
    const { Container } = require("@nlpjs/core") as { Container: new () => { use(x: unknown): void } };
    const { SentimentAnalyzer } = require("@nlpjs/sentiment") as {
      SentimentAnalyzer: new (s: object) => {
        process(i: { locale: string; text: string }): Promise<{ sentiment: { score: number } }>;
      };
    };
    const { LangFr } = require("@nlpjs/lang-fr") as { LangFr: unknown };
    const container = new Container();
    container.use(LangFr);
    const analyzer = new SentimentAnalyzer({ container });
    const score = async (text: string) => (await analyzer.process({ locale: "fr", text })).sentiment.score;
    for (const text of every("negative", "fr")) expect(await score(text), text).toBeLessThan(0);
    for (const text of every("positive", "fr")) expect(await score(text), text).toBeGreaterThan(0);
    for (const text of every("neutral", "fr")) expect(await score(text), text).toBe(0);
  });
});
