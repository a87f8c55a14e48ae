// An engine on test defaults: no timers, no snapshot unless asked, a manual clock.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/load.js";
import { Engine } from "../../src/engine.js";
import { ManualClock } from "../../src/util/clock.js";

export async function testEngine(yaml = "", options: { dataDir?: string; start?: boolean } = {}) {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "tocsin-test-")));
  // No rules and no console unless a test asks: tests must not depend on the shipped rules.
  const config = parseConfig(
    `data_dir: ${dataDir}\nrules: { paths: [] }\nalerts: { console: false, log: "" }\n${yaml}`,
    "test.yaml",
    {},
  );
  const clock = new ManualClock(Date.parse("2026-03-02T10:00:00Z"));
  const engine = new Engine({ config, clock, guardFuture: true });
  if (options.start !== false) await engine.start();
  return { engine, clock, dataDir };
}
