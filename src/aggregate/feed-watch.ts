// The per-source deadman (design.md §2: "a stalled source is a separate signal"). For each
// (brand, channel) feed: its newest mention, and how many it usually delivers in each hour of the day,
// so that "no data from twitter for 25 min when ~40 were expected" is told apart both from a quiet
// night and from "zero negative mentions". Every mention counts (any sentiment, brand replies too:
// the feed is alive). Pure: `time` and `now` come from the caller (event time in replays, the clock in
// live runs), so both run the same code.
//
// The criterion. A feed is stalled once it has been silent for at least `stalledAfterMs` AND the
// mentions its learned profile expects over the silence reach `minExpected`. The first condition keeps
// a busy feed's blip from paging; the second lets a quiet night be as long as it likes. A live feed at
// exactly its usual (Poisson) rate opens such a silence after any given mention with probability
// e^-minExpected (e^-20 ≈ 2e-9 with the default), every gap between two mentions being a trial. Real
// feeds also vary from day to day by tens of percent, which that figure ignores: hence the margin. In
// 100 seeds of the demo scenario (16 feeds, 6 days), the largest expectation reached by a natural
// silence of 20 min or more was 17.3; 64 of them would have paged with 10, 5 with 15.
//
// The profile. Hourly counts of the last DAYS days are kept per feed, in event time, UTC hours. The
// usual count of an hour of the day is the lower median of that hour over the observed days, once it
// has MIN_DAYS of them (until then the hour adds nothing to the expectation: the feed is not watched
// over it). A median, not a mean: one viral hour or one outage does not move it. Hours touched by a
// stall are not observations. A lower-than-usual day (weekends, holidays) is covered by scaling the
// expectation down, never up, to the level the feed ran at over the LEVEL_HOURS before it fell silent.
//
// Memory: a fixed ring of DAYS × 24 counts per feed; a feed silent for DAYS is forgotten, and at most
// `maxFeeds` feeds are watched (later ones are ignored).
import type { ClosedWindow, Labels, WindowRow } from "../model/index.js";
import type { FeedChange } from "../model/feed.js";
import { ALL_CHANNELS, metricIndex } from "../model/index.js";

const HOUR_MS = 3_600_000;
/** Days of hourly counts kept per feed. */
const DAYS = 7;
const RING = DAYS * 24;
/** Observed days an hour of the day needs before its usual count is trusted. */
const MIN_DAYS = 2;
/** Complete hours before a silence whose level can scale the expectation down. */
const LEVEL_HOURS = 6;
/**
 * An empty window whose feed usually has at least this many mentions in it is "unusual": a live feed
 * leaves such a window empty with probability at most e^-1 ≈ 0.37.
 */
const UNUSUAL_EMPTY = 1;

export interface FeedWatchOptions {
  /** Silence after which a feed may be stalled (config feeds.stalled_after). */
  stalledAfterMs: number;
  /** Mentions the feed's profile must expect over the silence (config feeds.min_expected). */
  minExpected: number;
  /** Feeds kept at most; mentions of further feeds are ignored. Default 10 000. */
  maxFeeds?: number;
}

/** How an empty window of a feed reads. */
export type EmptyWindow = "stalled" | "unusual" | "usual";

interface Stall {
  /** The newest mention when the stall was found: the silence began then. */
  from: number;
  expected: number;
}

interface Feed {
  brand: string;
  channel: string;
  /** Mentions of hour h at h % RING, for the hours (head - RING, head]; NaN: not observed. */
  counts: Float64Array;
  /** The newest hour the ring covers (epoch hours); it is still running, the older ones are complete. */
  head: number;
  lastSeen: number;
  stall?: Stall;
  /** Usual count per UTC hour of the day (NaN: not learned), recomputed when `dirty`. */
  usual: Float64Array;
  dirty: boolean;
}

/** How a closed window reads for each of its rows: undefined when it had mentions, else `emptyWindow`. */
export type WindowSilences = (row: WindowRow) => EmptyWindow | undefined;

export class FeedWatch {
  /** Feeds by brand, then channel. */
  private readonly brands = new Map<string, Map<string, Feed>>();
  private count = 0;

  constructor(private readonly options: FeedWatchOptions) {}

  /** Records one mention of a feed at event time `time`. */
  seen(brand: string, channel: string, time: number): void {
    const feed = this.feed(brand, channel, time);
    if (!feed) return;
    const hour = Math.floor(time / HOUR_MS);
    if (hour > feed.head) advance(feed, hour);
    if (hour > feed.head - RING) {
      const index = ringIndex(hour);
      feed.counts[index] = (feed.counts[index] as number) + 1; // NaN (not observed) stays NaN
      if (hour < feed.head) feed.dirty = true; // a late mention of a complete hour
    }
    if (time > feed.lastSeen) feed.lastSeen = time;
  }

  /** Moves the feeds to `now`: the feeds that stalled, came back or were forgotten since the last call. */
  check(now: number): FeedChange[] {
    const changes: FeedChange[] = [];
    const hour = Math.floor(now / HOUR_MS);
    for (const [brand, feeds] of this.brands) {
      for (const feed of feeds.values()) {
        advance(feed, hour);
        const change = this.checkFeed(feed, now);
        if (change) changes.push(change);
        if (change?.forgotten || (!feed.stall && feed.lastSeen <= now - RING * HOUR_MS)) {
          feeds.delete(feed.channel);
          this.count--;
        }
      }
      if (feeds.size === 0) this.brands.delete(brand);
    }
    return changes;
  }

  /**
   * Whether the feed is stalled (as of the last check). The brand's `all` series is stalled when every
   * watched channel of the brand is, and at least one is.
   */
  isStalled(brand: string, channel: string): boolean {
    return this.stalledBefore(brand, channel, Number.POSITIVE_INFINITY);
  }

  /**
   * Whether the feed is watched: its learned profile expects at least `minExpected` mentions a day,
   * so a silence could stall it. For `all`, any channel of the brand.
   */
  isWatched(brand: string, channel: string): boolean {
    const feeds = this.brands.get(brand);
    if (channel !== ALL_CHANNELS) {
      const feed = feeds?.get(channel);
      return feed !== undefined && this.watched(feed);
    }
    for (const feed of feeds?.values() ?? []) if (this.watched(feed)) return true;
    return false;
  }

  /**
   * Mentions the feed usually has in [from, to), from its learned profile scaled to its recent level
   * (see the header); for `all`, the sum over the brand's channels. 0 while nothing is learned.
   */
  expected(brand: string, channel: string, from: number, to: number): number {
    const feeds = this.brands.get(brand);
    if (!feeds) return 0;
    if (channel !== ALL_CHANNELS) {
      const feed = feeds.get(channel);
      return feed ? this.expectedOf(feed, from, to) : 0;
    }
    let sum = 0;
    for (const feed of feeds.values()) sum += this.expectedOf(feed, from, to);
    return sum;
  }

  /**
   * How to read the window [start, end) of the feed when the caller saw no mention in it: "stalled"
   * when the feed is known stalled (for `all`: every watched channel), "unusual" when the feed usually
   * has at least one mention in such a window, "usual" otherwise (quiet hours, or nothing learned).
   */
  emptyWindow(brand: string, channel: string, start: number, end: number): EmptyWindow {
    if (this.stalledBefore(brand, channel, end)) return "stalled";
    return this.expected(brand, channel, start, end) >= UNUSUAL_EMPTY ? "unusual" : "usual";
  }

  /**
   * Reads a closed window row by row, each series once: undefined when the row had a mention (brand
   * replies included) or is not a feed's (imported series), else `emptyWindow`.
   */
  silences(window: ClosedWindow): WindowSilences {
    const mentions = metricIndex("mentions");
    const replies = metricIndex("brand_replies");
    // By key object: idle keys share one row of zeros, so the row itself cannot tell them apart.
    const read = new Map<Labels, EmptyWindow | undefined>();
    return ({ key, values }) => {
      if (values[mentions] || values[replies]) return undefined;
      if (read.has(key)) return read.get(key);
      const { brand, channel } = key;
      const reading =
        brand !== undefined && channel !== undefined
          ? this.emptyWindow(brand, channel, window.start, window.end)
          : undefined;
      read.set(key, reading);
      return reading;
    };
  }

  /** How many feeds are watched and how many of those are stalled (metrics). */
  summary(): { feeds: number; watched: number; stalled: number } {
    let watched = 0;
    let stalled = 0;
    for (const feeds of this.brands.values()) {
      for (const feed of feeds.values()) {
        if (!this.watched(feed)) continue;
        watched++;
        if (feed.stall) stalled++;
      }
    }
    return { feeds: this.count, watched, stalled };
  }

  private feed(brand: string, channel: string, time: number): Feed | undefined {
    let feeds = this.brands.get(brand);
    const known = feeds?.get(channel);
    if (known) return known;
    if (this.count >= (this.options.maxFeeds ?? 10_000)) return undefined;
    if (!feeds) {
      feeds = new Map();
      this.brands.set(brand, feeds);
    }
    // The first hour is only partly seen: it stays NaN, like every hour before it.
    const feed: Feed = {
      brand,
      channel,
      counts: new Float64Array(RING).fill(Number.NaN),
      head: Math.floor(time / HOUR_MS),
      lastSeen: time,
      usual: new Float64Array(24).fill(Number.NaN),
      dirty: true,
    };
    feeds.set(channel, feed);
    this.count++;
    return feed;
  }

  /** isStalled, counting only the stalls whose silence began before `end`. */
  private stalledBefore(brand: string, channel: string, end: number): boolean {
    const stalled = (feed: Feed) => feed.stall !== undefined && feed.stall.from < end;
    const feeds = this.brands.get(brand);
    if (channel !== ALL_CHANNELS) {
      const feed = feeds?.get(channel);
      return feed !== undefined && stalled(feed);
    }
    let watched = 0;
    for (const feed of feeds?.values() ?? []) {
      if (!this.watched(feed)) continue;
      if (!stalled(feed)) return false;
      watched++;
    }
    return watched > 0;
  }

  private checkFeed(feed: Feed, now: number): FeedChange | undefined {
    const { brand, channel, lastSeen } = feed;
    const stall = feed.stall;
    if (stall) {
      if (lastSeen <= now - RING * HOUR_MS) {
        const { from, expected } = stall;
        return { brand, channel, stalled: false, silenceFrom: from, lastSeen, expected, forgotten: true };
      }
      if (lastSeen <= stall.from) return undefined; // still silent
      // Data again. Only mentions dated in the silence itself (a backfill) could leave it stalled.
      if (this.stallAt(feed, now) !== undefined) {
        stall.from = lastSeen;
        return undefined;
      }
      feed.stall = undefined;
      return { brand, channel, stalled: false, silenceFrom: stall.from, lastSeen, expected: stall.expected };
    }
    const expected = this.stallAt(feed, now);
    if (expected === undefined) return undefined;
    feed.stall = { from: lastSeen, expected };
    // The hours of an outage are not the feed's habits: out of the profile (the ring advances with NaN
    // while stalled).
    for (let hour = Math.max(Math.floor(lastSeen / HOUR_MS), feed.head - RING + 1); hour <= feed.head; hour++)
      feed.counts[ringIndex(hour)] = Number.NaN;
    feed.dirty = true;
    return { brand, channel, stalled: true, silenceFrom: lastSeen, lastSeen, expected };
  }

  /** The expected count over the silence when it stalls the feed at `now`; undefined when not. */
  private stallAt(feed: Feed, now: number): number | undefined {
    if (now - feed.lastSeen < this.options.stalledAfterMs) return undefined;
    const expected = this.expectedOf(feed, feed.lastSeen, now);
    return expected >= this.options.minExpected ? expected : undefined;
  }

  private watched(feed: Feed): boolean {
    let day = 0;
    for (const usual of this.usual(feed)) if (!Number.isNaN(usual)) day += usual;
    return day >= this.options.minExpected;
  }

  private expectedOf(feed: Feed, from: number, to: number): number {
    const usual = this.usual(feed);
    let sum = 0;
    // Past the ring's span the feed is forgotten anyway.
    for (let t = Math.max(from, to - RING * HOUR_MS); t < to;) {
      const hour = Math.floor(t / HOUR_MS);
      const end = Math.min(to, (hour + 1) * HOUR_MS);
      const count = usual[hour % 24] as number;
      if (!Number.isNaN(count)) sum += (count * (end - t)) / HOUR_MS;
      t = end;
    }
    return sum === 0 ? 0 : sum * this.level(feed, Math.min(from, feed.lastSeen));
  }

  /**
   * The feed's level over the LEVEL_HOURS complete hours before the one of `before`: what it delivered
   * over what it usually does, at most 1 (1 when those hours tell nothing).
   */
  private level(feed: Feed, before: number): number {
    const usual = this.usual(feed);
    const last = Math.floor(before / HOUR_MS) - 1;
    let seen = 0;
    let expected = 0;
    for (let hour = last; hour > last - LEVEL_HOURS && hour > feed.head - RING; hour--) {
      const count = feed.counts[ringIndex(hour)] as number;
      const typical = usual[hour % 24] as number;
      if (Number.isNaN(count) || Number.isNaN(typical)) continue;
      seen += count;
      expected += typical;
    }
    return expected > 0 ? Math.min(1, seen / expected) : 1;
  }

  /** The usual count of each hour of the day: the lower median of its complete observed hours. */
  private usual(feed: Feed): Float64Array {
    if (!feed.dirty) return feed.usual;
    const values: number[] = [];
    for (let slot = 0; slot < 24; slot++) {
      values.length = 0;
      // The newest complete hour of this slot, then one day back at a time, within the ring.
      for (let hour = feed.head - 1 - mod(feed.head - 1 - slot, 24); hour > feed.head - RING; hour -= 24) {
        const count = feed.counts[ringIndex(hour)] as number;
        if (!Number.isNaN(count)) values.push(count);
      }
      values.sort((a, b) => a - b);
      feed.usual[slot] =
        values.length >= MIN_DAYS ? (values[Math.floor((values.length - 1) / 2)] as number) : Number.NaN;
    }
    feed.dirty = false;
    return feed.usual;
  }
}

/** Moves the ring's head to `hour`: the hours in between are observed zeros, or NaN while stalled. */
function advance(feed: Feed, hour: number): void {
  if (hour <= feed.head) return;
  const fill = feed.stall ? Number.NaN : 0;
  for (let h = Math.max(feed.head + 1, hour - RING + 1); h <= hour; h++) feed.counts[ringIndex(h)] = fill;
  feed.head = hour;
  feed.dirty = true;
}

const mod = (n: number, m: number): number => ((n % m) + m) % m;
const ringIndex = (hour: number): number => mod(hour, RING);
