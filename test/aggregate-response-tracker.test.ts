import { describe, expect, it } from "vitest";
import { IDLE_FIGURES, ResponseTracker } from "../src/aggregate/response-tracker.js";
import type { ResponseTrackerOptions } from "../src/aggregate/response-tracker.js";
import { MIN, mention, T0 } from "./helpers/mentions.js";
import { seededRandom } from "./helpers/seeded-random.js";

const H = 60 * MIN;
const TWITTER = { brand: "kryptonite", channel: "twitter" };
const FORUM = { brand: "kryptonite", channel: "forum" };
const ALL = { brand: "kryptonite", channel: "all" };

const make = (options: Partial<ResponseTrackerOptions> = {}) =>
  new ResponseTracker({ overdueAfterMs: H, periodMs: 24 * H, ...options });

/** A negative mention `id` at T0 + `minutes`. */
const complaint = (id: string, minutes: number, channel = "twitter") =>
  mention({ id, at: T0 + minutes * MIN, channel, text: `complaint ${id}` });
/** A brand reply to `to` at T0 + `minutes`. */
const reply = (to: string | undefined, minutes: number) => ({ in_reply_to: to, time: T0 + minutes * MIN });

const ids = (tracker: ResponseTracker, key: typeof TWITTER, at: number, olderThanMs?: number) =>
  tracker.overdue(key, at, olderThanMs).oldest.map((post) => post.id);

describe("response tracker", () => {
  it("rates only the complaints that are due, per channel and for the brand", () => {
    const tracker = make();
    for (const [id, minutes] of [
      ["c1", 0],
      ["c2", 10],
      ["c3", 20],
      ["c4", 50],
    ] as const)
      tracker.addComplaint(complaint(id, minutes));
    tracker.addComplaint(complaint("f1", 30, "forum"));
    tracker.addReply(reply("c1", 30));
    tracker.addReply(reply("f1", 40));

    // At T0 + 80 min the due complaints were made by T0 + 20 min: c1, c2, c3 (c1 answered); c4 and
    // f1 are younger than the hour.
    const at = T0 + 80 * MIN;
    expect(tracker.responseRate(TWITTER, at)).toBeCloseTo(1 / 3, 12);
    expect(tracker.responseRate(ALL, at)).toBeCloseTo(1 / 3, 12);
    expect(tracker.responseRate(FORUM, at)).toBe(1); // nothing due: nothing left unanswered
    expect(tracker.overdue(TWITTER, at)).toMatchObject({ count: 2 });
    expect(ids(tracker, TWITTER, at)).toEqual(["c2", "c3"]);

    // At T0 + 2 h every one is due: twitter 1 of 4 answered, the brand 2 of 5.
    expect(tracker.responseRate(TWITTER, T0 + 2 * H)).toBe(0.25);
    expect(tracker.responseRate(ALL, T0 + 2 * H)).toBe(0.4);
    expect(tracker.overdue(ALL, T0 + 2 * H).count).toBe(3);
    expect(tracker.overdue(FORUM, T0 + 2 * H).count).toBe(0);
    // A key it never saw.
    expect(tracker.responseRate({ brand: "velora", channel: "all" }, at)).toBe(1);
    expect(tracker.overdue({ brand: "velora", channel: "all" }, at)).toEqual({ count: 0, oldest: [] });
  });

  it("takes the median of the first-response times of the period, odd and even counts, 0 without replies", () => {
    const tracker = make();
    expect(tracker.medianFirstResponse(TWITTER, T0)).toBe(0);
    tracker.addComplaint(complaint("a", 0));
    tracker.addComplaint(complaint("b", 0));
    tracker.addComplaint(complaint("c", 0));
    tracker.addComplaint(complaint("d", 0));
    tracker.addReply(reply("a", 10));
    tracker.addReply(reply("b", 30));
    tracker.addReply(reply("c", 20));
    // 10, 20, 30 min → 20 min.
    expect(tracker.medianFirstResponse(TWITTER, T0 + H)).toBe(1200);
    tracker.addReply(reply("d", 60));
    // 10, 20, 30, 60 min → 25 min, once the last one is given.
    expect(tracker.medianFirstResponse(TWITTER, T0 + H)).toBe(1500);
    expect(tracker.medianFirstResponse(ALL, T0 + H)).toBe(1500);
    // Before the 30 min reply was given only 10 and 20 min count: 15 min.
    expect(tracker.medianFirstResponse(TWITTER, T0 + 25 * MIN)).toBe(900);
    // A day after the 10 and 20 min replies, only 30 and 60 min remain in the period: 45 min.
    expect(tracker.medianFirstResponse(TWITTER, T0 + 24 * H + 25 * MIN)).toBe(2700);
  });

  it("counts the first reply only, the earliest when replies arrive out of order", () => {
    const tracker = make();
    tracker.addComplaint(complaint("a", 0));
    tracker.addReply(reply("a", 40));
    tracker.addReply(reply("a", 10)); // earlier in event time, later in arrival
    tracker.addReply(reply("a", 50));
    expect(tracker.medianFirstResponse(TWITTER, T0 + 2 * H)).toBe(600);
    expect(tracker.responseRate(TWITTER, T0 + 2 * H)).toBe(1);
  });

  it("lists overdue complaints for any age limit up to the period, oldest first, at most five", () => {
    const tracker = make();
    for (let hour = 0; hour < 7; hour++) tracker.addComplaint(complaint(`c${hour}`, hour * 60));
    tracker.addReply(reply("c1", 70));
    const at = T0 + 7 * H;
    // At least 4 h 30 min old: made by T0 + 2 h 30 min → c0, c1, c2; c1 answered.
    expect(tracker.overdue(TWITTER, at, 4.5 * H).count).toBe(2);
    expect(ids(tracker, TWITTER, at, 4.5 * H)).toEqual(["c0", "c2"]);
    // At least 30 min old: all seven but c1, and only the five oldest listed.
    expect(tracker.overdue(TWITTER, at, 30 * MIN).count).toBe(6);
    expect(ids(tracker, TWITTER, at, 30 * MIN)).toEqual(["c0", "c2", "c3", "c4", "c5"]);
    // The default limit, the hour: made by T0 + 6 h, all seven but c1.
    expect(tracker.overdue(TWITTER, at).count).toBe(6);
    // A limit of the period itself or beyond leaves nothing.
    expect(tracker.overdue(TWITTER, at, 24 * H).count).toBe(0);
    expect(tracker.overdue(TWITTER, at, 30 * H).count).toBe(0);
    // The listed post is the complaint, its text cut to textChars.
    const [oldest] = tracker.overdue(TWITTER, at).oldest;
    expect(oldest).toMatchObject({ id: "c0", channel: "twitter", time: T0, text: "complaint c0" });
  });

  it("cuts the text of a listed complaint by code points", () => {
    const tracker = make({ textChars: 5 });
    tracker.addComplaint(mention({ id: "long", at: T0, text: "😡😡😡😡😡😡 never again" }));
    expect(tracker.overdue(TWITTER, T0 + 2 * H).oldest[0]?.text).toBe("😡😡😡😡…");
  });

  it("lists a complaint with its author, engagement, link and score as they were when it was made", () => {
    const tracker = make({ textChars: 40 });
    tracker.addComplaint(
      mention({
        id: "c",
        at: T0,
        text: "still broken",
        url: "https://example.test/c",
        in_reply_to: "p",
        author: { id: "a", name: "Ann", followers: 200 },
        engagement: { likes: 3, shares: 1 },
      }),
    );
    const want = {
      id: "c",
      channel: "twitter",
      time: T0,
      url: "https://example.test/c",
      replyTo: "p",
      author: { id: "a", name: "Ann", followers: 200 },
      engagement: { likes: 3, shares: 1, comments: 0 },
      text: "still broken",
      score: 3 + 1 + 200 * 0.01,
    };
    expect(tracker.overdue(TWITTER, T0 + 2 * H).oldest).toEqual([want]);
    // Listed again (the next page): the same post.
    expect(tracker.overdue(ALL, T0 + 3 * H).oldest).toEqual([want]);
  });

  it("answers a complaint whose reply comes days later, within the period", () => {
    const tracker = make({ periodMs: 72 * H });
    tracker.addComplaint(complaint("a", 0));
    tracker.prune(T0 + 24 * H);
    tracker.prune(T0 + 48 * H);
    expect(tracker.overdue(TWITTER, T0 + 48 * H).count).toBe(1);
    tracker.addReply(reply("a", 48 * 60 + 5));
    const at = T0 + 49 * H;
    expect(tracker.overdue(TWITTER, at).count).toBe(0);
    expect(tracker.responseRate(TWITTER, at)).toBe(1);
    expect(tracker.medianFirstResponse(TWITTER, at)).toBe(48 * 3600 + 300);
  });

  it("ignores the reply to a complaint older than the period, once pruned", () => {
    const tracker = make();
    tracker.addComplaint(complaint("a", 0));
    tracker.prune(T0 + 24 * H + 5 * MIN);
    expect(tracker.tracked).toBe(0);
    tracker.addReply(reply("a", 24 * 60 + 6));
    expect(tracker.medianFirstResponse(TWITTER, T0 + 25 * H)).toBe(0);
  });

  it("forgets a complaint that came out of order, older than its key's others, once the period passes it", () => {
    const tracker = make();
    tracker.addComplaint(complaint("new", 10 * 60));
    tracker.prune(T0 + 12 * H); // nothing to forget yet
    tracker.addComplaint(complaint("old", 0)); // late from a slow provider: before "new"
    tracker.prune(T0 + 24 * H + 5 * MIN);
    expect(tracker.tracked).toBe(1);
    tracker.addReply(reply("old", 24 * 60 + 6));
    expect(tracker.medianFirstResponse(TWITTER, T0 + 25 * H)).toBe(0);
    expect(tracker.overdue(TWITTER, T0 + 25 * H).count).toBe(1);
    tracker.prune(T0 + 34 * H + 5 * MIN);
    expect(tracker.tracked).toBe(0);
  });

  it("gives the same idle figures to every key with nothing due and no reply in the period", () => {
    const tracker = make();
    expect(IDLE_FIGURES).toEqual({ responseRate: 1, firstResponseSeconds: 0, unansweredOverdue: 0 });
    expect(tracker.figures(TWITTER, T0)).toBe(IDLE_FIGURES); // a key it never saw
    tracker.addComplaint(complaint("a", 0));
    expect(tracker.figures(TWITTER, T0 + 30 * MIN)).toBe(IDLE_FIGURES); // not due yet
    expect(tracker.figures(TWITTER, T0 + 2 * H)).toEqual({
      responseRate: 0,
      firstResponseSeconds: 0,
      unansweredOverdue: 1,
    });
  });

  it("treats a reply seen before the window end it is asked about as not yet given", () => {
    const tracker = make();
    tracker.addComplaint(complaint("a", 0));
    tracker.addReply(reply("a", 100)); // seen early: a window ahead, within the lateness
    const before = T0 + 95 * MIN;
    expect(tracker.overdue(TWITTER, before).count).toBe(1);
    expect(ids(tracker, TWITTER, before)).toEqual(["a"]);
    expect(tracker.responseRate(TWITTER, before)).toBe(0);
    expect(tracker.medianFirstResponse(TWITTER, before)).toBe(0);
    const after = T0 + 100 * MIN;
    expect(tracker.overdue(TWITTER, after).count).toBe(0);
    expect(tracker.responseRate(TWITTER, after)).toBe(1);
    expect(tracker.medianFirstResponse(TWITTER, after)).toBe(6000);
  });

  it("answers a complaint replied to within minutes, before its window would close", () => {
    const tracker = make();
    tracker.addComplaint(complaint("a", 1));
    tracker.addReply(reply("a", 3));
    expect(tracker.overdue(TWITTER, T0 + 2 * H).count).toBe(0);
    expect(tracker.responseRate(ALL, T0 + 2 * H)).toBe(1);
    expect(tracker.medianFirstResponse(ALL, T0 + 2 * H)).toBe(120);
  });

  it("ignores replies to unknown mentions and replies without in_reply_to", () => {
    const tracker = make();
    tracker.addComplaint(complaint("a", 0));
    tracker.addReply(reply("somebody-else", 5));
    tracker.addReply(reply(undefined, 5));
    expect(tracker.overdue(TWITTER, T0 + 2 * H).count).toBe(1);
    expect(tracker.medianFirstResponse(TWITTER, T0 + 2 * H)).toBe(0);
  });

  it("remembers at most maxTracked complaints, forgetting the first remembered", () => {
    const tracker = make({ maxTracked: 3 });
    for (const [id, minutes] of [
      ["a", 0],
      ["b", 1],
      ["c", 2],
      ["d", 3],
    ] as const)
      tracker.addComplaint(complaint(id, minutes));
    expect(tracker.tracked).toBe(3);
    tracker.addReply(reply("a", 10)); // forgotten: ignored
    tracker.addReply(reply("b", 10));
    const at = T0 + 2 * H;
    expect(tracker.overdue(TWITTER, at).count).toBe(2);
    expect(ids(tracker, TWITTER, at)).toEqual(["c", "d"]);
    expect(tracker.responseRate(ALL, at)).toBeCloseTo(1 / 3, 12);
    expect(tracker.medianFirstResponse(TWITTER, at)).toBe(540);
  });

  it("takes the median first response over the latest maxAnswers replies of all keys", () => {
    const tracker = make({ maxAnswers: 2 });
    tracker.addComplaint(complaint("a", 0));
    tracker.addComplaint(complaint("b", 5));
    tracker.addComplaint(complaint("c", 6));
    tracker.addReply(reply("a", 10)); // 10 min: the earliest answer, dropped once two later ones are kept
    tracker.addReply(reply("b", 25)); // 20 min: dropped in turn
    tracker.addReply(reply("c", 36)); // 30 min
    tracker.addComplaint(complaint("f", 40, "forum"));
    tracker.addReply(reply("f", 41)); // 1 min: forum and all
    const at = T0 + 2 * H;
    expect(tracker.medianFirstResponse(TWITTER, at)).toBe(30 * 60); // c alone: not 20, the median of all three
    expect(tracker.medianFirstResponse(ALL, at)).toBe(((30 + 1) / 2) * 60);
    expect(tracker.medianFirstResponse(FORUM, at)).toBe(60);
  });

  it("forgets on prune what the period no longer covers", () => {
    const tracker = make();
    tracker.addComplaint(complaint("old", 0));
    tracker.addComplaint(complaint("new", 120));
    tracker.addReply(reply("new", 130));
    tracker.prune(T0 + 24 * H + 60 * MIN);
    expect(tracker.tracked).toBe(1);
    const at = T0 + 24 * H + 60 * MIN;
    expect(tracker.overdue(TWITTER, at).count).toBe(0);
    expect(tracker.responseRate(TWITTER, at)).toBe(1);
    expect(tracker.medianFirstResponse(TWITTER, at)).toBe(600);
    tracker.prune(T0 + 26 * H + 10 * MIN);
    expect(tracker.tracked).toBe(0);
    expect(tracker.medianFirstResponse(TWITTER, T0 + 26 * H + 10 * MIN)).toBe(0);
  });

  it("gives the three series columns of a key at a window end", () => {
    const tracker = make();
    tracker.addComplaint(complaint("a", 0));
    tracker.addComplaint(complaint("b", 0));
    tracker.addReply(reply("a", 15));
    expect(tracker.figures(TWITTER, T0 + 2 * H)).toEqual({
      responseRate: 0.5,
      firstResponseSeconds: 900,
      unansweredOverdue: 1,
    });
  });

  // Short period so prunes, compactions and mid-queue removals all happen; a seeded generator. About
  // 950 complaints are within the period at a time: a cap of 600 forgets some, never an answer.
  // About 1,500 answers are within the period at a time: a cap of 300 keeps only the latest.
  it.each([
    ["without reaching the caps", 100_000, 100_000],
    ["forgetting over the cap", 600, 100_000],
    ["keeping the latest answers over the answer cap", 100_000, 300],
  ])(
    "agrees with a direct count over a long random stream of complaints, replies, prunes and queries, %s",
    (_, maxTracked, maxAnswers) => {
      const [overdueAfterMs, periodMs] = [15 * MIN, 2 * H];
      const tracker = make({ overdueAfterMs, periodMs, maxTracked, maxAnswers });
      const random = seededRandom(42);
      const channels = ["twitter", "forum", "news"];
      let known: { id: string; time: number; channel: string; answeredAt: number; forgotten?: true }[] = [];
      // Answers in the order given (replies come in time order): the cap keeps the last maxAnswers.
      const answers: (typeof known)[number][] = [];
      let now = T0;
      let pruned = Number.NEGATIVE_INFINITY;
      const expected = (key: { channel: string }, at: number, olderThanMs: number) => {
        const mine = known.filter((c) => key.channel === "all" || c.channel === key.channel);
        // A forgotten complaint counts nowhere, but a reply it got before still counts in the median.
        const inPeriod = mine.filter(
          (c) => !c.forgotten && c.time > at - periodMs && c.time <= at - olderThanMs,
        );
        const open = inPeriod.filter((c) => c.answeredAt > at).sort((a, b) => a.time - b.time);
        const kept = new Set(answers.slice(-maxAnswers));
        const delays = mine
          .filter((c) => kept.has(c) && c.answeredAt > at - periodMs && c.answeredAt <= at)
          .map((c) => c.answeredAt - c.time)
          .sort((a, b) => a - b);
        const mid = delays.length / 2;
        const median =
          delays.length === 0
            ? 0
            : (delays.length % 2 === 1 ? delays[Math.floor(mid)]! : (delays[mid - 1]! + delays[mid]!) / 2) /
              1000;
        return { due: inPeriod.length, open, median };
      };
      let checks = 0;
      let forgotten = 0;
      for (let step = 0; step < 20_000; step++) {
        now += Math.floor(random() * 10_000);
        const roll = random();
        if (roll < 0.6) {
          // Out of order by up to 5 minutes, as within a window and its lateness.
          const time = now - Math.floor(random() * 5 * MIN);
          const channel = channels[Math.floor(random() * channels.length)]!;
          const id = `c${step}`;
          tracker.addComplaint(mention({ id, at: time, channel }));
          known.push({ id, time, channel, answeredAt: Number.POSITIVE_INFINITY });
          const tracked = known.filter((c) => !c.forgotten && c.time > pruned - periodMs);
          if (tracked.length > maxTracked) {
            tracked[0]!.forgotten = true;
            forgotten++;
          }
        } else if (roll < 0.9 && known.length > 0) {
          // Mostly recent complaints, sometimes old ones; now and then an unknown id.
          const back = random() < 0.8 ? Math.floor(random() * 30) : Math.floor(random() * known.length);
          const target = known[known.length - 1 - Math.min(back, known.length - 1)]!;
          const id = random() < 0.05 ? "nobody" : target.id;
          tracker.addReply({ in_reply_to: id, time: now });
          if (
            id === target.id &&
            !target.forgotten &&
            target.time > pruned - periodMs &&
            now < target.answeredAt
          ) {
            target.answeredAt = now;
            answers.push(target);
          }
        } else if (roll < 0.95) {
          pruned = Math.max(pruned, now - 10 * MIN);
          tracker.prune(pruned);
          // No query reaches back past the prune; a complaint made before it may still have its answer
          // in a later period.
          const horizon = pruned - periodMs;
          known = known.filter(
            (c) => c.time > horizon || (c.answeredAt > horizon && c.answeredAt < Infinity),
          );
        } else {
          const at = Math.max(pruned, now - Math.floor(random() * 10 * MIN));
          const key = [TWITTER, FORUM, ALL][Math.floor(random() * 3)]!;
          const olderThanMs = Math.floor(random() * periodMs * 1.1);
          const want = expected(key, at, olderThanMs);
          const overdue = tracker.overdue(key, at, olderThanMs);
          expect(overdue.count).toBe(want.open.length);
          expect(overdue.oldest.map((post) => post.time)).toEqual(want.open.slice(0, 5).map((c) => c.time));
          const rated = expected(key, at, overdueAfterMs);
          const rate = rated.due === 0 ? 1 : (rated.due - rated.open.length) / rated.due;
          expect(tracker.responseRate(key, at)).toBeCloseTo(rate, 12);
          expect(tracker.medianFirstResponse(key, at)).toBeCloseTo(want.median, 9);
          checks++;
        }
      }
      expect(checks).toBeGreaterThan(500);
      expect(tracker.tracked).toBeLessThanOrEqual(maxTracked);
      expect(forgotten > 0).toBe(maxTracked < 1000);
    },
  );
});

describe("response tracker figures kept between closes", () => {
  it("gives at every close what the direct look-ups give, over a random stream with quiet stretches, late replies and pruning", () => {
    const W = 5 * MIN;
    for (const seed of [1, 2, 3, 4]) {
      const random = seededRandom(seed);
      const tracker = make({ periodMs: 6 * H, maxAnswers: 40, maxTracked: 150 });
      const keys = ["twitter", "forum", "news"].map((channel) => ({ brand: "kryptonite", channel }));
      // The windower hands the tracker the same key objects at every close.
      const asked = [...keys, ALL];
      const sent: string[] = [];
      let n = 0;
      for (let window = 0; window < 400; window++) {
        // Quiet stretches: whole hours without anything, so the kept figures must notice time alone.
        const busy = Math.floor(window / 24) % 3 !== 1;
        const events = busy ? Math.floor(random() * 6) : 0;
        for (let e = 0; e < events; e++) {
          // Within the window and up to two windows ahead (lateness: replies seen before their close).
          const time = T0 + window * W + Math.floor(random() * 3 * W);
          if (sent.length > 0 && random() < 0.4) {
            const to = sent[Math.floor(random() * sent.length)];
            tracker.addReply({ in_reply_to: to, time });
          } else {
            const id = `c${n++}`;
            const channel = keys[Math.floor(random() * keys.length)]!.channel;
            tracker.addComplaint(mention({ id, at: time, channel }));
            sent.push(id);
          }
        }
        const at = T0 + (window + 1) * W;
        // The windower prunes at the first close of a batch only: between prunes, things leave the
        // period by time alone.
        if (random() < 0.3) tracker.prune(at);
        for (const key of asked) {
          const figures = tracker.figures(key, at);
          expect(figures, `seed ${seed}, window ${window}, ${key.channel}`).toEqual({
            responseRate: tracker.responseRate(key, at),
            firstResponseSeconds: tracker.medianFirstResponse(key, at),
            unansweredOverdue: tracker.overdue(key, at).count,
          });
        }
      }
    }
  });
});
