// The demo scenario replayed through an engine as fast as possible, as `tocsin run --replay` does:
// the tests that need the demo crisis's alerts, explanations or stored series share this.
import { Readable } from "node:stream";
import { generateMentions } from "../../examples/demo/scenario.js";
import type { ScenarioOptions } from "../../examples/demo/scenario.js";
import { parseConfig } from "../../src/config/load.js";
import { Engine } from "../../src/engine.js";
import { replay } from "../../src/ingest/replay.js";
import type { AlertEvent } from "../../src/model/index.js";
import { ReplayClock } from "../../src/util/clock.js";

export interface DemoReplay {
  /** tocsin.yaml text; default: no snapshot and the shipped negative-buzz rules. */
  yaml?: string;
  scenario?: ScenarioOptions;
  /** Called once the engine is built, before it starts (to subscribe to its events). */
  setup?: (engine: Engine) => void;
}

export const DEMO_YAML =
  "storage: { snapshot: false }\nrules: { paths: [rules/negative-buzz.yaml], watch: false }";

/** Replays the demo, flushes and stops the engine; returns every alert event, pending included. */
export async function replayDemo(options: DemoReplay = {}): Promise<AlertEvent[]> {
  const config = parseConfig(options.yaml ?? DEMO_YAML, "test.yaml", {});
  const clock = new ReplayClock(0);
  const engine = new Engine({ config, clock, notifiers: [] });
  const events: AlertEvent[] = [];
  engine.onAlertEvent((event) => events.push(event));
  options.setup?.(engine);
  await engine.start();
  const lines = Readable.from(
    (function* () {
      for (const mention of generateMentions(options.scenario)) yield `${JSON.stringify(mention)}\n`;
    })(),
  );
  await replay(lines, (batch) => engine.ingest(batch), { clock });
  engine.flush();
  await engine.stop();
  return events;
}
