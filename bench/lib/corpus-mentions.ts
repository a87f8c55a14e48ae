// Mention corpora for the pipeline and classify benchmarks: NDJSON chunks built from the demo
// scenario's mentions (its texts, authors, replies and sizes), spread over any number of brands at a
// fixed event-time rate, so that corpus size and series count can be scaled one at a time.
import { generateMentions } from "../../examples/demo/scenario.js";
import type { RawMention } from "../../src/model/index.js";

/** Lines per chunk, as a file replay or an HTTP batch would hand them to Engine.ingest. */
export const CHUNK_LINES = 1_000;
/** Series keys per brand in the demo: its 8 channels plus `all`. */
export const KEYS_PER_BRAND = 9;
/** Distinct demo mentions the corpora cycle through (texts repeat beyond that, ids and times do not). */
const POOL_SIZE = 20_000;
const START = Date.parse("2026-03-02T00:00:00Z");

export interface CorpusOptions {
  mentions: number;
  /** Brands the mentions are spread over; each has up to KEYS_PER_BRAND series keys. */
  brands: number;
  /** true: every mention carries a provider sentiment; false: none does (the lexicon scores them). */
  providerSentiment: boolean;
  /** Event-time rate: mentions per 5-minute window over all brands (default 1,000). */
  perWindow?: number;
}

export interface Corpus {
  chunks: Buffer[];
  mentions: number;
  bytes: number;
  /** Series keys the windower will know (brand × channel and brand × all). */
  seriesKeys: number;
  /** Event-time span in 5-minute windows. */
  windows: number;
}

const pools = new Map<boolean, RawMention[]>();

/** The first POOL_SIZE mentions of the demo scenario (generated once per process). */
function pool(providerSentiment: boolean): RawMention[] {
  let mentions = pools.get(providerSentiment);
  if (mentions) return mentions;
  mentions = [];
  for (const mention of generateMentions({
    days: 60,
    baseRatePerHour: 400,
    providerSentimentShare: providerSentiment ? 1 : 0,
  })) {
    if (!providerSentiment) delete mention.sentiment;
    mentions.push(mention);
    if (mentions.length >= POOL_SIZE) break;
  }
  pools.set(providerSentiment, mentions);
  return mentions;
}

/** FNV-1a: a reply lands on the brand of the mention it answers (same thread, same cycle). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The `n`-th mention of a corpus: a pool mention with a fresh id, a brand and an event time. */
export function corpusMention(n: number, options: CorpusOptions): RawMention {
  const templates = pool(options.providerSentiment);
  const template = templates[n % templates.length] as RawMention;
  const cycle = Math.floor(n / templates.length);
  const thread = template.in_reply_to ?? template.id;
  const stepMs = 300_000 / (options.perWindow ?? 1_000);
  const mention: RawMention = {
    ...template,
    id: `${template.id}~${cycle}`,
    brand: `brand-${hash(`${thread}~${cycle}`) % options.brands}`,
    created_at: new Date(START + Math.floor(n * stepMs)).toISOString(),
  };
  if (template.in_reply_to !== undefined) mention.in_reply_to = `${template.in_reply_to}~${cycle}`;
  return mention;
}

export function buildCorpus(options: CorpusOptions): Corpus {
  const chunks: Buffer[] = [];
  const brandChannels = new Set<string>();
  const brands = new Set<string>();
  let lines: string[] = [];
  let bytes = 0;
  for (let n = 0; n < options.mentions; n++) {
    const mention = corpusMention(n, options);
    brands.add(mention.brand);
    brandChannels.add(`${mention.brand}\u0000${mention.channel}`);
    lines.push(JSON.stringify(mention));
    if (lines.length === CHUNK_LINES || n === options.mentions - 1) {
      const chunk = Buffer.from(`${lines.join("\n")}\n`);
      bytes += chunk.length;
      chunks.push(chunk);
      lines = [];
    }
  }
  return {
    chunks,
    mentions: options.mentions,
    bytes,
    seriesKeys: brandChannels.size + brands.size,
    windows: Math.ceil(options.mentions / (options.perWindow ?? 1_000)),
  };
}
