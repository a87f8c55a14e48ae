// The signal rule types through Engine.ingest with a manual clock: complaints left unanswered past a
// limit page (and stop paging once answered), and one story crossing three channels pages with the
// story and the channels in the order they took it up.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import type { AlertEvent } from "../src/model/index.js";
import { ManualClock } from "../src/util/clock.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

async function start(rules: string) {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-signals-"));
  await writeFile(join(dir, "rules.yaml"), rules);
  const config = parseConfig(
    `data_dir: ${dir}\nlateness: 0s\nrules: { paths: [${dir}] }\nalerts: { console: false, log: "" }\nstorage: { snapshot: false }\n`,
    "test.yaml",
    {},
  );
  const clock = new ManualClock(T0);
  const engine = new Engine({ config, clock, notifiers: [] });
  await engine.start();
  const events: AlertEvent[] = [];
  engine.onAlertEvent((event) => {
    if (event.type !== "pending") events.push(event);
  });
  const send = (at: number, values: Array<Record<string, unknown>>) => {
    clock.advanceTo(at);
    engine.ingest({ values: values.map((value, i) => ({ line: i + 1, value })), errors: [] });
  };
  const until = (at: number) => {
    clock.advanceTo(at);
    engine.tick();
  };
  return { engine, events, send, until };
}

describe("unanswered complaints rule", () => {
  const RULES = `groups:
  - name: care
    rules:
      - alert: ComplaintsUnanswered
        by: [brand]
        unanswered: { older_than: 30m, at_least: 5 }
`;

  it("fires when complaints wait past the limit, names the oldest, and resolves once they are answered", async () => {
    const { events, send, until } = await start(RULES);
    const complaints = Array.from({ length: 8 }, (_, i) =>
      wire({
        id: `c${i}`,
        at: T0 + i * 30_000,
        channel: i % 2 ? "facebook" : "twitter",
        sentiment: "negative",
        text: `my lock was opened with a pen (${i})`,
        url: `https://twitter.example/status/${i}`,
      }),
    );
    send(T0 + 4 * MIN, complaints);
    const reply = (id: string, at: number) =>
      wire({ id: `r-${id}`, at, is_brand_reply: true, in_reply_to: id, text: "sorry, DM us" });
    send(T0 + 10 * MIN, [reply("c0", T0 + 10 * MIN), reply("c1", T0 + 10 * MIN)]);
    // Due at 10:30 (the complaints of 10:00-10:03:30): six unanswered, over the line of five.
    until(T0 + 29 * MIN);
    expect(events).toEqual([]);
    until(T0 + 36 * MIN);
    expect(events.map((e) => e.type)).toEqual(["firing"]);
    const { alert } = events[0]!;
    expect(alert.last.value).toBe(6);
    expect(alert.explanation?.posts.map((post) => post.id)).toEqual(["c2", "c3", "c4", "c5", "c6"]);
    expect(alert.explanation?.plain).toMatch(
      /^6 negative mentions of the last 6 h unanswered for over 30 min, the oldest waiting for 34 min; 25% of the last 24 h's complaints answered, median first reply after (9|10) min/,
    );
    // The brand answers four more: two left, under the line.
    send(
      T0 + 37 * MIN,
      ["c2", "c3", "c4", "c5"].map((id) => reply(id, T0 + 37 * MIN)),
    );
    until(T0 + 46 * MIN);
    expect(events.map((e) => e.type)).toEqual(["firing", "resolved"]);
  });
});

describe("cross-channel spread rule", () => {
  const RULES = `groups:
  - name: story
    rules:
      - alert: StorySpreading
        spread: { channels: 3, within: 1h, min_mentions: 2 }
`;
  const LINK = "https://bikeforums.example/t/kryptonite-bic-pen";
  const negative = (at: number, channel: string, text: string) =>
    wire({ at, channel, sentiment: "negative", text });

  it("pages when one story reaches a third channel, with its markers and the channels in the order they took it up", async () => {
    const { events, send, until } = await start(RULES);
    // Three hours of everyday complaints in every channel: the baseline the story is new against.
    for (let minute = 0; minute < 180; minute += 5)
      send(T0 + minute * MIN, [
        negative(T0 + minute * MIN, "forum", "kryptonite lock rusted after the winter"),
        negative(T0 + minute * MIN + 1_000, "blog", "kryptonite lock too heavy for my commute"),
        negative(T0 + minute * MIN + 2_000, "news", "kryptonite lock prices up again"),
      ]);
    const story = `you can open a kryptonite lock with a bic pen, see ${LINK}`;
    const at = T0 + 180 * MIN;
    send(at, [negative(at, "forum", story), negative(at + 60_000, "forum", story)]);
    send(at + 10 * MIN, [negative(at + 10 * MIN, "blog", story), negative(at + 11 * MIN, "blog", story)]);
    until(at + 20 * MIN);
    expect(events).toEqual([]);
    send(at + 20 * MIN, [negative(at + 20 * MIN, "news", story), negative(at + 21 * MIN, "news", story)]);
    until(at + 26 * MIN);
    expect(events.map((e) => e.type)).toEqual(["firing"]);
    const { alert } = events[0]!;
    expect(alert.labels).toEqual({ brand: "kryptonite", channel: "all" });
    expect(alert.last.value).toBe(3);
    const told = alert.explanation?.story;
    expect(told?.channels.map((c) => c.channel)).toEqual(["forum", "blog", "news"]);
    expect(told?.markers).toEqual(
      expect.arrayContaining(["bikeforums.example/t/kryptonite-bic-pen", "bic pen"]),
    );
    expect(told?.markers).not.toContain("kryptonite");
    expect(alert.explanation?.plain).toMatch(
      /^the same story \(.*“bic pen”.*\) in 3 channels within 1 h: forum 13:00, blog 13:10, news 13:20 UTC$/,
    );
    // Once the story leaves the hour, the alert resolves, and its last page tells the story it fired on.
    until(at + 100 * MIN);
    expect(events.map((e) => e.type)).toEqual(["firing", "resolved"]);
    expect(events[1]!.alert.explanation?.story?.channels.map((c) => c.channel)).toEqual([
      "forum",
      "blog",
      "news",
    ]);
  });
});
