// The growth a page tells: fitted on the alert's own recent windows (Poisson log-linear), told as a
// doubling time only when an exponential fits well and the growth is significant.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import type { Alert, ClosedWindow } from "../src/model/index.js";
import { METRICS, metricIndex } from "../src/model/index.js";
import { ManualClock } from "../src/util/clock.js";
import { MIN, T0 } from "./helpers/mentions.js";

const WINDOW = 5 * MIN;
const KEY = { brand: "kryptonite", channel: "all" };
// A fixed threshold keeps the detector out of the way: it fires on the first window at or above 20.
const RULES = `groups:
  - name: growth
    rules:
      - alert: NegativeVolume
        metric: negative
        by: [brand]
        detector: { type: threshold, above: 20 }
`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function closed(index: number, negative: number): ClosedWindow {
  const values = new Float64Array(METRICS.length);
  values[metricIndex("mentions")] = negative * 2;
  values[metricIndex("negative")] = negative;
  const start = T0 + index * WINDOW;
  return { start, end: start + WINDOW, rows: [{ key: KEY, values }] };
}

/** Runs one negative count per window through an engine; returns the alert as it stands at the end. */
async function run(negatives: readonly number[]): Promise<Alert | undefined> {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-growth-"));
  dirs.push(dir);
  await writeFile(join(dir, "growth.yaml"), RULES);
  const yaml = `data_dir: ${dir}\nrules: { paths: [${dir}] }\nalerts: { console: false, log: "" }\nstorage: { snapshot: false }\n`;
  const engine = new Engine({
    config: parseConfig(yaml, "t.yaml", {}),
    clock: new ManualClock(T0),
    notifiers: [],
  });
  await engine.start();
  engine.emit(negatives.map((negative, index) => closed(index, negative)));
  const alert = engine.listAlerts("firing")[0];
  await engine.stop();
  return alert;
}

describe("growth in the explanation", () => {
  it("tells the doubling time of a series that doubles every 15 minutes", async () => {
    // ×2 every 3 windows of 5 min, from 2 to 32 over 12 windows.
    const counts = Array.from({ length: 13 }, (_, i) => Math.round(2 * 2 ** (i / 3)));
    const alert = await run(counts);
    const growth = alert?.explanation?.growth;
    expect(growth).toBeDefined();
    expect((growth?.doublingMs ?? 0) / MIN).toBeGreaterThan(12);
    expect((growth?.doublingMs ?? 0) / MIN).toBeLessThan(19);
    expect(growth?.ratePerHour).toBeCloseTo(4 * Math.LN2, 0);
    expect(alert?.explanation?.plain).toMatch(/; doubling about every 1\d min at this pace$/);
  });

  it("tells no growth for a level that jumped and stays flat", async () => {
    const alert = await run([3, 2, 4, 3, 3, 2, 25, 24, 26, 25, 24, 25, 26]);
    expect(alert?.state).toBe("firing");
    expect(alert?.explanation?.growth).toBeUndefined();
    expect(alert?.explanation?.plain).not.toMatch(/doubling/);
  });
});
