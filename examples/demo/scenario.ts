// The demo scenario: days of everyday brand talk, and one Kryptonite-style crisis, generated slot by slot.
import type { RawMention } from "../../src/model/index.js";
import { AuthorPool } from "./authors.js";
import type { GenContext } from "./context.js";
import { CHANNEL_ORDER, type CrisisOptions, type CrisisPlan, planCrisis } from "./crisis.js";
import { byTime, type Draft, toMention } from "./draft.js";
import { BrandStream } from "./everyday.js";
import { Random } from "./random.js";
import { StoryStream } from "./story.js";
import { STORY_TERMS } from "./story-texts.js";
import { DAY_MS, NEGATIVE_SHARE, seasonality } from "./volume.js";

export type { CrisisOptions } from "./crisis.js";
export { CHANNEL_ORDER, STORY_TERMS };

export interface ScenarioOptions {
  seed?: number;
  /** ISO 8601; default 2026-03-02T00:00:00Z, a Monday. */
  start?: string;
  /** Default 6 (Monday to Saturday included). Fractions allowed. */
  days?: number;
  /** Default ["kryptonite", "velora"]; velora is a calm brand that never has a crisis. */
  brands?: string[];
  /** Mean mentions per hour per brand at the evening peak of a weekday (default 120). */
  baseRatePerHour?: number;
  /**
   * false for none. Missing fields take the defaults: kryptonite (else the first brand), starting
   * Friday 09:00 (4×24+9 h after the default start), 10 hours up then down, peak 18× the usual
   * negative volume of that hour.
   */
  crisis?: false | Partial<CrisisOptions>;
  /** Fraction of mentions carrying a provider `sentiment` field (default 0.5). */
  providerSentimentShare?: number;
}

export interface CrisisFacts {
  brand: string;
  start: string;
  /** Exclusive, clipped to the scenario end. */
  end: string;
  /** When the story volume peaks. */
  peak: string;
  viralPostId: string;
  viralUrl: string;
  storyTerms: string[];
  /** Channels in the order the story reaches them (only those reached before the end). */
  channelOrder: string[];
}

export interface ScenarioFacts {
  crisis: CrisisFacts | null;
  start: string;
  /** Exclusive. */
  end: string;
}

export const DEFAULT_START = "2026-03-02T00:00:00Z";
export const DEFAULT_SEED = 2004;
const DEFAULT_CRISIS = { startHour: 4 * 24 + 9, durationHours: 10, peakMultiplier: 18 };
/** Generation step: small enough that seasonality and the crisis curve look smooth at 5-minute windows. */
const SLOT_MS = 5 * 60_000;

interface Resolved {
  seed: number;
  start: number;
  end: number;
  brands: string[];
  baseRatePerHour: number;
  providerSentimentShare: number;
  crisis: CrisisPlan | null;
}

function resolve(opts: ScenarioOptions): Resolved {
  const seed = opts.seed ?? DEFAULT_SEED;
  const start = Date.parse(opts.start ?? DEFAULT_START);
  const days = opts.days ?? 6;
  const brands = opts.brands ?? ["kryptonite", "velora"];
  const baseRatePerHour = opts.baseRatePerHour ?? 120;
  const providerSentimentShare = opts.providerSentimentShare ?? 0.5;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a number, got ${seed}`);
  if (Number.isNaN(start)) throw new RangeError(`start is not an ISO 8601 date: ${opts.start}`);
  if (!(days > 0)) throw new RangeError(`days must be > 0, got ${days}`);
  if (brands.length === 0 || new Set(brands).size !== brands.length) {
    throw new RangeError("brands must be a non-empty list without duplicates");
  }
  if (!(baseRatePerHour >= 0)) throw new RangeError(`baseRatePerHour must be >= 0, got ${baseRatePerHour}`);
  if (!(providerSentimentShare >= 0 && providerSentimentShare <= 1)) {
    throw new RangeError(`providerSentimentShare must be in [0, 1], got ${providerSentimentShare}`);
  }
  const end = start + Math.round(days * DAY_MS);
  let crisis: CrisisPlan | null = null;
  if (opts.crisis !== false) {
    const c: CrisisOptions = {
      brand: brands.includes("kryptonite") ? "kryptonite" : (brands[0] as string),
      ...DEFAULT_CRISIS,
      ...opts.crisis,
    };
    if (!brands.includes(c.brand)) throw new RangeError(`crisis brand ${c.brand} is not among the brands`);
    if (!(c.startHour >= 0)) throw new RangeError(`crisis.startHour must be >= 0, got ${c.startHour}`);
    if (!(c.durationHours > 0)) throw new RangeError(`crisis.durationHours must be > 0`);
    if (!(c.peakMultiplier >= 1)) throw new RangeError(`crisis.peakMultiplier must be >= 1`);
    const usualNegative = (t: number) => baseRatePerHour * seasonality(t) * NEGATIVE_SHARE;
    crisis = planCrisis(c, start, end, usualNegative);
  }
  return { seed, start, end, brands, baseRatePerHour, providerSentimentShare, crisis };
}

/** The ground truth of a scenario, computed without generating it. */
export function scenarioFacts(opts: ScenarioOptions = {}): ScenarioFacts {
  const r = resolve(opts);
  const iso = (t: number) => new Date(t).toISOString();
  const c = r.crisis;
  return {
    start: iso(r.start),
    end: iso(r.end),
    crisis: c && {
      brand: c.brand,
      start: iso(c.start),
      end: iso(c.end),
      peak: iso(c.peak),
      viralPostId: c.viralPostId,
      viralUrl: c.viralUrl,
      storyTerms: [...STORY_TERMS],
      channelOrder: c.onsets.map((o) => o.channel),
    },
  };
}

/**
 * The mentions of the scenario in non-decreasing `created_at` order. Memory stays constant whatever
 * the size: one 5-minute slot is built, sorted and emitted at a time, and only brand replies not yet
 * due are carried over. Each brand and the crisis draw from their own random stream, so a brand's
 * everyday talk does not change when the crisis or another brand is switched on or off.
 */
export function* generateMentions(opts: ScenarioOptions = {}): Generator<RawMention> {
  const r = resolve(opts);
  let seq = 0;
  let pending: Draft[] = [];
  const ctx: GenContext = {
    pool: new AuthorPool(r.seed),
    sentimentShare: r.providerSentimentShare,
    nextSeq: () => seq++,
    schedule: (draft) => {
      if (draft.time < r.end) pending.push(draft);
    },
  };
  const brands = r.brands.map(
    (brand) => new BrandStream(brand, Random.stream(r.seed, `brand:${brand}`), r.baseRatePerHour),
  );
  const story = r.crisis && new StoryStream(r.crisis, Random.stream(r.seed, "crisis"), ctx);
  const counters = new Map<string, number>();
  for (let from = r.start; from < r.end; from += SLOT_MS) {
    const to = Math.min(from + SLOT_MS, r.end);
    const slot: Draft[] = [];
    for (const brand of brands) brand.draftSlot(ctx, from, to, slot);
    story?.draftSlot(ctx, from, to, slot);
    // Replies due in this slot, including answers to posts of this very slot.
    const later: Draft[] = [];
    for (const d of pending) (d.time < to ? slot : later).push(d);
    pending = later;
    slot.sort(byTime);
    for (const draft of slot) yield toMention(draft, counters);
  }
}
