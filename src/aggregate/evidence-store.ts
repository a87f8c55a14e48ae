// Per-window evidence of negative mentions (terms, top posts, voices, channels) beside the metric
// rows, kept for the recent windows of each brand so an alert can be explained. Fed by the windower
// for negative mentions only, closed with their windows, bounded everywhere:
//   per brand ≤ retainMs / window windows, each with (1 + channels) keys of ≤ maxTexts texts (shared
//   by a brand's two keys; replaced by ≤ maxTerms terms once read), ≤ topPosts posts of ≤ textChars
//   characters and ≤ maxInfluencers influencers;
//   plus ≤ maxRecentAuthors remembered author ids per brand for "new voice" counting.
import { ALL_CHANNELS } from "../model/index.js";
import type { Mention } from "../model/index.js";
import type { BrandEvidence, KeyEvidence, WindowEvidence } from "../model/evidence.js";
import { FrozenKey, KeyTally, postScore } from "./key-tally.js";
import type { TallyLimits } from "./key-tally.js";
import { TermTable } from "./term-table.js";

export interface EvidenceOptions extends TallyLimits {
  /** How long closed windows are kept: the baseline of emerging terms (default 24 h). */
  retainMs: number;
  /**
   * How long a closed window keeps its texts before they are counted into terms (default 10 min). Most
   * windows are never read while recent; counting them later keeps the cost off ingest, and counting
   * them at all keeps memory flat: a day of raw texts would be most of the store.
   */
  textsKeptMs: number;
  /** Terms kept per channel key and window (the brand-wide key keeps maxTerms). */
  maxChannelTerms: number;
  /** Authors remembered per brand to tell a new voice from a usual one. */
  maxRecentAuthors: number;
}

export const DEFAULT_EVIDENCE: EvidenceOptions = {
  retainMs: 24 * 3_600_000,
  textsKeptMs: 600_000,
  topPosts: 5,
  maxTerms: 200,
  maxChannelTerms: 40,
  maxTexts: 300,
  textChars: 280,
  influencerFollowers: 10_000,
  maxInfluencers: 5,
  maxRecentAuthors: 10_000,
};

/** Whether a negative mention's author is heard for the first time in its window, per key. */
export interface FirstIn {
  brand: boolean;
  channel: boolean;
}

/** Tallies of one open window: brand → channel (and "all") → tally. */
type OpenEvidence = Map<string, Map<string, KeyTally>>;

export class EvidenceStore {
  readonly options: EvidenceOptions;
  private readonly open = new Map<number, OpenEvidence>();
  private readonly closed = new Map<string, WindowEvidence[]>();
  /** Per brand: author → last negative mention time, in the order first heard. */
  private readonly recentAuthors = new Map<string, Map<string, number>>();
  private readonly channelLimits: TallyLimits;
  /** Reset for each window whose terms are counted. */
  private readonly termTable = new TermTable();

  constructor(options: Partial<EvidenceOptions> = {}) {
    this.options = { ...DEFAULT_EVIDENCE, ...options };
    this.channelLimits = { ...this.options, maxTerms: this.options.maxChannelTerms };
  }

  /**
   * Counts a negative mention into the open window `index`; `author` is the windower's author key,
   * and `firstIn` says whether the windower had not yet heard that author in the window, brand-wide
   * and on the mention's channel (it keeps the window's authors; the tallies count from that).
   */
  add(index: number, mention: Mention, author: string, firstIn: FirstIn): void {
    let window = this.open.get(index);
    if (!window) {
      window = new Map();
      this.open.set(index, window);
    }
    let brand = window.get(mention.brand);
    if (!brand) {
      brand = new Map();
      window.set(mention.brand, brand);
    }
    const isNew = this.touchAuthor(mention.brand, author, mention.time);
    const score = postScore(mention);
    const all = this.tally(brand, ALL_CHANNELS, this.options);
    const own = this.tally(brand, mention.channel, this.channelLimits);
    if (firstIn.brand) all.addVoice(mention, author, isNew);
    if (firstIn.channel) own.addVoice(mention, author, isNew);
    all.add(mention, score);
    own.add(mention, score);
  }

  /** Freezes the window's tallies and forgets windows older than the retention. */
  close(index: number, start: number, end: number): void {
    const window = this.open.get(index);
    this.open.delete(index);
    for (const [brand, tallies] of window ?? []) {
      const keys = new Map<string, KeyEvidence>();
      for (const [channel, tally] of tallies) keys.set(channel, tally.freeze());
      let windows = this.closed.get(brand);
      if (!windows) {
        windows = [];
        this.closed.set(brand, windows);
      }
      windows.push({ start, end, keys });
    }
    const horizon = end - this.options.retainMs;
    const textsHorizon = end - this.options.textsKeptMs;
    for (const [brand, windows] of this.closed) {
      let drop = 0;
      while (drop < windows.length && (windows[drop] as WindowEvidence).end <= horizon) drop++;
      if (drop === windows.length) this.closed.delete(brand);
      else if (drop > 0) windows.splice(0, drop);
      settleBefore(windows, textsHorizon, this.termTable);
    }
  }

  /** The brand's closed windows that end after `from` and start before `to`, oldest first. */
  brand(brand: string, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): BrandEvidence {
    return (this.closed.get(brand) ?? []).filter((window) => window.end > from && window.start < to);
  }

  private tally(brand: Map<string, KeyTally>, channel: string, limits: TallyLimits): KeyTally {
    let tally = brand.get(channel);
    if (!tally) {
      tally = new KeyTally(limits);
      brand.set(channel, tally);
    }
    return tally;
  }

  /**
   * Whether the brand had not heard this author within the retention; remembers them either way.
   * Past the cap the earliest remembered author is forgotten first (first heard, not least recent:
   * cheaper on the per-mention path, and a regular voice is soon heard, and remembered, again).
   */
  private touchAuthor(brand: string, author: string, time: number): boolean {
    let authors = this.recentAuthors.get(brand);
    if (!authors) {
      authors = new Map();
      this.recentAuthors.set(brand, authors);
    }
    const last = authors.get(author);
    if (last === undefined || time > last) authors.set(author, time);
    if (last === undefined && authors.size > this.options.maxRecentAuthors)
      authors.delete(authors.keys().next().value as string);
    return last === undefined || time - last > this.options.retainMs;
  }
}

/**
 * Counts the terms of the windows that ended by `horizon`, newest first, stopping at the first one
 * already counted: the older ones were counted at earlier closes.
 */
function settleBefore(windows: readonly WindowEvidence[], horizon: number, table: TermTable): void {
  for (let i = windows.length - 1; i >= 0; i--) {
    const window = windows[i] as WindowEvidence;
    if (window.end > horizon) continue;
    let settled = false;
    table.reset();
    for (const key of window.keys.values()) if (key instanceof FrozenKey && key.settle(table)) settled = true;
    if (!settled) return;
  }
}
