// Alerts across a restart, through Engine with a manual clock: the open episode, its paging state and
// its detector's baseline come back as they were, so the restarted engine makes the decisions an
// uninterrupted one makes — no second firing, the same resolve, the same expectations.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import { ManualClock } from "../src/util/clock.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

const W = 5 * MIN;
const RULES = `groups:
  - name: buzz
    rules:
      - alert: NegativeSurge
        metric: negative
        by: [brand]
        detector: { type: ewma, alpha: 0.2, k: 3 }
        for: 0s
        keep_firing_for: 10m
        severity: warning
`;
/** Negative mentions per window: a steady brand, a crisis in windows 30–35, then calm again. */
const COUNTS = Array.from({ length: 50 }, (_, i) => (i >= 30 && i < 36 ? 40 + 5 * (i - 30) : 3 + (i % 3)));

async function engineIn(dir: string, options: { wal?: boolean } = {}) {
  const config = parseConfig(
    `data_dir: ${dir}\nlateness: 0s\nrules: { paths: [${join(dir, "rules.yaml")}] }\nalerts: { console: false, log: "" }\nstorage: { snapshot: true }\n`,
    "test.yaml",
    {},
  );
  const clock = new ManualClock(T0);
  const engine = new Engine({ config, clock, notifiers: [], ...options });
  await engine.start();
  const events: string[] = [];
  engine.onAlertEvent(({ type, alert }) =>
    events.push(
      `${type} ${alert.id} @${(alert.last.time - T0) / W} expected ${alert.last.expected.toFixed(3)}`,
    ),
  );
  /** Counts windows [from, to) and closes each. */
  const windows = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const values = Array.from({ length: COUNTS[i] ?? 0 }, (_, n) =>
        wire({ id: `w${i}-${n}`, at: T0 + i * W + n, sentiment: "negative" }),
      );
      clock.advanceTo(T0 + i * W + W - 1);
      engine.ingest({ values: values.map((value, line) => ({ line: line + 1, value })), errors: [] });
      clock.advanceTo(T0 + (i + 1) * W);
      engine.tick();
    }
  };
  return { engine, events, windows };
}

async function dirWithRules(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-alert-restore-"));
  await writeFile(join(dir, "rules.yaml"), RULES);
  return dir;
}

describe("alerts across a restart", () => {
  it("carries a firing episode and its detector's baseline through a restart mid-crisis: the same events as without one", async () => {
    const whole = await engineIn(await dirWithRules());
    whole.windows(0, COUNTS.length);
    await whole.engine.stop();
    expect(whole.events.filter((event) => event.startsWith("firing"))).toHaveLength(1);
    expect(whole.events.filter((event) => event.startsWith("resolved"))).toHaveLength(1);

    const dir = await dirWithRules();
    const before = await engineIn(dir);
    before.windows(0, 33); // three windows into the crisis
    await before.engine.stop();
    expect(before.events.at(-1)).toMatch(/^firing /);
    const after = await engineIn(dir);
    expect(after.engine.listAlerts("firing")).toHaveLength(1);
    after.windows(33, COUNTS.length);
    await after.engine.stop();
    // Warmed again from the stored series, the detector leaves out the crisis windows it never learned.
    expect([...before.events, ...after.events]).toEqual(whole.events);
  });

  it("starts afresh when the saved alert state does not match the restored series", async () => {
    const dir = await dirWithRules();
    const before = await engineIn(dir);
    before.windows(0, 33);
    await before.engine.stop();
    // Both saved states are older than the series: a crash between writes could not cause this.
    await writeFile(
      join(dir, "alerting.state"),
      JSON.stringify({ version: 1, through: 0, savedAt: 0, state: {} }),
    );
    await writeFile(join(dir, "alerting.state.prev"), "{ torn");
    const after = await engineIn(dir);
    expect(after.engine.listAlerts("firing")).toHaveLength(0);
    await after.engine.stop();
  });

  it("keeps an acknowledgement made after the last snapshot through a crash", async () => {
    const dir = await dirWithRules();
    const before = await engineIn(dir, { wal: true });
    before.windows(0, 32);
    await before.engine.snapshot();
    const [firing] = before.engine.listAlerts("firing");
    const result = await before.engine.acknowledgeDurably(firing?.id ?? "", "ana", "on it");
    expect(result.ok).toBe(true);
    // Killed here: no stop, so the saved alert state is the snapshot's, without the ack.
    const after = await engineIn(dir, { wal: true });
    expect(after.engine.alert(firing?.id ?? "")?.acknowledged).toMatchObject({ by: "ana", comment: "on it" });
    await after.engine.stop();
  });
});
