// Per-window evidence beside the metric rows: Unicode terms without stop words, top posts, new voices
// and influencers, and every part of it bounded.
import { describe, expect, it } from "vitest";
import { EvidenceStore } from "../src/aggregate/evidence-store.js";
import { postScore } from "../src/aggregate/key-tally.js";
import { normaliseLink } from "../src/aggregate/terms.js";
import { termsOf } from "./helpers/terms-of.js";
import { Windower } from "../src/aggregate/windower.js";
import type { Mention } from "../src/model/index.js";

const W = 300_000;
const T0 = Date.parse("2026-03-06T09:00:00Z");

function mention(id: string, time: number, extra: Partial<Mention> = {}): Mention {
  return {
    id,
    brand: "kryptonite",
    channel: "forum",
    text: "Awful lock",
    created_at: new Date(time).toISOString(),
    time,
    author: { id: `a-${id}`, name: id, followers: 10 },
    ...extra,
  };
}

describe("termsOf", () => {
  it("keeps words, hashtags and two-word phrases, in any script, without English and French stop words", () => {
    expect(termsOf("Mon antivol crocheté avec un stylo Bic ! #Lockgate #vélo 😡")).toEqual([
      "antivol",
      "crocheté",
      "antivol crocheté",
      "stylo",
      "bic",
      "stylo bic",
      "#lockgate",
      "#vélo",
    ]);
    expect(termsOf("Открыли замок ручкой")).toEqual([
      "открыли",
      "замок",
      "открыли замок",
      "ручкой",
      "замок ручкой",
    ]);
  });

  it("does not join phrases across punctuation or links, and leaves out handles, numbers and elisions", () => {
    expect(termsOf("Opened in 30 seconds. Useless via @alexurban https://x.example/a l'antivol")).toEqual([
      "opened",
      "seconds",
      "useless",
      "antivol",
      "x.example/a",
    ]);
    expect(termsOf("Bic https://x.example/a pen")).toEqual(["bic", "pen", "x.example/a"]);
  });

  it("keeps each link once, after the words, however it was shared", () => {
    expect(
      termsOf(
        "Watch https://www.YouTube.com/watch?v=abc&utm_source=x. Again: http://youtube.com/watch?v=abc#t=3",
      ),
    ).toEqual(["watch", "again", "youtube.com/watch?v=abc"]);
  });

  it("normalises a link to its host and path, without protocol, www, tracking, fragment or trailing punctuation", () => {
    expect(normaliseLink("https://www.YouTube.com/watch?v=abc&utm_source=x.")).toBe(
      "youtube.com/watch?v=abc",
    );
    expect(normaliseLink("www.Forum.Example/t/Bic-Pen/1/?fbclid=X1&utm_medium=social),")).toBe(
      "forum.example/t/Bic-Pen/1",
    );
    expect(normaliseLink("HTTPS://News.example:443/a?id=7&gclid=z&si=q#top!")).toBe("news.example/a?id=7");
    expect(normaliseLink("https://en.wikipedia.org/wiki/Lock_(security))")).toBe(
      "en.wikipedia.org/wiki/Lock_(security)",
    );
    expect(normaliseLink("http://user@blog.example/")).toBe("blog.example");
    expect(normaliseLink("http://localhost:8080/x")).toBeUndefined();
  });

  it("lists each term once per text", () => {
    expect(termsOf("pen pen pen")).toEqual(["pen", "pen pen"]);
  });
});

describe("EvidenceStore through the windower", () => {
  const setup = (options: ConstructorParameters<typeof EvidenceStore>[0] = {}) => {
    const evidence = new EvidenceStore(options);
    const windower = new Windower({ windowMs: W, latenessMs: 0, maxCatchUpWindows: 10, evidence });
    return { evidence, windower };
  };

  it("counts the terms, authors and top posts of negative mentions only, per channel and for the brand", () => {
    const { evidence, windower } = setup({ topPosts: 2 });
    windower.add(mention("m1", T0 + 1_000, { text: "A Bic pen opens it" }), true);
    windower.add(mention("m2", T0 + 2_000, { channel: "twitter", engagement: { likes: 500 } }), true);
    windower.add(mention("m3", T0 + 3_000, { text: "Love the new lock" }), false);
    windower.add(mention("m4", T0 + 4_000, { engagement: { shares: 50 } }), true);
    windower.advance(T0 + W);
    const [window] = evidence.brand("kryptonite");
    const all = window!.keys.get("all")!;
    expect(all.negative).toBe(3);
    expect(all.terms.get("pen")).toBe(1);
    expect(all.terms.get("love")).toBeUndefined();
    expect(all.topPosts.map((p) => p.id)).toEqual(["m2", "m4"]);
    expect(all.authors).toBe(3);
    expect(all.newAuthors).toBe(3);
    expect(all.firstAt).toBe(T0 + 1_000);
    expect(window!.keys.get("forum")!.negative).toBe(2);
    expect(window!.keys.get("twitter")!.topPosts.map((p) => p.id)).toEqual(["m2"]);
  });

  it("scores a post by its interactions plus 1% of its author's audience", () => {
    expect(
      postScore({ author: { followers: 10_000 }, engagement: { likes: 5, shares: 3, comments: 2 } }),
    ).toBe(110);
  });

  it("tells new voices from authors the brand heard within the retention", () => {
    const { evidence, windower } = setup();
    windower.add(mention("m1", T0, { author: { id: "old" } }), true);
    windower.advance(T0 + W);
    windower.add(mention("m2", T0 + W, { author: { id: "old" } }), true);
    windower.add(mention("m3", T0 + W + 1, { author: { id: "fresh" } }), true);
    windower.advance(T0 + 2 * W);
    const second = evidence.brand("kryptonite")[1]!.keys.get("all")!;
    expect([second.authors, second.newAuthors]).toEqual([2, 1]);
  });

  it("keeps influencers above the follower threshold, largest first, at most maxInfluencers", () => {
    const { evidence, windower } = setup({ influencerFollowers: 1_000, maxInfluencers: 2 });
    for (const [i, followers] of [500, 5_000, 50_000, 20_000].entries())
      windower.add(mention(`m${i}`, T0 + i, { author: { id: `a${i}`, name: `n${i}`, followers } }), true);
    windower.advance(T0 + W);
    const all = evidence.brand("kryptonite")[0]!.keys.get("all")!;
    expect(all.influencers.map((i) => i.followers)).toEqual([50_000, 20_000]);
  });

  it("bounds terms per key and window, post texts, and forgets windows older than the retention", () => {
    const { evidence, windower } = setup({ maxTerms: 3, maxChannelTerms: 2, textChars: 10, retainMs: 2 * W });
    windower.add(mention("m1", T0, { text: "alpha beta gamma delta epsilon zeta" }), true);
    windower.add(mention("m2", T0 + 1, { text: "delta epsilon" }), true);
    for (let i = 1; i < 4; i++) windower.add(mention(`n${i}`, T0 + i * W), true);
    windower.advance(T0 + 4 * W);
    const windows = evidence.brand("kryptonite");
    expect(windows.map((w) => w.start)).toEqual([T0 + 2 * W, T0 + 3 * W]);
    const { evidence: fresh, windower: again } = setup({ maxTerms: 3, maxChannelTerms: 2, textChars: 10 });
    again.add(mention("m1", T0, { text: "alpha beta gamma delta epsilon zeta" }), true);
    again.add(mention("m2", T0 + 1, { text: "delta epsilon" }), true);
    again.advance(T0 + W);
    const [window] = fresh.brand("kryptonite");
    const all = window!.keys.get("all")!;
    expect([...all.terms.keys()]).toEqual(["delta", "epsilon", "delta epsilon"]);
    expect(all.termTotal).toBe(14);
    expect(window!.keys.get("forum")!.terms.size).toBe(2);
    expect(all.topPosts[0]!.text).toBe("alpha bet…");
  });

  it("remembers at most maxRecentAuthors authors per brand", () => {
    const { evidence, windower } = setup({ maxRecentAuthors: 2 });
    for (const id of ["a", "b", "c"]) windower.add(mention(`m-${id}`, T0, { author: { id } }), true);
    windower.add(mention("again-a", T0 + W, { author: { id: "a" } }), true);
    windower.add(mention("again-c", T0 + W, { author: { id: "c" } }), true);
    windower.advance(T0 + 2 * W);
    // "a" was forgotten when "c" came: heard again, it counts as new; "c" is still remembered.
    const second = evidence.brand("kryptonite")[1]!.keys.get("all")!;
    expect([second.authors, second.newAuthors]).toEqual([2, 1]);
  });
});

describe("evidence memory over a day", () => {
  it("counts a window's terms once it is older than textsKeptMs and lets its texts go; the terms read later are the same", () => {
    const store = new EvidenceStore({ textsKeptMs: 2 * W });
    for (let i = 0; i < 4; i++) {
      const firstIn = { brand: true, channel: true };
      store.add(i, mention(`m${i}`, T0 + i * W, { text: `pen opens the lock ${i}` }), `a${i}`, firstIn);
      store.close(i, T0 + i * W, T0 + (i + 1) * W);
    }
    const windows = store.brand("kryptonite");
    const settle = (i: number) => {
      const key = windows[i]?.keys.get("all") as unknown as { settle(): boolean };
      return key.settle();
    };
    // Windows 0 and 1 ended two windows or more before the last close: counted already.
    expect([settle(0), settle(1), settle(2), settle(3)]).toEqual([false, false, true, true]);
    expect([...(windows[0]?.keys.get("all")?.terms.keys() ?? [])]).toEqual([
      "pen",
      "opens",
      "pen opens",
      "lock",
    ]);
  });
});
