// The per-source deadman on hand-made feeds: hour-of-day profiles learned from counts whose usual
// values are known, silences whose expected counts are computed by hand.
import { describe, expect, it } from "vitest";
import type { FeedChange } from "../src/model/feed.js";
import { FeedWatch } from "../src/aggregate/feed-watch.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 2026-03-02 00:00 UTC. */
const D0 = Date.parse("2026-03-02T00:00:00Z");

const options = { stalledAfterMs: 20 * MIN, minExpected: 20 };

interface Traffic {
  /** Mentions in each hour of [from, to), spread evenly over it (an hour of the day, and its start). */
  perHour: (hourOfDay: number, hourStart: number) => number;
  brand?: string;
  channel?: string;
}

/**
 * Feeds the traffic between `from` and `to` in time order, checking at every mention and every
 * minute as the engine does on its batches and ticks; returns the changes found.
 */
function run(watch: FeedWatch, from: number, to: number, ...feeds: Traffic[]): FeedChange[] {
  const times: Array<[number, string, string]> = [];
  for (let start = from; start < to; start += HOUR) {
    for (const { perHour, brand = "k", channel = "twitter" } of feeds) {
      const n = perHour(new Date(start).getUTCHours(), start);
      for (let i = 0; i < n; i++) times.push([start + ((i + 0.5) * HOUR) / n, brand, channel]);
    }
    for (let minute = 0; minute < 60; minute++) times.push([start + minute * MIN, "", ""]);
  }
  times.sort((a, b) => a[0] - b[0]);
  const changes: FeedChange[] = [];
  for (const [time, brand, channel] of times) {
    changes.push(...watch.check(time));
    if (brand) watch.seen(brand, channel, time);
  }
  return changes;
}

/** A check every minute from `from` to `to` included, without mentions. */
function silence(watch: FeedWatch, from: number, to: number): Array<FeedChange & { at: number }> {
  const changes: Array<FeedChange & { at: number }> = [];
  for (let at = from; at <= to; at += MIN)
    for (const change of watch.check(at)) changes.push({ ...change, at });
  return changes;
}

const steady = (n: number): Traffic => ({ perHour: () => n });

describe("FeedWatch profile", () => {
  it("learns nothing from a single day, then the usual count of each hour of the day from two", () => {
    const watch = new FeedWatch(options);
    // A day and an hour (the first, partly seen, does not count): each hour of the day seen once.
    run(watch, D0, D0 + DAY + HOUR, steady(60));
    expect(watch.expected("k", "twitter", D0 + DAY + 12 * HOUR, D0 + DAY + 13 * HOUR)).toBe(0);
    expect(watch.isWatched("k", "twitter")).toBe(false);
    run(watch, D0 + DAY + HOUR, D0 + 2 * DAY + 12 * HOUR, steady(60));
    expect(watch.isWatched("k", "twitter")).toBe(true);
    expect(
      watch.expected("k", "twitter", D0 + 2 * DAY + 12 * HOUR, D0 + 2 * DAY + 12 * HOUR + 20 * MIN),
    ).toBe(20);
  });

  it("keeps a profile per hour of the day, where one viral hour moves nothing", () => {
    const watch = new FeedWatch(options);
    const day = (hour: number) => (hour >= 8 && hour < 20 ? 60 : 3);
    // Tuesday 14:00 goes viral: 600 mentions.
    const viral = (hour: number, start: number) => (start === D0 + DAY + 14 * HOUR ? 600 : day(hour));
    run(watch, D0, D0 + 2 * DAY + 12 * HOUR, { perHour: viral });
    const at = (hour: number) => D0 + 2 * DAY + hour * HOUR;
    expect(watch.expected("k", "twitter", at(2), at(4))).toBe(6);
    expect(watch.expected("k", "twitter", at(7) + 30 * MIN, at(8) + 30 * MIN)).toBe(1.5 + 30);
    // Wednesday 14:00 expects Monday's and Tuesday's lower median (60), not their mean (330).
    expect(watch.expected("k", "twitter", at(14), at(15))).toBe(60);
  });

  it("follows a feed whose rate changed, from the last seven days only", () => {
    const watch = new FeedWatch(options);
    run(watch, D0, D0 + 10 * DAY, steady(60));
    run(watch, D0 + 10 * DAY, D0 + 14 * DAY, steady(6));
    // The last seven days of each hour: three at 60, four at 6.
    expect(watch.expected("k", "twitter", D0 + 14 * DAY, D0 + 14 * DAY + HOUR)).toBe(6);
  });
});

describe("FeedWatch stalls", () => {
  it("stalls a busy feed silenced for stalled_after, with the count its profile expected, and brings it back", () => {
    const watch = new FeedWatch(options);
    expect(run(watch, D0, D0 + 2 * DAY + 12 * HOUR, steady(120))).toEqual([]);
    // 120 an hour, one every 30 s: the last at 11:59:45; 20 min later 40 were expected.
    const last = D0 + 2 * DAY + 12 * HOUR - 15_000;
    const changes = silence(watch, D0 + 2 * DAY + 12 * HOUR, D0 + 2 * DAY + 13 * HOUR);
    expect(changes).toEqual([
      {
        brand: "k",
        channel: "twitter",
        stalled: true,
        silenceFrom: last,
        lastSeen: last,
        expected: 40.5,
        at: D0 + 2 * DAY + 12 * HOUR + 20 * MIN, // the first minute at least 20 min after 11:59:45
      },
    ]);
    expect(watch.isStalled("k", "twitter")).toBe(true);
    expect(watch.summary()).toEqual({ feeds: 1, watched: 1, stalled: 1 });

    const back = D0 + 2 * DAY + 13 * HOUR + 30_000;
    watch.seen("k", "twitter", back);
    expect(watch.check(back)).toEqual([
      { brand: "k", channel: "twitter", stalled: false, silenceFrom: last, lastSeen: back, expected: 40.5 },
    ]);
    expect(watch.check(back + MIN)).toEqual([]);
    expect(watch.isStalled("k", "twitter")).toBe(false);
  });

  it("waits for the expected count on a quieter feed: at 30 an hour, 40 min of silence", () => {
    const watch = new FeedWatch(options);
    run(watch, D0, D0 + 2 * DAY + 12 * HOUR, steady(30));
    const last = D0 + 2 * DAY + 12 * HOUR - MIN;
    const changes = silence(watch, D0 + 2 * DAY + 12 * HOUR, D0 + 2 * DAY + 14 * HOUR);
    expect(changes.map((c) => [c.at - last, c.expected])).toEqual([[40 * MIN, 20]]);
  });

  it("does not stall a feed that is silent every night, however long the night", () => {
    const watch = new FeedWatch(options);
    const days = { perHour: (hour: number) => (hour >= 8 && hour < 20 ? 60 : 0) };
    expect(run(watch, D0, D0 + 5 * DAY, days)).toEqual([]);
    // Yet the same feed silent at 10:00 on a working day stalls.
    run(watch, D0 + 5 * DAY, D0 + 5 * DAY + 10 * HOUR, days);
    const changes = silence(watch, D0 + 5 * DAY + 10 * HOUR, D0 + 5 * DAY + 11 * HOUR);
    expect(changes.map((c) => c.at - (D0 + 5 * DAY + 10 * HOUR))).toEqual([20 * MIN]);
  });

  it("scales the expectation down, never up, to a slow day's level", () => {
    const slow = new FeedWatch(options);
    run(slow, D0, D0 + 3 * DAY, steady(60));
    // A day at half the usual rate: 30 min of silence would be 30 usual mentions, 15 at today's level.
    run(slow, D0 + 3 * DAY, D0 + 3 * DAY + 12 * HOUR, steady(30));
    const from = D0 + 3 * DAY + 12 * HOUR - MIN;
    expect(slow.expected("k", "twitter", from, from + 30 * MIN)).toBe(15);
    const changes = silence(slow, D0 + 3 * DAY + 12 * HOUR, D0 + 3 * DAY + 13 * HOUR);
    expect(changes.map((c) => [c.at - from, c.expected])).toEqual([[40 * MIN, 20]]);

    const busy = new FeedWatch(options);
    run(busy, D0, D0 + 3 * DAY, steady(60));
    run(busy, D0 + 3 * DAY, D0 + 3 * DAY + 12 * HOUR, steady(120));
    expect(busy.expected("k", "twitter", from, from + 30 * MIN)).toBe(30);
  });

  it("reads an empty window by what the feed usually has in it", () => {
    const watch = new FeedWatch(options);
    const days = { perHour: (hour: number) => (hour >= 8 && hour < 20 ? 60 : 3) };
    run(watch, D0, D0 + 2 * DAY + 12 * HOUR, days);
    const noon = D0 + 2 * DAY + 12 * HOUR;
    // 5 expected in a 5-minute window at noon; 0.25 at night.
    expect(watch.emptyWindow("k", "twitter", noon, noon + 5 * MIN)).toBe("unusual");
    expect(watch.emptyWindow("k", "twitter", noon - 10 * HOUR, noon - 10 * HOUR + 5 * MIN)).toBe("usual");
    expect(watch.emptyWindow("k", "forum", noon, noon + 5 * MIN)).toBe("usual"); // never seen
    silence(watch, noon, noon + 30 * MIN);
    expect(watch.emptyWindow("k", "twitter", noon + 20 * MIN, noon + 25 * MIN)).toBe("stalled");
    // A window before the silence is not part of the stall.
    expect(watch.emptyWindow("k", "twitter", noon - 10 * HOUR, noon - 10 * HOUR + 5 * MIN)).toBe("usual");
  });
});

describe("FeedWatch all channels", () => {
  it("stalls a brand's all series only when every watched channel is stalled", () => {
    const watch = new FeedWatch(options);
    // forum says a few words a day: known but not watched, its silence cannot stall the brand.
    const forum: Traffic = { channel: "forum", perHour: (hour) => (hour === 9 ? 5 : 0) };
    run(watch, D0, D0 + 2 * DAY + 12 * HOUR, steady(120), { ...steady(60), channel: "facebook" }, forum);
    expect(watch.isWatched("k", "forum")).toBe(false);
    expect(watch.isWatched("k", "all")).toBe(true);
    const noon = D0 + 2 * DAY + 12 * HOUR;
    // 10 + 5 expected in a 5-minute window of all.
    expect(watch.expected("k", "all", noon, noon + 5 * MIN)).toBe(15);

    // twitter stops; facebook goes on.
    run(watch, noon, noon + HOUR, { ...steady(60), channel: "facebook" });
    expect(watch.isStalled("k", "twitter")).toBe(true);
    expect(watch.isStalled("k", "all")).toBe(false);
    expect(watch.emptyWindow("k", "all", noon + 30 * MIN, noon + 35 * MIN)).toBe("unusual");
    // facebook stops too.
    const changes = silence(watch, noon + HOUR, noon + 2 * HOUR);
    expect(changes.map((c) => c.channel)).toEqual(["facebook"]);
    expect(watch.isStalled("k", "all")).toBe(true);
    expect(watch.emptyWindow("k", "all", noon + HOUR + 30 * MIN, noon + HOUR + 35 * MIN)).toBe("stalled");
    expect(watch.isStalled("other", "all")).toBe(false);
    expect(watch.summary()).toEqual({ feeds: 3, watched: 2, stalled: 2 });
  });
});

describe("FeedWatch memory", () => {
  it("watches at most maxFeeds feeds and ignores the mentions of further ones", () => {
    const watch = new FeedWatch({ ...options, maxFeeds: 2 });
    const channels = ["twitter", "facebook", "forum"].map((channel) => ({ ...steady(60), channel }));
    run(watch, D0, D0 + 3 * DAY, ...channels);
    expect(watch.summary()).toEqual({ feeds: 2, watched: 2, stalled: 0 });
    expect(watch.isWatched("k", "forum")).toBe(false);
  });

  it("forgets a feed silent for seven days, ending its stall, and a quiet one without a word", () => {
    const watch = new FeedWatch(options);
    run(watch, D0, D0 + 3 * DAY, steady(60), { channel: "forum", perHour: (hour) => (hour === 9 ? 1 : 0) });
    const last = D0 + 3 * DAY - 30_000;
    const changes = silence(watch, D0 + 3 * DAY, D0 + 3 * DAY + HOUR);
    expect(changes.map((c) => [c.channel, c.stalled])).toEqual([["twitter", true]]);
    expect(watch.check(last + 7 * DAY - 1)).toEqual([]);
    expect(watch.check(last + 7 * DAY)).toEqual([
      {
        brand: "k",
        channel: "twitter",
        stalled: false,
        silenceFrom: last,
        lastSeen: last,
        expected: 20.5,
        forgotten: true,
      },
    ]);
    expect(watch.summary()).toEqual({ feeds: 0, watched: 0, stalled: 0 });
    expect(watch.isStalled("k", "twitter")).toBe(false);
  });
});
