// Does the brand answer its complaints? Remembers the negative mentions of the trailing period per
// series key (brand × channel and brand × all) and the brand replies that answer them, and tells a
// window end the share of due complaints answered, the median time to a first reply and the complaints
// left overdue. Event time throughout (a replay reads what the live run read). Bounded: complaints
// older than periodMs are forgotten on prune, at most maxTracked are remembered (the first remembered
// is the first forgotten), and the answers kept for the median are those of the trailing period, the
// latest maxAnswers over every key at most; an overdue listing keeps ≤ textChars characters of each
// complaint.
import { median } from "simple-statistics";
import type { EvidencePost } from "../model/evidence.js";
import type { Labels, Mention } from "../model/index.js";
import { ALL_CHANNELS } from "../model/index.js";
import type { PostSource } from "./key-tally.js";
import { evidencePost, postScore, postSource } from "./key-tally.js";
import { SortedDelays } from "./sorted-delays.js";
import { TimeQueue } from "./time-queue.js";

export interface ResponseTrackerOptions {
  /** How long a complaint may wait for a reply before it is due: rated, and overdue if unanswered. */
  overdueAfterMs: number;
  /** The trailing period of every figure; older complaints are forgotten and their replies ignored. */
  periodMs: number;
  /** Complaints remembered at most, over every key: about 1 KB each with its post, 90 MB at 100 000. */
  maxTracked: number;
  /**
   * Answered complaints kept for the median first response, over every key: the latest of the period.
   * Without this cap a day of replies (each holding its complaint, ~150 bytes) grew memory for the
   * whole period; over every key, like maxTracked, so the bound does not grow with the series.
   */
  maxAnswers: number;
  /** Characters of a complaint's text kept for the overdue listing. */
  textChars: number;
}

export const DEFAULT_RESPONSES: ResponseTrackerOptions = {
  overdueAfterMs: 3_600_000,
  periodMs: 86_400_000,
  maxTracked: 100_000,
  maxAnswers: 50_000,
  textChars: 140,
};

/** Overdue complaints listed at most by `overdue`. */
export const OVERDUE_LISTED = 5;

export interface Overdue {
  count: number;
  /** Up to OVERDUE_LISTED of them, oldest first. */
  oldest: EvidencePost[];
}

/** The series columns of one key at one window end (see METRICS in model/series.ts). */
export interface ResponseFigures {
  responseRate: number;
  firstResponseSeconds: number;
  unansweredOverdue: number;
}

/**
 * The figures of a key with nothing due and no reply in the period (every key without complaints):
 * one shared frozen object, so a window close allocates nothing for it and the windower can tell it.
 */
export const IDLE_FIGURES: Readonly<ResponseFigures> = Object.freeze({
  responseRate: 1,
  firstResponseSeconds: 0,
  unansweredOverdue: 0,
});

interface Complaint {
  readonly id: string;
  /** Order in which it was remembered: the cap forgets the lowest first. */
  readonly seq: number;
  /** Event time of the negative mention. */
  readonly time: number;
  /** Event time of its first reply; +∞ while unanswered. */
  answeredAt: number;
  /** False once forgotten: its answer may still count in the median, it counts nowhere else. */
  tracked: boolean;
  /**
   * What an overdue listing shows, until it is first listed: building its post for every negative
   * mention cost more than the few listings ever asked for. Only the post's fields: the whole parsed
   * mention, held for the period, was most of a complaint's weight and of what the GC copied. Dropped
   * once the post is built.
   */
  source: PostSource | undefined;
  /** What an overdue listing shows; dropped when forgotten. */
  post: EvidencePost | undefined;
  /** Its brand × channel log and its brand × all log. */
  readonly logs: readonly KeyLog[];
}

export class ResponseTracker {
  readonly options: ResponseTrackerOptions;
  /** Tracked complaints by mention id. */
  private readonly complaints = new Map<string, Complaint>();
  /**
   * Complaints in the order remembered, for the cap: a Map's oldest entry is not cheap to reach once
   * many were deleted (iteration skips the deleted slots until the table is rebuilt).
   */
  private readonly remembered = new TimeQueue<Complaint>((complaint) => complaint.seq);
  /** Answered complaints by reply time, over every key, for the maxAnswers cap. */
  private readonly answered = new TimeQueue<Complaint>((complaint) => complaint.answeredAt);
  private seq = 0;
  /** By brand, then channel: two look-ups of strings the mention or key holds, no id joined for each. */
  private readonly logs = new Map<string, Map<string, KeyLog>>();
  /**
   * Logs by the time of the oldest thing they hold (or earlier), so prune visits only the logs with
   * something to drop instead of every key's at every close. An entry whose time is no longer its
   * log's `due` is stale and skipped.
   */
  private readonly schedule = new TimeQueue<Due>((due) => due.time);

  constructor(options: Partial<ResponseTrackerOptions> = {}) {
    this.options = { ...DEFAULT_RESPONSES, ...options };
  }

  /** Complaints remembered now. */
  get tracked(): number {
    return this.complaints.size;
  }

  /** Remembers a negative mention until it is answered, and for the trailing period. */
  addComplaint(mention: Mention): void {
    if (this.complaints.has(mention.id)) return;
    const own = this.log(mention.brand, mention.channel);
    const all = this.log(mention.brand, ALL_CHANNELS);
    // A text longer than the listing keeps gets its post now: a day of long articles would weigh.
    const long = mention.text.length > this.options.textChars;
    const complaint: Complaint = {
      id: mention.id,
      seq: this.seq++,
      time: mention.time,
      answeredAt: Number.POSITIVE_INFINITY,
      tracked: true,
      source: long ? undefined : postSource(mention),
      post: long ? evidencePost(mention, postScore(mention), this.options.textChars) : undefined,
      logs: own.logsWith(all),
    };
    this.complaints.set(mention.id, complaint);
    this.remembered.insert(complaint);
    for (const log of complaint.logs) {
      log.complaints.insert(complaint);
      log.unanswered.insert(complaint);
      this.holds(log, complaint.time);
    }
    if (this.complaints.size > this.options.maxTracked) this.forget(this.firstRemembered() as Complaint);
  }

  /**
   * A brand reply answers the remembered complaint it replies to, whenever it comes; replies to
   * anything else are ignored. The earliest reply in event time is the first response.
   */
  addReply(reply: Pick<Mention, "in_reply_to" | "time">): void {
    const complaint = reply.in_reply_to === undefined ? undefined : this.complaints.get(reply.in_reply_to);
    if (!complaint || reply.time >= complaint.answeredAt) return;
    const answered = Number.isFinite(complaint.answeredAt);
    if (answered) this.answered.remove(complaint);
    for (const log of complaint.logs) {
      if (answered) log.removeAnswer(complaint);
      else log.unanswered.remove(complaint);
    }
    complaint.answeredAt = reply.time;
    this.answered.insert(complaint);
    for (const log of complaint.logs) {
      log.addAnswer(complaint);
      this.holds(log, complaint.answeredAt);
    }
    // Over the cap the earliest answer goes: it is at the head of each of its logs' answers.
    while (this.answered.size > this.options.maxAnswers) {
      const oldest = this.answered.shift() as Complaint;
      for (const log of oldest.logs) log.removeAnswer(oldest);
    }
  }

  /**
   * Forgets what no window ending at `at` or later asks about: complaints and answers older than the
   * period. Queries for an earlier `at` undercount afterwards.
   */
  prune(at: number): void {
    const horizon = at - this.options.periodMs;
    const due: Due[] = [];
    this.answered.dropThrough(horizon);
    this.schedule.dropThrough(horizon, (entry) => due.push(entry));
    for (const { log, time } of due) {
      if (time !== log.due) continue;
      log.complaints.dropThrough(horizon, (complaint) => this.untrack(complaint));
      log.unanswered.dropThrough(horizon);
      log.dropAnswersThrough(horizon);
      log.due = Number.POSITIVE_INFINITY;
      if (log.complaints.size === 0 && log.answers.size === 0) {
        const channels = this.logs.get(log.brand) as Map<string, KeyLog>;
        channels.delete(log.channel);
        if (channels.size === 0) this.logs.delete(log.brand);
        log.due = Number.NaN; // never scheduled again: it is gone
      } else {
        // The unanswered are among the complaints: the oldest complaint or answer is the oldest held.
        const complaint = log.complaints.size > 0 ? log.complaints.at(0).time : Number.POSITIVE_INFINITY;
        const answer = log.answers.size > 0 ? log.answers.at(0).answeredAt : Number.POSITIVE_INFINITY;
        this.holds(log, Math.min(complaint, answer));
      }
    }
    this.firstRemembered();
  }

  /**
   * Share of the complaints created in (at − periodMs, at − olderThanMs] answered by `at`. Younger
   * ones are not due yet. 1 when none is due: nothing is left unanswered (unanswered_overdue says 0).
   */
  responseRate(key: Labels, at: number, olderThanMs = this.options.overdueAfterMs): number {
    const log = this.logOf(key);
    if (!log) return 1;
    const [from, to] = this.range(at, olderThanMs);
    const due = log.complaints.countIn(from, to);
    return due === 0 ? 1 : (due - log.unansweredIn(at, from, to)) / due;
  }

  /** Median seconds from complaint to first reply over the replies of (at − periodMs, at]; 0 without any. */
  medianFirstResponse(key: Labels, at: number): number {
    return this.logOf(key)?.medianSeconds(at - this.options.periodMs, at) ?? 0;
  }

  /**
   * Complaints at least `olderThanMs` old and younger than the period, not answered by `at`. Cheap:
   * two binary searches plus the replies already seen that came after `at` (at most a window and
   * its lateness of them). Any olderThanMs up to periodMs; beyond it nothing is overdue.
   */
  overdue(
    key: Labels,
    at: number,
    olderThanMs = this.options.overdueAfterMs,
    withinMs = this.options.periodMs,
  ): Overdue {
    const log = this.logOf(key);
    const [from, to] = this.range(at, olderThanMs, withinMs);
    const count = log?.unansweredIn(at, from, to) ?? 0;
    if (count === 0 || !log) return { count, oldest: [] };
    const oldest = log.oldest(at, from, to, OVERDUE_LISTED).map((complaint) => this.postOf(complaint));
    return { count, oldest: oldest.filter((post) => post !== undefined) };
  }

  /**
   * The three series columns of `key` at the window end `at`: responseRate, medianFirstResponse and
   * overdue's count in one look-up of the key's log (this runs for every key at every close).
   */
  figures(key: Labels, at: number): Readonly<ResponseFigures> {
    const log = this.logOf(key);
    if (!log) return IDLE_FIGURES;
    const last = log.lastFigures;
    const version = log.version;
    if (last !== undefined && last.version === version && at >= last.at) {
      // Nothing came or went since: find once how long these figures hold, then answer from them.
      // Most keys of a large set are quiet at most closes.
      if (last.until === undefined) last.until = this.holdsUntil(log, last.at);
      if (at < last.until) return last.figures;
    }
    const figures = this.computeFigures(log, at);
    log.lastFigures = { version, at, until: undefined, figures };
    return figures;
  }

  private computeFigures(log: KeyLog, at: number): Readonly<ResponseFigures> {
    const [from, to] = this.range(at, this.options.overdueAfterMs);
    const due = log.complaints.countIn(from, to);
    const seconds = log.medianSeconds(at - this.options.periodMs, at);
    if (due === 0 && seconds === 0) return IDLE_FIGURES;
    const unanswered = due === 0 ? 0 : log.unansweredIn(at, from, to);
    return {
      responseRate: due === 0 ? 1 : (due - unanswered) / due,
      firstResponseSeconds: seconds,
      unansweredOverdue: unanswered,
    };
  }

  /**
   * The first window end after `at` at which the log's figures can differ, while nothing is added or
   * removed: a complaint becomes due or leaves the period, a reply already seen comes into view, an
   * answer leaves the period.
   */
  private holdsUntil(log: KeyLog, at: number): number {
    const { periodMs: period, overdueAfterMs: overdue } = this.options;
    const { complaints, answers } = log;
    let until = Number.POSITIVE_INFINITY;
    const becomesDue = complaints.after(at - overdue);
    if (becomesDue < complaints.size) until = Math.min(until, complaints.timeAt(becomesDue) + overdue);
    const leaves = complaints.after(at - period);
    if (leaves < complaints.size) until = Math.min(until, complaints.timeAt(leaves) + period);
    const comesIntoView = answers.after(at);
    if (comesIntoView < answers.size) until = Math.min(until, answers.timeAt(comesIntoView));
    const answerLeaves = answers.after(at - period);
    if (answerLeaves < answers.size) until = Math.min(until, answers.timeAt(answerLeaves) + period);
    return until;
  }

  /** Creation times (from, to] of complaints at least `olderThanMs` old and within the period. */
  private range(at: number, olderThanMs: number, withinMs = this.options.periodMs): [number, number] {
    return [at - Math.min(withinMs, this.options.periodMs), at - olderThanMs];
  }

  private logOf(key: Labels): KeyLog | undefined {
    return this.logs.get(key.brand ?? "")?.get(key.channel ?? "");
  }

  private log(brand: string, channel: string): KeyLog {
    let channels = this.logs.get(brand);
    if (!channels) this.logs.set(brand, (channels = new Map()));
    let log = channels.get(channel);
    if (!log) channels.set(channel, (log = new KeyLog(brand, channel)));
    return log;
  }

  /** `log` now holds something from `time`: prune must visit it once the horizon passes that. */
  private holds(log: KeyLog, time: number): void {
    if (!(time < log.due)) return;
    log.due = time;
    this.schedule.insert({ log, time });
  }

  /** A complaint's listing entry, built on first use from the mention kept for it. */
  private postOf(complaint: Complaint): EvidencePost | undefined {
    const source = complaint.source;
    if (source) {
      complaint.post = evidencePost(source, postScore(source), this.options.textChars);
      complaint.source = undefined;
    }
    return complaint.post;
  }

  /** The first remembered complaint still tracked; lets go of the forgotten ones before it. */
  private firstRemembered(): Complaint | undefined {
    while (this.remembered.size > 0 && !this.remembered.at(0).tracked) this.remembered.shift();
    return this.remembered.size > 0 ? this.remembered.at(0) : undefined;
  }

  /** Over the cap: the complaint counts nowhere any more. */
  private forget(complaint: Complaint): void {
    this.untrack(complaint);
    for (const log of complaint.logs) {
      log.complaints.remove(complaint);
      log.unanswered.remove(complaint);
    }
  }

  private untrack(complaint: Complaint): void {
    if (!complaint.tracked) return;
    complaint.tracked = false;
    complaint.source = undefined;
    complaint.post = undefined;
    this.complaints.delete(complaint.id);
  }
}

/** A log and the time prune should visit it (see ResponseTracker.schedule). */
interface Due {
  readonly log: KeyLog;
  readonly time: number;
}

/** The complaints of one key: all, the unanswered ones (both by creation), the answered (by reply). */
class KeyLog {
  readonly complaints = new TimeQueue<Complaint>((complaint) => complaint.time);
  readonly unanswered = new TimeQueue<Complaint>((complaint) => complaint.time);
  /** Changed only through addAnswer, removeAnswer and dropAnswersThrough, which keep `delays` beside it. */
  readonly answers = new TimeQueue<Complaint>((complaint) => complaint.answeredAt);
  /** No time it holds is older: its entry in the prune schedule (+∞ when empty, NaN once deleted). */
  due = Number.POSITIVE_INFINITY;
  /**
   * The last median and the answers it was taken over: a key's period changes far less often than
   * windows close, and sorting a day of delays for every key at every close was most of the close.
   */
  private median = { version: -1, from: 0, to: 0, seconds: 0 };
  /** The delays of every answer held in `answers`, sorted: the median without a sort per close. */
  private readonly delays = new SortedDelays();
  /** The figures of the last window end asked about (see ResponseTracker.figures). */
  lastFigures: LastFigures | undefined;

  /** The logs array of this key's complaints, shared by all of them (one array per complaint weighed). */
  private logs: readonly KeyLog[] | undefined;

  constructor(
    readonly brand: string,
    readonly channel: string,
  ) {}

  /** Changes to anything the figures read: equal versions mean the same complaints and answers. */
  get version(): number {
    return this.complaints.version + this.unanswered.version + this.answers.version;
  }

  /**
   * [this, all], or [this] when this is the brand × all log itself. Rebuilt when `all` is another log
   * than last time: a pruned-away brand × all log is made anew.
   */
  logsWith(all: KeyLog): readonly KeyLog[] {
    const last = this.logs;
    if (last && last[last.length - 1] === all) return last;
    return (this.logs = all === this ? [this] : [this, all]);
  }

  /** Complaints created in (from, to] without a reply by `at`. */
  unansweredIn(at: number, from: number, to: number): number {
    let count = this.unanswered.countIn(from, to);
    this.answeredAfter(at, from, to, () => count++);
    return count;
  }

  addAnswer(complaint: Complaint): void {
    this.answers.insert(complaint);
    this.delays.add(delayOf(complaint));
  }

  removeAnswer(complaint: Complaint): void {
    if (this.answers.remove(complaint)) this.delays.remove(delayOf(complaint));
  }

  dropAnswersThrough(time: number): void {
    this.answers.dropThrough(time, (complaint) => this.delays.remove(delayOf(complaint)));
  }

  /** Median seconds from complaint to first reply over the replies of (from, to]; 0 without any. */
  medianSeconds(from: number, to: number): number {
    const { answers } = this;
    const first = answers.after(from);
    const end = answers.after(to);
    const cached = this.median;
    const version = answers.version;
    if (cached.version === version && cached.from === first && cached.to === end) return cached.seconds;
    const count = end - first;
    const leftOut = answers.size - count;
    // The held answers outside (from, to] are usually few (not yet pruned, or seen ahead of the
    // close): the median of the kept sorted delays without them. Otherwise select among those inside.
    const ms =
      count === 0 ? 0 : leftOut * 8 <= count ? this.medianWithout(first, end) : this.medianIn(first, end);
    const seconds = ms / 1000;
    this.median = { version, from: first, to: end, seconds };
    return seconds;
  }

  /** The median delay of answers [first, end), from the sorted delays of all held less the others. */
  private medianWithout(first: number, end: number): number {
    const { answers } = this;
    const without: number[] = [];
    for (let i = 0; i < first; i++) without.push(delayOf(answers.at(i)));
    for (let i = end; i < answers.size; i++) without.push(delayOf(answers.at(i)));
    without.sort((a, b) => a - b);
    // As simple-statistics' median (quantile type 7): the middle one, or between the middle two.
    const count = end - first;
    const lower = this.delays.kthWithout((count - 1) >> 1, without);
    if (count % 2 === 1) return lower;
    const upper = this.delays.kthWithout(count >> 1, without);
    return lower + 0.5 * (upper - lower);
  }

  /** The median delay of answers [first, end), selected from them alone. */
  private medianIn(first: number, end: number): number {
    const delays: number[] = [];
    for (let i = first; i < end; i++) delays.push(delayOf(this.answers.at(i)));
    return median(delays);
  }

  /** The `n` oldest of them. */
  oldest(at: number, from: number, to: number, n: number): Complaint[] {
    const found: Complaint[] = [];
    for (let i = this.unanswered.after(from); i < this.unanswered.size && found.length < n; i++) {
      const complaint = this.unanswered.at(i);
      if (complaint.time > to) break;
      found.push(complaint);
    }
    this.answeredAfter(at, from, to, (late) => found.push(late));
    found.sort((a, b) => a.time - b.time);
    return found.slice(0, n);
  }

  /**
   * Hands `each` the tracked complaints created in (from, to] whose reply, already seen, comes after
   * `at`: still unanswered as seen from `at`. Few: only replies up to the watermark (a window and its
   * lateness ahead) are seen.
   */
  private answeredAfter(at: number, from: number, to: number, each: (complaint: Complaint) => void): void {
    for (let i = this.answers.after(at); i < this.answers.size; i++) {
      const complaint = this.answers.at(i);
      if (complaint.tracked && complaint.time > from && complaint.time <= to) each(complaint);
    }
  }
}

/** Milliseconds from a complaint to its first reply (0 for a reply timed before it). */
const delayOf = (complaint: Complaint): number => Math.max(0, complaint.answeredAt - complaint.time);

/** Figures taken at a window end, with the log's version then and the end they hold until. */
interface LastFigures {
  readonly version: number;
  readonly at: number;
  /** Unknown until a later close finds the log unchanged; exclusive. */
  until: number | undefined;
  readonly figures: Readonly<ResponseFigures>;
}
