// A bad rule edit while the engine runs is refused with file:line:col, and the old rules keep alerting.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import type { AlertEvent } from "../src/model/index.js";
import { ManualClock } from "../src/util/clock.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

const rule = (above: number) => `groups:
  - name: buzz
    rules:
      - alert: NegativeBuzz
        metric: negative
        by: [brand]
        detector: { type: threshold, above: ${above} }
`;

const waitFor = async (check: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

describe("rule hot reload", () => {
  it("refuses a bad edit with file:line:col, keeps alerting with the old rules, and takes the next good edit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-rules-"));
    const file = join(dir, "buzz.yaml");
    await writeFile(file, rule(3));
    const logs: string[] = [];
    const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(line) });
    const config = parseConfig(`data_dir: ${dir}\nlateness: 0s\nrules: { paths: [${dir}] }`, "t.yaml", {});
    const clock = new ManualClock(T0);
    const engine = new Engine({ config, clock, logger, watchRules: true, notifiers: [] });
    const events: AlertEvent[] = [];
    engine.onAlertEvent((event) => events.push(event));
    await engine.start();
    try {
      await writeFile(file, rule(3).replace("above: 3", "above: lots"));
      await waitFor(() => logs.some((line) => line.includes("rules not reloaded")));
      expect(logs.join("\n")).toContain(`${file}:7:45: groups[0].rules[0].detector.above: `);
      const api = await createApp(engine).request("/v1/rules/reload", { method: "POST" });
      expect(api.status).toBe(422);
      expect(((await api.json()) as { errors: string[] }).errors[0]).toMatch(new RegExp(`^${file}:7:45: `));

      // The old rule (above 3) still runs: 4 negative mentions in a window fire it.
      const negatives = Array.from({ length: 4 }, (_, i) => ({
        line: i + 1,
        value: wire({ at: T0 + i * 1000, sentiment: "negative" }),
      }));
      clock.set(T0 + 5 * MIN);
      engine.ingest({ values: negatives, errors: [] });
      engine.tick();
      expect(events.map((e) => `${e.type}:${e.alert.rule}`)).toContain("firing:buzz/NegativeBuzz");

      await writeFile(file, rule(10));
      await waitFor(() => (engine.rules().rules[0]?.config as { above: number }).above === 10);
    } finally {
      await engine.stop();
    }
  });
});
