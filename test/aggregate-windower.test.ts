import { describe, expect, it } from "vitest";
import { ResponseTracker } from "../src/aggregate/response-tracker.js";
import { Windower } from "../src/aggregate/windower.js";
import type { ClosedWindow, Metric } from "../src/model/index.js";
import { metricIndex } from "../src/model/index.js";
import { MIN, mention, T0 } from "./helpers/mentions.js";

const W = 5 * MIN;
const make = (latenessMs = 2 * MIN, maxCatchUpWindows = 100) =>
  new Windower({ windowMs: W, latenessMs, maxCatchUpWindows });

const value = (window: ClosedWindow, brand: string, channel: string, metric: Metric): number | undefined => {
  const row = window.rows.find((r) => r.key.brand === brand && r.key.channel === channel);
  return row?.values[metricIndex(metric)];
};

describe("windower", () => {
  it("counts mentions, negatives, share, reach and distinct negative authors per brand × channel and brand × all", () => {
    const windower = make();
    const author = (id: string, followers: number) => ({ id, followers });
    windower.add(mention({ at: T0 + 10_000, author: author("a", 100) }), true);
    windower.add(mention({ at: T0 + 20_000, author: author("a", 100) }), true); // same author: reach once
    windower.add(mention({ at: T0 + 30_000, author: author("b", 50) }), true);
    windower.add(mention({ at: T0 + 40_000, author: author("c", 1000) }), false);
    windower.add(mention({ at: T0 + 50_000, channel: "forum", author: author("d", 7) }), true);
    windower.add(mention({ at: T0 + 60_000, brand: "velora" }), false);
    const [window, ...rest] = windower.advance(T0 + W + 2 * MIN);
    expect(rest).toEqual([]);
    expect(window?.start).toBe(T0);
    expect(window?.end).toBe(T0 + W);
    // twitter: 4 mentions, 3 negative (a, a, b), share 0.75, reach 100 + 50, 2 authors.
    expect(value(window!, "kryptonite", "twitter", "mentions")).toBe(4);
    expect(value(window!, "kryptonite", "twitter", "negative")).toBe(3);
    expect(value(window!, "kryptonite", "twitter", "negative_share")).toBe(0.75);
    expect(value(window!, "kryptonite", "twitter", "negative_reach")).toBe(150);
    expect(value(window!, "kryptonite", "twitter", "negative_authors")).toBe(2);
    // all: 5 mentions, 4 negative, reach 157, authors a, b, d.
    expect(value(window!, "kryptonite", "all", "mentions")).toBe(5);
    expect(value(window!, "kryptonite", "all", "negative")).toBe(4);
    expect(value(window!, "kryptonite", "all", "negative_share")).toBe(0.8);
    expect(value(window!, "kryptonite", "all", "negative_reach")).toBe(157);
    expect(value(window!, "kryptonite", "all", "negative_authors")).toBe(3);
    expect(value(window!, "velora", "all", "mentions")).toBe(1);
    expect(value(window!, "velora", "all", "negative_share")).toBe(0);
  });

  it("does not close a window before its end plus the allowed lateness", () => {
    const windower = make(2 * MIN);
    windower.add(mention({ at: T0 + MIN }), true);
    expect(windower.advance(T0 + W + 2 * MIN - 1)).toEqual([]);
    expect(windower.advance(T0 + W + 2 * MIN)).toHaveLength(1);
  });

  it("puts an out-of-order mention within the lateness into its own window", () => {
    const windower = make(2 * MIN);
    windower.add(mention({ at: T0 + W + 30_000 }), false); // second window first
    expect(windower.add(mention({ at: T0 + 4 * MIN }), true)).toBe("counted"); // back into the first
    const closed = windower.advance(T0 + 2 * W + 2 * MIN);
    expect(closed.map((w) => w.start)).toEqual([T0, T0 + W]);
    expect(value(closed[0]!, "kryptonite", "all", "negative")).toBe(1);
    expect(value(closed[0]!, "kryptonite", "all", "mentions")).toBe(1);
    expect(value(closed[1]!, "kryptonite", "all", "mentions")).toBe(1);
    expect(value(closed[1]!, "kryptonite", "all", "negative")).toBe(0);
  });

  it("reports a mention for an already closed window as late and leaves the closed window alone", () => {
    const windower = make(MIN);
    windower.add(mention({ at: T0 + MIN }), true);
    windower.advance(T0 + W + MIN);
    expect(windower.add(mention({ at: T0 + 2 * MIN }), true)).toBe("late");
    expect(windower.lastClosedStart()).toBe(T0);
  });

  it("advances the watermark from event time alone, without a clock", () => {
    const windower = make(MIN);
    windower.add(mention({ at: T0 + MIN }), true);
    windower.add(mention({ at: T0 + W + MIN }), true); // watermark = T0 + W: first window closes
    expect(windower.advance(0).map((w) => w.start)).toEqual([T0]);
  });

  it("emits zeros for every known key in windows without mentions", () => {
    const windower = make(0);
    windower.add(mention({ at: T0, channel: "forum" }), true);
    windower.add(mention({ at: T0 + 3 * W }), true);
    const closed = windower.advance(T0 + 4 * W);
    expect(closed.map((w) => w.start)).toEqual([T0, T0 + W, T0 + 2 * W, T0 + 3 * W]);
    for (const gap of [closed[1]!, closed[2]!]) {
      expect(gap.rows.map((r) => `${r.key.channel}`).sort()).toEqual(["all", "forum", "twitter"]);
      expect(gap.rows.every((r) => r.values.every((v) => v === 0))).toBe(true);
    }
    expect(value(closed[3]!, "kryptonite", "forum", "mentions")).toBe(0);
    expect(value(closed[3]!, "kryptonite", "twitter", "mentions")).toBe(1);
  });

  it("bounds the empty windows emitted after a long silence", () => {
    const windower = make(0, 3);
    windower.add(mention({ at: T0 }), true);
    windower.add(mention({ at: T0 + 100 * W }), true);
    const starts = windower.advance(T0 + 101 * W).map((w) => (w.start - T0) / W);
    expect(starts).toEqual([0, 97, 98, 99, 100]);
  });

  it("counts brand replies apart from mentions and takes answered complaints out of unanswered_negative", () => {
    const windower = make(MIN);
    windower.add(mention({ id: "c1", at: T0 + MIN }), true);
    windower.add(mention({ id: "c2", at: T0 + 2 * MIN }), true);
    windower.add(mention({ id: "c3", at: T0 + 2 * MIN, channel: "forum" }), true);
    windower.add(mention({ id: "r1", at: T0 + 3 * MIN, is_brand_reply: true, in_reply_to: "c1" }), false);
    windower.add(mention({ id: "r2", at: T0 + 3 * MIN, is_brand_reply: true, in_reply_to: "c1" }), false); // twice: once
    windower.add(
      mention({ id: "r3", at: T0 + 4 * MIN, channel: "forum", is_brand_reply: true, in_reply_to: "c3" }),
      false,
    );
    const [window] = windower.advance(T0 + W + MIN);
    expect(value(window!, "kryptonite", "twitter", "mentions")).toBe(2);
    expect(value(window!, "kryptonite", "twitter", "brand_replies")).toBe(2);
    expect(value(window!, "kryptonite", "twitter", "unanswered_negative")).toBe(1); // c2
    expect(value(window!, "kryptonite", "forum", "unanswered_negative")).toBe(0);
    expect(value(window!, "kryptonite", "all", "brand_replies")).toBe(3);
    expect(value(window!, "kryptonite", "all", "unanswered_negative")).toBe(1);
  });

  it("counts a complaint answered only after its window closed as unanswered in that window", () => {
    const windower = make(0);
    windower.add(mention({ id: "c1", at: T0 }), true);
    const [first] = windower.advance(T0 + W);
    windower.add(mention({ id: "r1", at: T0 + W + MIN, is_brand_reply: true, in_reply_to: "c1" }), false);
    const [second] = windower.advance(T0 + 2 * W);
    expect(value(first!, "kryptonite", "all", "unanswered_negative")).toBe(1);
    expect(value(second!, "kryptonite", "all", "brand_replies")).toBe(1);
    expect(value(second!, "kryptonite", "all", "unanswered_negative")).toBe(0);
  });

  it("takes a complaint of a window still open for lateness out of that window when the reply lands in the next", () => {
    const windower = make(2 * MIN);
    windower.add(mention({ id: "c1", at: T0 + MIN }), true);
    windower.add(mention({ id: "c2", at: T0 + 2 * MIN, channel: "forum" }), true);
    windower.add(
      mention({ id: "late-reply", at: T0 + W + MIN, is_brand_reply: true, in_reply_to: "c1" }),
      false,
    );
    const [first, second] = windower.advance(T0 + 2 * W + 2 * MIN);
    expect(value(first!, "kryptonite", "twitter", "unanswered_negative")).toBe(0);
    expect(value(first!, "kryptonite", "forum", "unanswered_negative")).toBe(1);
    expect(value(first!, "kryptonite", "all", "unanswered_negative")).toBe(1);
    expect(value(second!, "kryptonite", "all", "brand_replies")).toBe(1);
    expect(value(second!, "kryptonite", "all", "unanswered_negative")).toBe(0);
  });

  it("fills the responsiveness columns of every row from the response tracker at the window end", () => {
    const responses = new ResponseTracker({ overdueAfterMs: 4 * MIN, periodMs: 60 * MIN });
    const windower = new Windower({ windowMs: W, latenessMs: 0, maxCatchUpWindows: 100, responses });
    windower.add(mention({ id: "c1", at: T0 + MIN }), true);
    windower.add(mention({ id: "c2", at: T0 + 2 * MIN }), true);
    windower.add(mention({ id: "calm", at: T0 + 2 * MIN, brand: "velora" }), false);
    windower.add(mention({ id: "r1", at: T0 + 6 * MIN, is_brand_reply: true, in_reply_to: "c1" }), false);
    const closed = windower.advance(T0 + 3 * W);
    expect(closed.map((w) => w.start)).toEqual([T0, T0 + W, T0 + 2 * W]);
    const columns = (window: ClosedWindow, brand: string, channel: string) =>
      (["response_rate", "first_response_seconds", "unanswered_overdue"] as const).map((metric) =>
        value(window, brand, channel, metric),
      );
    // End T0 + 5 min: c1 (made by T0 + 1 min) is due and its reply, at 6 min, is not given yet.
    expect(columns(closed[0]!, "kryptonite", "twitter")).toEqual([0, 0, 1]);
    // End T0 + 10 min: c1 and c2 due, c1 answered after 5 min.
    expect(columns(closed[1]!, "kryptonite", "twitter")).toEqual([0.5, 300, 1]);
    expect(columns(closed[1]!, "kryptonite", "all")).toEqual([0.5, 300, 1]);
    // A window without mentions still looks back over the period.
    expect(columns(closed[2]!, "kryptonite", "all")).toEqual([0.5, 300, 1]);
    // Nothing due for a brand without complaints: nothing left unanswered.
    expect(columns(closed[2]!, "velora", "all")).toEqual([1, 0, 0]);
  });

  it("lets rules ask the response tracker about every window of a batch before it forgets", () => {
    const responses = new ResponseTracker({ overdueAfterMs: MIN, periodMs: 2 * W });
    const windower = new Windower({ windowMs: W, latenessMs: 0, maxCatchUpWindows: 100, responses });
    windower.add(mention({ id: "c1", at: T0 + MIN }), true);
    windower.add(mention({ at: T0 + 4 * W }), false);
    expect(windower.advance(T0 + 5 * W)).toHaveLength(5);
    // Pruned only up to the batch's first window: its end still sees c1 overdue.
    expect(responses.overdue({ brand: "kryptonite", channel: "twitter" }, T0 + W).count).toBe(1);
    windower.add(mention({ at: T0 + 5 * W }), false);
    windower.advance(T0 + 6 * W);
    expect(responses.tracked).toBe(0);
  });

  it("resumes after a restore: windows up to the restored one are closed, restored keys get zero rows", () => {
    const windower = make(0);
    windower.resumeAfter(T0, [{ brand: "velora", channel: "all" }]);
    expect(windower.add(mention({ at: T0 + MIN }), true)).toBe("late");
    windower.add(mention({ at: T0 + W + MIN }), true);
    const closed = windower.advance(T0 + 2 * W);
    expect(closed.map((w) => w.start)).toEqual([T0 + W]);
    expect(value(closed[0]!, "velora", "all", "mentions")).toBe(0);
  });

  it("flush closes every open window", () => {
    const windower = make(10 * MIN);
    windower.add(mention({ at: T0 }), true);
    windower.add(mention({ at: T0 + 2 * W }), true);
    expect(windower.flush().map((w) => w.start)).toEqual([T0, T0 + W, T0 + 2 * W]);
  });
});
