import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/api/app.js";
import { parseConfig } from "../src/config/load.js";
import { Engine } from "../src/engine.js";
import { ManualClock } from "../src/util/clock.js";
import { MIN, T0, wire } from "./helpers/mentions.js";

const RULES = `groups:
  - name: buzz
    rules:
      - alert: NegativeBuzz
        metric: negative
        by: [brand]
        detector: { type: threshold, above: 3 }
        annotations:
          summary: "{{ brand }}: {{ value }} negative mentions"
`;

interface AlertView {
  id: string;
  state: string;
  rule: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  history?: Array<{ event: string; at: string }>;
}

async function engineWithAlert() {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-alerts-"));
  await writeFile(join(dir, "buzz.yaml"), RULES);
  const config = parseConfig(`data_dir: ${dir}\nlateness: 0s\nrules: { paths: [${dir}] }`, "t.yaml", {});
  const clock = new ManualClock(T0 + 5 * MIN);
  const engine = new Engine({ config, clock, notifiers: [] });
  await engine.start();
  const values = Array.from({ length: 5 }, (_, i) => ({
    line: i + 1,
    value: wire({ at: T0 + i, sentiment: "negative" }),
  }));
  engine.ingest({ values, errors: [] });
  engine.tick();
  return engine;
}

describe("alerts API", () => {
  it("lists the firing alert with its rendered summary and returns it by id with its history", async () => {
    const app = createApp(await engineWithAlert());
    const list = (await (await app.request("/v1/alerts?state=firing")).json()) as { alerts: AlertView[] };
    expect(list.alerts).toHaveLength(1);
    const [alert] = list.alerts;
    expect(alert).toMatchObject({
      state: "firing",
      rule: "buzz/NegativeBuzz",
      labels: { brand: "kryptonite", channel: "all" },
      annotations: { summary: "kryptonite: 5 negative mentions" },
    });
    const one = (await (await app.request(`/v1/alerts/${alert!.id}`)).json()) as AlertView;
    expect(one.history?.map((h) => h.event)).toEqual(["pending", "firing"]);
    expect((await app.request("/v1/alerts/nope")).status).toBe(404);
    expect((await app.request("/v1/alerts?state=odd")).status).toBe(400);
  });

  it("lists the running rules", async () => {
    const app = createApp(await engineWithAlert());
    const body = (await (await app.request("/v1/rules")).json()) as {
      rules: Array<{ id: string; detector: object }>;
    };
    expect(body.rules.map((r) => r.id)).toEqual(["buzz/NegativeBuzz"]);
    expect(body.rules[0]?.detector).toEqual({ type: "threshold", above: 3, min_count: 0 });
  });

  it("needs the admin token for alerts and rules when one is set", async () => {
    const app = createApp(await engineWithAlert(), { admin: "adm", ingest: "ing" });
    expect((await app.request("/v1/alerts")).status).toBe(401);
    expect((await app.request("/v1/rules/reload", { method: "POST" })).status).toBe(401);
    expect((await app.request("/v1/alerts", { headers: { authorization: "Bearer adm" } })).status).toBe(200);
  });
});
