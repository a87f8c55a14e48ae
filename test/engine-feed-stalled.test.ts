// FeedStalled through Engine.ingest with a manual clock: a feed that stops pages, one that only stops
// complaining or sleeps at night does not, and a firing volume alert is not resolved by the silence.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import type { AlertEvent } from "../src/model/index.js";
import { ManualClock } from "../src/util/clock.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

const HOUR = 60 * MIN;
/** T0 is Monday 10:00 UTC; two days later the feeds' hours of the day are learned. */
const WEDNESDAY_NOON = T0 + 50 * HOUR;

const RULES = `groups:
  - name: buzz
    rules:
      - alert: NegativeBuzz
        metric: negative
        by: [brand]
        detector: { type: threshold, above: 20 }
        keep_firing_for: 10m
      - alert: NegativeBuzzByChannel # each channel, and the brand's all
        metric: negative
        by: [brand, channel]
        detector: { type: threshold, above: 20 }
        keep_firing_for: 10m
`;

async function start(rules = "") {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-feeds-"));
  if (rules) await writeFile(join(dir, "buzz.yaml"), rules);
  const config = parseConfig(
    `data_dir: ${dir}\nlateness: 0s\nrules: { paths: [${rules ? dir : ""}] }\nalerts: { console: false, log: "" }\nstorage: { snapshot: false }\n`,
    "test.yaml",
    {},
  );
  const clock = new ManualClock(T0);
  const engine = new Engine({ config, clock, notifiers: [], guardFuture: true });
  await engine.start();
  const events: AlertEvent[] = [];
  engine.onAlertEvent((event) => events.push(event));
  return { engine, clock, events };
}

type Mentions = (time: number) => Array<Record<string, unknown>>;

/** Every minute from `from` (included) to `to` (excluded): the clock moves, then that minute's mentions. */
function drive(engine: Engine, clock: ManualClock, from: number, to: number, mentions: Mentions): void {
  for (let time = from; time < to; time += MIN) {
    clock.advanceTo(time);
    const values = mentions(time);
    if (values.length === 0) engine.tick();
    else engine.ingest({ values: values.map((value, i) => ({ line: i + 1, value })), errors: [] });
  }
}

const neutral = (channel: string, count: number) => (time: number) =>
  Array.from({ length: count }, () => wire({ at: time, channel, sentiment: "neutral" }));
const both =
  (...feeds: Mentions[]): Mentions =>
  (time) =>
    feeds.flatMap((feed) => feed(time));
const stalledAlerts = (engine: Engine) => engine.listAlerts().filter((a) => a.rule === "tocsin/FeedStalled");

describe("FeedStalled through the engine", () => {
  it("fires for a silent channel and resolves when it speaks again, not for a channel that only has no negative mention", async () => {
    const { engine, clock, events } = await start();
    // twitter: 2 a minute; facebook: 1 a minute, never negative.
    const twitter = neutral("twitter", 2);
    const facebook = neutral("facebook", 1);
    drive(engine, clock, T0, WEDNESDAY_NOON, both(twitter, facebook));
    expect(stalledAlerts(engine)).toEqual([]);

    // twitter stops at noon; facebook goes on.
    drive(engine, clock, WEDNESDAY_NOON, WEDNESDAY_NOON + 19 * MIN, facebook);
    expect(stalledAlerts(engine)).toEqual([]);
    drive(engine, clock, WEDNESDAY_NOON + 19 * MIN, WEDNESDAY_NOON + 40 * MIN, facebook);
    const [stalled, ...others] = stalledAlerts(engine);
    expect(others).toEqual([]);
    expect(stalled).toMatchObject({
      name: "FeedStalled",
      state: "firing",
      severity: "warning",
      labels: { brand: "kryptonite", channel: "twitter" },
      firedAt: WEDNESDAY_NOON + 19 * MIN, // 20 min after the last mention, at 11:59
      last: { value: 0, expected: 40 },
      annotations: {
        summary:
          "no data from twitter for kryptonite for 20 min (usually ~40 mentions in that time; last mention 11:59 UTC)",
        silence: "20 min",
        last_mention: "2026-03-04T11:59:00.000Z",
      },
    });
    expect(engine.listAlerts("firing").map((a) => a.id)).toEqual([stalled!.id]);

    drive(engine, clock, WEDNESDAY_NOON + 40 * MIN, WEDNESDAY_NOON + 45 * MIN, both(twitter, facebook));
    expect(engine.alert(stalled!.id)).toMatchObject({
      state: "resolved",
      resolvedAt: WEDNESDAY_NOON + 40 * MIN,
      annotations: {
        summary: stalled!.annotations.summary,
        resolution:
          "mentions from twitter for kryptonite arrive again (newest 12:40 UTC) after 41 min of silence",
      },
    });
    expect(events.map((e) => `${e.type} ${e.alert.name} ${e.alert.labels.channel}`)).toEqual([
      "pending FeedStalled twitter",
      "firing FeedStalled twitter",
      "resolved FeedStalled twitter",
    ]);
  });

  it("does not fire at night for a feed that is quiet every night, and does for the same silence by day", async () => {
    const { engine, clock } = await start();
    const days = (time: number) => {
      const hour = new Date(time).getUTCHours();
      return hour >= 8 && hour < 20 ? neutral("forum", 1)(time) : [];
    };
    // Monday 10:00 to Friday 10:00: four nights of twelve silent hours.
    drive(engine, clock, T0, T0 + 96 * HOUR, days);
    expect(stalledAlerts(engine)).toEqual([]);
    drive(engine, clock, T0 + 96 * HOUR, T0 + 97 * HOUR, () => []);
    expect(stalledAlerts(engine).map((a) => [a.labels.channel, a.state, a.firedAt])).toEqual([
      ["forum", "firing", T0 + 96 * HOUR + 19 * MIN],
    ]);
  });

  it("keeps a firing negative-volume alert from resolving while its feed is silent, and resolves it once the feed is back and calm", async () => {
    const { engine, clock, events } = await start(RULES);
    const twitter = neutral("twitter", 2);
    const complaints = (time: number) =>
      Array.from({ length: 6 }, () => wire({ at: time, channel: "twitter", sentiment: "negative" }));
    drive(engine, clock, T0, WEDNESDAY_NOON - HOUR, twitter);
    // 11:00: 30 complaints a window, then at 11:30 the feed stops for an hour.
    drive(engine, clock, WEDNESDAY_NOON - HOUR, WEDNESDAY_NOON - 30 * MIN, both(twitter, complaints));
    const buzz = () =>
      engine
        .listAlerts()
        .filter((a) => a.rule.startsWith("buzz/"))
        .map((a) => [a.name, a.labels.channel, a.state, a.resolvedAt])
        .sort((a, b) => String(a).localeCompare(String(b)));
    expect(buzz()).toEqual([
      ["NegativeBuzz", "all", "firing", undefined],
      ["NegativeBuzzByChannel", "all", "firing", undefined],
      ["NegativeBuzzByChannel", "twitter", "firing", undefined],
    ]);

    // Twelve empty windows, six times keep_firing_for: the stall pages, the buzz stays firing.
    drive(engine, clock, WEDNESDAY_NOON - 30 * MIN, WEDNESDAY_NOON + 30 * MIN, () => []);
    expect(buzz()).toEqual([
      ["NegativeBuzz", "all", "firing", undefined],
      ["NegativeBuzzByChannel", "all", "firing", undefined],
      ["NegativeBuzzByChannel", "twitter", "firing", undefined],
    ]);
    expect(stalledAlerts(engine).map((a) => [a.labels.channel, a.state, a.firedAt])).toEqual([
      ["twitter", "firing", WEDNESDAY_NOON - 11 * MIN],
    ]);

    // Back with calm mentions at 12:30: FeedStalled resolves at once; the buzz on its first calm window
    // (12:30-12:35) plus keep_firing_for.
    drive(engine, clock, WEDNESDAY_NOON + 30 * MIN, WEDNESDAY_NOON + HOUR, twitter);
    expect(stalledAlerts(engine).map((a) => [a.state, a.resolvedAt])).toEqual([
      ["resolved", WEDNESDAY_NOON + 30 * MIN],
    ]);
    expect(buzz()).toEqual([
      ["NegativeBuzz", "all", "resolved", WEDNESDAY_NOON + 45 * MIN],
      ["NegativeBuzzByChannel", "all", "resolved", WEDNESDAY_NOON + 45 * MIN],
      ["NegativeBuzzByChannel", "twitter", "resolved", WEDNESDAY_NOON + 45 * MIN],
    ]);
    expect(
      events.filter((e) => e.alert.name === "NegativeBuzz").map((e) => [e.type, e.alert.history.at(-1)?.at]),
    ).toEqual([
      ["pending", WEDNESDAY_NOON - 55 * MIN],
      ["firing", WEDNESDAY_NOON - 55 * MIN],
      ["resolved", WEDNESDAY_NOON + 45 * MIN],
    ]);
  });
});
