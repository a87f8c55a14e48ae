// The spread of one story across a brand's channels from hand-made evidence (the Kryptonite pattern: a
// forum post reaching blogs, then the press): its markers, the channels carrying it and when they did.
import { describe, expect, it } from "vitest";
import { storySpread } from "../src/explain/story-spread.js";
import type { KeyEvidence, WindowEvidence } from "../src/model/evidence.js";

const W = 300_000;
const T0 = Date.parse("2026-03-03T08:00:00Z");
const LINK = "forum.example/t/kryptonite-bic-pen/1";

type Terms = Record<string, number>;

function key(terms: Terms, firstAt: number): KeyEvidence {
  const counts = new Map(Object.entries(terms));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return {
    negative: Math.max(0, ...counts.values()),
    termTotal: total,
    terms: counts,
    topPosts: [],
    authors: 1,
    newAuthors: 0,
    influencers: [],
    firstAt,
  };
}

/** Window i with these channels' terms (first negative mention 1 min in, plus 10 s per channel listed before); "all" sums them. */
function window(i: number, channels: Record<string, Terms>): WindowEvidence {
  const start = T0 + i * W;
  const keys = new Map<string, KeyEvidence>();
  const all: Terms = {};
  Object.entries(channels).forEach(([channel, terms], n) => {
    keys.set(channel, key(terms, start + 60_000 + n * 10_000));
    for (const [term, count] of Object.entries(terms)) all[term] = (all[term] ?? 0) + count;
  });
  keys.set("all", key(all, start + 60_000));
  return { start, end: start + W, keys };
}

/** What every channel says about the brand every window: its name and the usual words. */
const usual = (): Terms => ({ kryptonite: 3, lock: 3, bike: 2 });
const chatter = (): Record<string, Terms> => ({
  forum: usual(),
  blog: usual(),
  news: usual(),
  twitter: usual(),
});

/** 12 quiet windows, then the windows built by `span` from window 12 on. */
function history(span: Array<Record<string, Terms>>): WindowEvidence[] {
  const windows: WindowEvidence[] = [];
  for (let i = 0; i < 12; i++) windows.push(window(i, chatter()));
  span.forEach((channels, n) => windows.push(window(12 + n, channels)));
  return windows;
}

const FROM = T0 + 12 * W;
const TO = T0 + 15 * W;
const story = (n: number): Terms => ({ ...usual(), [LINK]: n, "bic pen": n });

/** The story on the forum at window 12, on blogs at 13, in the news at 14; the forum keeps carrying it. */
function cascade(news = 4): WindowEvidence[] {
  return history([
    { ...chatter(), forum: story(4) },
    { ...chatter(), forum: story(4), blog: story(4) },
    { ...chatter(), forum: story(4), blog: story(4), news: story(news) },
  ]);
}

describe("storySpread", () => {
  it("follows one story (a link and a phrase) from the forum to blogs to the news, with the times they took it up", () => {
    const spread = storySpread(cascade(), { from: FROM, to: TO, minMentions: 3 });
    expect(spread.channels).toBe(3);
    expect(spread.story?.markers).toEqual(expect.arrayContaining([LINK, "bic pen"]));
    expect(spread.story?.markers).toHaveLength(2);
    // The channel's first negative mention of its first window carrying the story (10 s per channel listed before it).
    expect(spread.story?.channels).toEqual([
      { channel: "forum", at: T0 + 12 * W + 60_000, mentions: 12 },
      { channel: "blog", at: T0 + 13 * W + 70_000, mentions: 8 },
      { channel: "news", at: T0 + 14 * W + 80_000, mentions: 4 },
    ]);
  });

  it("does not take a term the baseline already uses as much, like the brand's name, for a story", () => {
    const spread = storySpread(history([chatter(), chatter(), chatter()]), {
      from: FROM,
      to: TO,
      minMentions: 3,
    });
    expect(spread).toEqual({ channels: 0 });
    expect(storySpread(cascade(), { from: FROM, to: TO, minMentions: 3 }).story?.markers).not.toContain(
      "kryptonite",
    );
  });

  it("counts the channels of the most widespread story when two unrelated stories run in two channels each", () => {
    const recall = (): Terms => ({ ...usual(), "#recall": 5 });
    const spread = storySpread(
      history([
        { forum: story(4), blog: story(4), news: recall(), twitter: recall() },
        { forum: story(4), blog: story(4), news: recall(), twitter: recall() },
      ]),
      { from: FROM, to: TO, minMentions: 3 },
    );
    expect(spread.channels).toBe(2);
    const channels = spread.story?.channels.map((c) => c.channel).sort();
    expect([
      ["blog", "forum"],
      ["news", "twitter"],
    ]).toContainEqual(channels);
    expect(spread.story?.markers.includes("#recall")).toBe(channels?.[0] === "news");
  });

  it("counts a channel only when enough of its negative mentions in the span use the story", () => {
    expect(storySpread(cascade(2), { from: FROM, to: TO, minMentions: 3 }).channels).toBe(2);
    expect(storySpread(cascade(2), { from: FROM, to: TO, minMentions: 2 }).channels).toBe(3);
    // Summed over the span: the forum's 4 + 4 + 4 reach 9, the blogs' 4 + 4 do not.
    expect(storySpread(cascade(), { from: FROM, to: TO, minMentions: 9 }).story?.channels).toEqual([
      { channel: "forum", at: T0 + 12 * W + 60_000, mentions: 12 },
    ]);
  });

  it("sees no story in a word that three channels used before the span only", () => {
    const windows: WindowEvidence[] = [];
    for (let i = 0; i < 12; i++) {
      const channels = chatter();
      if (i >= 8) for (const channel of ["forum", "blog", "news"]) channels[channel]!["#recall"] = 5;
      windows.push(window(i, channels));
    }
    for (let i = 12; i < 15; i++) windows.push(window(i, chatter()));
    expect(storySpread(windows, { from: FROM, to: TO, minMentions: 3 })).toEqual({ channels: 0 });
    // One channel sharing a new link in the span is a story in one channel.
    const shared = window(14, { ...chatter(), blog: { ...usual(), [LINK]: 3 } });
    expect(storySpread([...windows.slice(0, 14), shared], { from: FROM, to: TO, minMentions: 3 })).toEqual({
      channels: 1,
      story: { markers: [LINK], channels: [{ channel: "blog", at: shared.start + 70_000, mentions: 3 }] },
    });
  });

  it("sees no story in a link shared as much before the span, like the brand's own site, nor in words against too short a baseline", () => {
    const site = "kryptonite.example/locks";
    const windows: WindowEvidence[] = [];
    for (let i = 0; i < 15; i++) {
      const channels = chatter();
      for (const channel of ["forum", "blog", "news"]) channels[channel] = { ...usual(), [site]: 3 };
      windows.push(window(i, channels));
    }
    expect(storySpread(windows, { from: FROM, to: TO, minMentions: 3 })).toEqual({ channels: 0 });
    // Only one window of baseline before a three-window span: "bic pen" is not yet known to be new.
    const short = cascade().slice(-4);
    expect(storySpread(short, { from: FROM, to: TO, minMentions: 3 }).story?.markers).toEqual([LINK]);
  });

  it("takes the baseline from baselineFrom on, and the span from `from` to `to` only", () => {
    // With only a window carrying the story as baseline, neither its phrase nor its link is new.
    const windows = history([
      { ...chatter(), forum: story(4) },
      { ...chatter(), forum: story(4) },
      chatter(),
    ]);
    const later = storySpread(windows, { from: T0 + 14 * W, to: TO, minMentions: 3 });
    expect(later).toEqual({ channels: 0 });
    const narrow = storySpread(windows, {
      from: T0 + 13 * W,
      to: T0 + 14 * W,
      minMentions: 3,
      baselineFrom: T0 + 12 * W,
    });
    expect(narrow).toEqual({ channels: 0 });
  });
});
