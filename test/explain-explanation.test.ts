// The explanation of an alert from hand-made evidence: the plain-words line, top posts (cascade
// first), channels in the order they took the story up, new voices and influencers.
import { describe, expect, it } from "vitest";
import { explainAlert } from "../src/explain/explain.js";
import { plainWords, whenUsual } from "../src/explain/plain-words.js";
import type { EvidencePost, KeyEvidence, WindowEvidence } from "../src/model/evidence.js";
import type { AlertMeasure } from "../src/model/index.js";

const W = 300_000;
const T0 = Date.parse("2026-03-03T08:00:00Z"); // a Tuesday

function key(partial: Partial<KeyEvidence> & { terms?: Map<string, number> }): KeyEvidence {
  const terms = partial.terms ?? new Map<string, number>();
  return {
    negative: 1,
    termTotal: [...terms.values()].reduce((a, b) => a + b, 0),
    topPosts: [],
    authors: 1,
    newAuthors: 0,
    influencers: [],
    firstAt: 0,
    ...partial,
    terms,
  };
}

function post(id: string, channel: string, score: number, extra: Partial<EvidencePost> = {}): EvidencePost {
  return {
    id,
    channel,
    time: T0,
    engagement: { likes: score, shares: 0, comments: 0 },
    text: id,
    score,
    ...extra,
  };
}

const usual = new Map([
  ["lock", 2],
  ["bike", 2],
]);
const story = (n: number) =>
  new Map([
    ["pen", n],
    ["lock", 2],
    ["bike", 2],
  ]);

/** 12 quiet windows, the story on the forum at window 12, reddit at 13, twitter at 14. */
function evidence(): WindowEvidence[] {
  const windows: WindowEvidence[] = [];
  for (let i = 0; i < 16; i++) {
    const start = T0 + i * W;
    const keys = new Map<string, KeyEvidence>();
    const on = ["forum", "reddit", "twitter"].filter((_c, n) => i >= 12 + n);
    const all = on.length > 0 ? story(3 * on.length) : usual;
    keys.set(
      "all",
      key({
        negative: 4,
        terms: all,
        authors: 4,
        newAuthors: on.length,
        topPosts:
          i === 12
            ? [post("viral", "forum", 1_000, { url: "https://forum.example/1", text: "a pen opens it" })]
            : i === 14
              ? [
                  post("share", "twitter", 1_500, { text: "pen! https://forum.example/1" }),
                  post("big", "news", 1_200, { text: "unrelated" }),
                ]
              : [],
        influencers: i === 14 ? [{ name: "star", followers: 2_000_000, channel: "twitter" }] : [],
      }),
    );
    for (const channel of on) keys.set(channel, key({ terms: story(3), firstAt: start + 60_000 }));
    keys.set("review", key({ terms: usual, firstAt: start }));
    windows.push({ start, end: start + W, keys });
  }
  return windows;
}

const measure = (time: number, extra: Partial<AlertMeasure> = {}): AlertMeasure => ({
  time,
  value: 412,
  expected: 46,
  factor: 8.96,
  score: 30,
  ...extra,
});

describe("plain words", () => {
  it("says observed against usual, the window width, the weekday and the part of the day", () => {
    expect(plainWords(measure(T0, { pValue: 1.2e-30 }), "negative", 15 * 60_000)).toBe(
      "412 negative mentions in 15 min, about 9× the usual 46 for a Tuesday morning (UTC; p = 1.2e-30)",
    );
    expect(whenUsual(Date.parse("2026-03-07T22:00:00Z"))).toBe("a Saturday evening");
    expect(plainWords(measure(T0, { value: 0.42, expected: 0.1, factor: 4.2 }), "negative_share", W)).toBe(
      "negative share 42% in 5 min, about 4.2× the usual 10% for a Tuesday morning (UTC)",
    );
  });
});

describe("explainAlert", () => {
  // Episode from window 14 (activeAt = its end), last judged window 15: recent = windows 13..15.
  const alert = {
    labels: { brand: "kryptonite" },
    activeAt: T0 + 15 * W,
    last: measure(T0 + 15 * W),
  };
  const explanation = explainAlert(alert, evidence(), { windowMs: W, metric: "negative" });

  it("finds the story's term and not the usual talk", () => {
    expect(explanation.terms.map((t) => t.term)).toEqual(["pen"]);
  });

  it("ranks the post that started the cascade above the larger one that shared it", () => {
    expect(explanation.posts.map((p) => p.id)).toEqual(["viral", "share", "big"]);
    expect(explanation.posts[0]).toMatchObject({ url: "https://forum.example/1", channel: "forum" });
  });

  it("lists the channels in the order they took the story up, with the time of their first post", () => {
    expect(explanation.spread.joined).toEqual([
      { channel: "forum", at: T0 + 12 * W + 60_000 },
      { channel: "reddit", at: T0 + 13 * W + 60_000 },
      { channel: "twitter", at: T0 + 14 * W + 60_000 },
    ]);
  });

  it("counts volume by channel, new voices and influencers over the alert's windows", () => {
    expect(explanation.spread.channels).toEqual([
      { channel: "forum", negative: 3 },
      { channel: "reddit", negative: 3 },
      { channel: "review", negative: 3 },
      { channel: "twitter", negative: 2 },
    ]);
    // Windows 13, 14, 15: 4 authors each, 2 + 3 + 3 new.
    expect(explanation.spread.authors).toBe(12);
    expect(explanation.spread.newAuthorShare).toBeCloseTo(8 / 12, 12);
    expect(explanation.spread.influencers).toEqual([
      { name: "star", followers: 2_000_000, channel: "twitter" },
    ]);
  });

  it("keeps only http(s) links", () => {
    const windows = evidence();
    const bad = post("bad", "forum", 5_000, { url: "javascript:alert(1)", text: "pen" });
    windows[15] = {
      ...windows[15]!,
      keys: new Map([...windows[15]!.keys, ["all", { ...windows[15]!.keys.get("all")!, topPosts: [bad] }]]),
    };
    const posts = explainAlert(alert, windows, { windowMs: W, metric: "negative" }).posts;
    expect(posts[0]).toMatchObject({ id: "bad" });
    expect(posts[0]!.url).toBeUndefined();
  });
});
