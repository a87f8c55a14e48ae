// Event-time tumbling windows per series key (brand × channel, plus brand × all), closed by a
// watermark with allowed lateness. Emits one row per known key per window, zeros included.
// With a ChannelLimiter, a brand's channels beyond its limit are counted under `other`.
import type { ClosedWindow, Mention, SeriesKey, WindowRow } from "../model/index.js";
import { ALL_CHANNELS } from "../model/index.js";
import type { ChannelLimiter } from "./cardinality.js";
import type { EvidenceStore } from "./evidence-store.js";
import type { ResponseTracker } from "./response-tracker.js";
import { idleRow, WindowState } from "./window-state.js";

export interface WindowerOptions {
  windowMs: number;
  /** How long after a window's end mentions for it are still accepted. */
  latenessMs: number;
  /**
   * After a long silence (or a restart days later) at most this many empty windows are emitted
   * before the next one with data: older ones would fall out of retention anyway.
   */
  maxCatchUpWindows: number;
  /** Where the words, posts and voices of negative mentions are kept, when alerts are to be explained. */
  evidence?: EvidenceStore;
  /**
   * Where negative mentions wait for a brand reply, for the responsiveness columns (response_rate,
   * first_response_seconds, unanswered_overdue); they stay 0 without it.
   */
  responses?: ResponseTracker;
  /** Caps the channels with their own series per brand; unlimited without it. */
  channels?: ChannelLimiter;
}

export type AddResult = "counted" | "late";

/** A brand's states in one open window: brand × all, and each channel's (whose `total` is `all`). */
interface BrandStates {
  all: WindowState;
  channels: Map<string, WindowState>;
}

/** An open window: the state of each key that saw a mention in it. */
interface OpenWindow {
  index: number;
  /**
   * By brand, then channel: two look-ups of strings the mention already holds, rather than one of a
   * key id joined for every mention.
   */
  brands: Map<string, BrandStates>;
  /**
   * Its negative mentions not yet answered, by mention id, for brand-reply matching: each with the
   * state of its own channel (whose `total` is the brand × all state). Dropped with the window: a reply
   * after the close no longer changes it. One map per window rather than one for all: closing a window
   * of a storm does not delete its hundreds of thousands of ids one by one.
   */
  awaiting: Map<string, WindowState>;
}

export class Windower {
  private readonly open = new Map<number, OpenWindow>();
  private readonly known = new Map<string, SeriesKey>();
  private maxEventTime = Number.NEGATIVE_INFINITY;
  private externalTime = Number.NEGATIVE_INFINITY;
  /** Index of the newest closed window; everything at or before it is late. */
  private closedThrough = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WindowerOptions) {}

  /** Resumes after a restore: windows up to and including the one starting at `windowStart` are closed. */
  resumeAfter(windowStart: number, keys: Iterable<SeriesKey>): void {
    this.closedThrough = Math.max(this.closedThrough, Math.floor(windowStart / this.options.windowMs));
    for (const key of keys) {
      // Restored channels keep their series while the brand has room; the rest fold from now on.
      const { brand, channel } = key;
      const limiter = this.options.channels;
      if (limiter && brand !== undefined && channel !== undefined && channel !== ALL_CHANNELS) {
        if (!limiter.restore(brand, channel)) continue;
      }
      this.know(key);
    }
  }

  /** The channel whose series a mention of `brand` on `channel` is counted in, without counting it. */
  seriesChannel(brand: string, channel: string): string {
    return this.options.channels?.peek(brand, channel) ?? channel;
  }

  /** Counts a mention into its window; `negative` comes from the classifier. */
  add(sent: Mention, negative: boolean): AddResult {
    const index = Math.floor(sent.time / this.options.windowMs);
    if (index <= this.closedThrough) return "late";
    const channel = this.options.channels?.channelOf(sent.brand, sent.channel) ?? sent.channel;
    // A folded mention is `other` for every per-channel state: evidence and replies included.
    const mention = channel === sent.channel ? sent : { ...sent, channel };
    if (mention.time > this.maxEventTime) this.maxEventTime = mention.time;
    const window = this.window(index);
    const states = this.brandStates(window, mention.brand);
    const own = this.channelState(states, mention.brand, mention.channel);
    const all = states.all;
    if (mention.is_brand_reply) {
      own.brandReplies++;
      all.brandReplies++;
      this.markAnswered(mention.in_reply_to);
      this.options.responses?.addReply(mention);
      return "counted";
    }
    own.mentions++;
    all.mentions++;
    if (negative) {
      own.negative++;
      all.negative++;
      // Without an author id every anonymous complaint counts as its own voice.
      const author = mention.author?.id ?? mention.author?.name ?? `\u0000${mention.id}`;
      const followers = mention.author?.followers ?? 0;
      const newToChannel = own.addNegative(author, followers);
      const newToBrand = all.addNegative(author, followers);
      window.awaiting.set(mention.id, own);
      this.options.evidence?.add(index, mention, author, { brand: newToBrand, channel: newToChannel });
      this.options.responses?.addComplaint(mention);
    }
    return "counted";
  }

  /** Moves time forward (wall or replay clock) and returns the windows that closed, oldest first. */
  advance(now: number): ClosedWindow[] {
    if (now > this.externalTime) this.externalTime = now;
    const watermark = Math.max(this.maxEventTime, this.externalTime) - this.options.latenessMs;
    // Window i closes once the watermark reaches its end: (i + 1) * width <= watermark.
    return this.closeThrough(Math.floor(watermark / this.options.windowMs) - 1);
  }

  /** Closes every open window (end of a finite replay). */
  flush(): ClosedWindow[] {
    const indexes = [...this.open.keys()];
    return indexes.length === 0 ? [] : this.closeThrough(Math.max(...indexes));
  }

  /**
   * When the clock closes the next window if no later event moves the watermark first: its end plus
   * the lateness. Undefined while no window is open and none was ever closed.
   */
  nextCloseAt(): number | undefined {
    const next = Number.isFinite(this.closedThrough)
      ? this.closedThrough + 1
      : this.open.size === 0
        ? undefined
        : this.firstOpenIndex(Number.POSITIVE_INFINITY);
    return next === undefined ? undefined : (next + 1) * this.options.windowMs + this.options.latenessMs;
  }

  /** Start of the newest closed window, if any. */
  lastClosedStart(): number | undefined {
    return Number.isFinite(this.closedThrough) ? this.closedThrough * this.options.windowMs : undefined;
  }

  get knownKeys(): number {
    return this.known.size;
  }

  private closeThrough(target: number): ClosedWindow[] {
    const closed: ClosedWindow[] = [];
    if (target <= this.closedThrough) return closed;
    let next = Number.isFinite(this.closedThrough) ? this.closedThrough + 1 : this.firstOpenIndex(target);
    while (next <= target) {
      next = this.skipLongGap(next, target);
      // Forgotten only up to the first window of the batch: rules ask about every window it closes.
      if (closed.length === 0) this.options.responses?.prune((next + 1) * this.options.windowMs);
      closed.push(this.close(next));
      this.closedThrough = next;
      next++;
    }
    return closed;
  }

  /** Where closing starts when nothing was ever closed: the oldest open window. */
  private firstOpenIndex(target: number): number {
    let first = target + 1;
    for (const index of this.open.keys()) first = Math.min(first, index);
    return first;
  }

  /** Jumps over empty windows beyond the catch-up limit, keeping the last ones before data or target. */
  private skipLongGap(next: number, target: number): number {
    let nextData = target + 1;
    for (const index of this.open.keys()) if (index >= next && index < nextData) nextData = index;
    const resumeAt = Math.min(nextData, target + 1) - this.options.maxCatchUpWindows;
    return Math.max(next, Math.min(resumeAt, nextData));
  }

  private close(index: number): ClosedWindow {
    const window = this.open.get(index);
    this.open.delete(index);
    const end = (index + 1) * this.options.windowMs;
    const rows: WindowRow[] = [];
    const responses = this.options.responses;
    for (const key of this.known.values()) {
      const states = window?.brands.get(key.brand as string);
      const state = key.channel === ALL_CHANNELS ? states?.all : states?.channels.get(key.channel as string);
      const figures = responses?.figures(key, end);
      rows.push({ key, values: state ? state.toRow(figures) : idleRow(figures) });
    }
    const start = index * this.options.windowMs;
    this.options.evidence?.close(index, start, end);
    return { start, end, rows };
  }

  private window(index: number): OpenWindow {
    let window = this.open.get(index);
    if (!window) {
      window = { index, brands: new Map(), awaiting: new Map() };
      this.open.set(index, window);
    }
    return window;
  }

  /** The brand's states in the window, made with its brand × all state on first use. */
  private brandStates(window: OpenWindow, brand: string): BrandStates {
    let states = window.brands.get(brand);
    if (!states) {
      states = { all: new WindowState(), channels: new Map() };
      window.brands.set(brand, states);
      this.know({ brand, channel: ALL_CHANNELS });
    }
    return states;
  }

  /** The brand × channel state (not `all`) in the window. */
  private channelState(states: BrandStates, brand: string, channel: string): WindowState {
    let state = states.channels.get(channel);
    if (!state) {
      state = new WindowState(states.all);
      states.channels.set(channel, state);
      this.know({ brand, channel });
    }
    return state;
  }

  private know(key: SeriesKey): void {
    const id = windowKeyId(key.brand ?? "", key.channel ?? "");
    if (!this.known.has(id)) this.known.set(id, { ...key });
  }

  private markAnswered(mentionId: string | undefined): void {
    if (mentionId === undefined) return;
    // Replies arriving after the close no longer change a window: it is unanswered "as of close".
    for (const window of this.open.values()) {
      const own = window.awaiting.get(mentionId);
      if (!own) continue;
      own.unansweredNegative--;
      if (own.total) own.total.unansweredNegative--;
      window.awaiting.delete(mentionId);
      return;
    }
  }
}

/** The windower's own key id: cheaper than the generic keyId on the per-mention path. */
const windowKeyId = (brand: string, channel: string): string => `${brand}\u0000${channel}`;
