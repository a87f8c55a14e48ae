import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import type { Alert, ClosedWindow } from "../src/model/index.js";
import { METRICS, metricIndex } from "../src/model/index.js";
import { CampaignCalendar } from "../src/rules/calendar.js";
import { RuleEvaluator } from "../src/rules/evaluator.js";
import { parseRuleTexts } from "../src/rules/load.js";
import { ManualClock } from "../src/util/clock.js";
import { MIN, T0 } from "./helpers/mentions.js";

// robust_z over the last hour of 5-minute windows: judging starts after 6 learned windows.
const RULES = `groups:
  - name: launch
    rules:
      - alert: NegativeSpike
        metric: negative
        by: [brand]
        detector: { type: robust_z, window: 1h, z: 5 }
`;

const WINDOW = 5 * MIN;
const KEY = { brand: "kryptonite", channel: "all" };
/** A quiet, slightly noisy baseline of negative mentions per window (median 10, MAD 1). */
const QUIET = [9, 10, 11, 10, 9, 11, 10, 10, 9, 11, 10, 10];
const iso = (time: number) => new Date(time).toISOString().replace("Z", "+00:00");

/** A calendar entry covering windows [from, to) of the run, as tocsin.yaml text. */
function entry(from: number, to: number, multiplier = 3, extra = ""): string {
  const start = iso(T0 + from * WINDOW);
  const end = iso(T0 + to * WINDOW);
  return `  - { brand: kryptonite, start: "${start}", end: "${end}", multiplier: ${multiplier}, note: spring launch${extra} }\n`;
}

/** Runs `negatives` (one per window from T0) through an engine; returns the alerts that fired, by window. */
async function run(negatives: readonly number[], calendar = "") {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-calendar-"));
  await writeFile(join(dir, "launch.yaml"), RULES);
  const yaml = `data_dir: ${dir}\nrules: { paths: [${dir}] }\nalerts: { console: false, log: "" }\n${
    calendar ? `calendar:\n${calendar}` : ""
  }`;
  const engine = new Engine({
    config: parseConfig(yaml, "t.yaml", {}),
    clock: new ManualClock(T0),
    notifiers: [],
  });
  await engine.start();
  const fired: Array<{ window: number; alert: Alert }> = [];
  engine.onAlertEvent((event) => {
    if (event.type === "firing")
      fired.push({ window: (event.alert.last.time - T0) / WINDOW, alert: event.alert });
  });
  engine.emit(negatives.map((negative, index) => closed(index, negative)));
  await engine.stop();
  return fired;
}

function closed(index: number, negative: number): ClosedWindow {
  const values = new Float64Array(METRICS.length);
  values[metricIndex("negative")] = negative;
  values[metricIndex("mentions")] = negative * 4;
  const start = T0 + index * WINDOW;
  return { start, end: start + WINDOW, rows: [{ key: KEY, values }] };
}

describe("campaign calendar schema", () => {
  it("refuses bad entries with a message naming the field and its line", () => {
    const bad = `calendar:
  - brand: ""
    start: 2026-03-10T09:00:00+01:00
    end: 2026-03-10T08:00:00+01:00
    multiplier: 1
    note: launch
  - brand: kryptonite
    start: 2026-03-10 09:00
    end: 2026-03-11T00:00:00Z
    multiplier: 5000
    note: launch
    metrics: [likes]
    colour: red
`;
    let message = "";
    try {
      parseConfig(bad, "tocsin.yaml", {});
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("tocsin.yaml:2:12: calendar[0].brand: brand must not be empty");
    expect(message).toContain("tocsin.yaml:4:10: calendar[0].end: end must be after start");
    expect(message).toMatch(
      /tocsin\.yaml:5:17: calendar\[0\]\.multiplier: multiplier must be greater than 1/,
    );
    expect(message).toMatch(
      /tocsin\.yaml:8:12: calendar\[1\]\.start: must be an ISO 8601 date-time with an offset/,
    );
    expect(message).toContain("calendar[1].multiplier: multiplier must be at most 1000");
    expect(message).toMatch(/tocsin\.yaml:12:15: calendar\[1\]\.metrics\[0\]/);
    expect(message).toContain('unknown key "colour" in calendar[1]');
  });

  it("defaults the metrics to the volume metrics and keeps instants as epoch ms", () => {
    const config = parseConfig(`calendar:\n${entry(0, 12)}`, "t.yaml", {});
    expect(config.calendar).toEqual([
      {
        brand: "kryptonite",
        start: T0,
        end: T0 + 12 * WINDOW,
        multiplier: 3,
        note: "spring launch",
        metrics: ["mentions", "negative", "negative_reach", "negative_authors"],
      },
    ]);
  });

  it("appends calendar_file entries and reports their errors as file:line:col", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-calendar-file-"));
    const good = join(dir, "calendar.json");
    await writeFile(
      good,
      JSON.stringify([{ brand: "acme", start: iso(T0), end: iso(T0 + MIN), multiplier: 2, note: "sale" }]),
    );
    const configPath = join(dir, "tocsin.yaml");
    await writeFile(configPath, `calendar:\n${entry(0, 1)}calendar_file: ${good}\n`);
    const config = await loadConfig(configPath, {});
    expect(config.calendar.map((one) => one.brand)).toEqual(["kryptonite", "acme"]);

    const bad = join(dir, "calendar.yaml");
    await writeFile(
      bad,
      `- brand: acme\n  start: ${iso(T0)}\n  end: ${iso(T0)}\n  multiplier: 2\n  note: sale\n`,
    );
    await writeFile(configPath, `calendar_file: ${bad}\n`);
    await expect(loadConfig(configPath, {})).rejects.toThrow(`${bad}:3:8: [0].end: end must be after start`);
  });
});

describe("campaign calendar on volume rules", () => {
  // Windows 0-11 quiet, then 6 windows of launch traffic (windows 12-17), then quiet again.
  const tripled = [...QUIET, 30, 31, 29, 30, 32, 30, ...QUIET];

  it("fires on negative mentions tripling outside any campaign", async () => {
    const fired = await run(tripled);
    expect(fired.map((one) => one.window)).toEqual([12]);
    expect(fired[0]?.alert.annotations.campaign).toBeUndefined();
  });

  it("does not fire on the same tripling during a ×3 campaign of the brand", async () => {
    expect(await run(tripled, entry(12, 18))).toEqual([]);
  });

  it("still fires when the campaign is for another brand or metric", async () => {
    const otherBrand = entry(12, 18).replace("brand: kryptonite", "brand: acme");
    expect((await run(tripled, otherBrand)).map((one) => one.window)).toEqual([12]);
    const otherMetric = entry(12, 18, 3, ", metrics: [mentions]");
    expect((await run(tripled, otherMetric)).map((one) => one.window)).toEqual([12]);
  });

  it("fires on a 10× negative spike during the campaign and says the expectation was raised", async () => {
    const fired = await run([...QUIET, 30, 31, 100, 30], entry(12, 16));
    expect(fired.map((one) => one.window)).toEqual([14]);
    const alert = fired[0]!.alert;
    expect(alert.annotations.campaign).toBe("expected raised ×3 for spring launch");
    // Observed is the measured value; expected is the detector's median (10) raised ×3.
    expect(alert.last.value).toBe(100);
    expect(alert.last.expected).toBe(30);
  });

  it("does not learn the campaign's raised level: a normal spike right after it still fires", async () => {
    // Two hours of tripled launch traffic (longer than the rule's 1h history), then a tripling.
    const launch = Array.from({ length: 24 }, (_, index) => 30 + (index % 3) - 1);
    const negatives = [...QUIET, ...launch, 30];
    // Had the launch been learned unscaled, the median would be 30 and window 36 would not fire.
    expect((await run(negatives, entry(12, 36))).map((one) => one.window)).toEqual([36]);
  });

  it("warms a new detector from stored history scaled by the campaigns it covered", () => {
    const { rules } = parseRuleTexts([{ file: "launch.yaml", text: RULES }], WINDOW);
    const campaign = { brand: "kryptonite", start: T0, end: T0 + 12 * WINDOW, multiplier: 3 };
    const evaluator = new RuleEvaluator({
      windowMs: WINDOW,
      warmupMs: 12 * WINDOW,
      // The whole stored hour was launch traffic: 3 × the quiet baseline.
      history: (_metric, _labels, from, to, visit) =>
        QUIET.forEach((value, index) => {
          const time = T0 + index * WINDOW;
          if (time >= from && time < to) visit(time, value * 3);
        }),
      calendar: new CampaignCalendar([{ ...campaign, note: "spring launch", metrics: ["negative"] }]),
    });
    evaluator.setRules(rules);
    const [judged] = evaluator.evaluate(closed(12, 30));
    expect(judged?.campaign).toBeUndefined();
    expect(judged?.estimate.expected).toBe(10);
    expect(judged?.breach).toBe(true);
  });
});
