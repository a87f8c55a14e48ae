// GET /metrics scraped by a real Prometheus (Debian's `prometheus`) from a real `tocsin run` replaying
// a demo day: PromQL through Prometheus' HTTP API returns the ingest count tocsin reported, and
// `promtool check metrics` finds nothing to say about Tocsin's metrics.
import { spawnSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeScenario } from "../examples/demo/generate.js";
import type { RealServer } from "./helpers/servers.js";
import { hasBinary, startPrometheus } from "./helpers/servers.js";
import type { RunningTocsin } from "./helpers/tocsin-process.js";
import { exited, startTocsin, waitUntil } from "./helpers/tocsin-process.js";

/**
 * prom-client's default metrics that promtool flags ("non-counter metrics should not have _total
 * suffix"): gauges of Node's active handles, requests and resources. Not ours to rename, and kept
 * because the common Node.js Grafana dashboards read them.
 */
const PROM_CLIENT_GAUGES_NAMED_TOTAL = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

const enabled = hasBinary("prometheus") && hasBinary("promtool");

let dir: string;
let tocsin: RunningTocsin | undefined;
let prometheus: RealServer | undefined;
/** Mentions counted into windows, as tocsin's own replay summary reported them. */
let counted: number;

beforeAll(async () => {
  if (!enabled) return;
  dir = await mkdtemp(join(tmpdir(), "tocsin-prometheus-"));
  const demo = join(dir, "demo.ndjson");
  const out = createWriteStream(demo);
  await writeScenario({ days: 1, crisis: { startHour: 9 }, baseRatePerHour: 20 }, out);
  await new Promise<void>((resolve) => out.end(resolve));
  const config = join(dir, "tocsin.yaml");
  await writeFile(
    config,
    `listen: 127.0.0.1:0\ndata_dir: ${join(dir, "state")}\nalerts: { console: false }\n`,
  );
  // A rule that the demo's crisis (from 09:00) certainly fires, so alerts have states to count.
  const rules = join(dir, "buzz.yaml");
  await writeFile(
    rules,
    `groups:
  - name: buzz
    rules:
      - alert: NegativeBuzz
        metric: negative
        by: [brand]
        detector: { type: threshold, above: 5 }
`,
  );
  tocsin = await startTocsin(["--config", config, "--rules", rules, "--replay", demo, "--speed", "0"]);
  await tocsin.waitForLog(/replay of .* done/);
  const summary = tocsin
    .stderr()
    .split("\n")
    .filter((line) => line.includes("replay of"))
    .map((line) => JSON.parse(line) as { accepted: number; late: number })[0];
  if (!summary) throw new Error(`no replay summary in:\n${tocsin.stderr()}`);
  counted = summary.accepted - summary.late;
  prometheus = await startPrometheus([new URL(tocsin.url).host], "1s");
}, 60_000);

afterAll(async () => {
  await prometheus?.dispose();
  if (tocsin) {
    tocsin.child.kill("SIGTERM");
    await exited(tocsin.child);
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

const scrape = async () => (await fetch(`${tocsin?.url}/metrics`)).text();
const sample = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe.skipIf(!enabled)("Prometheus metrics", () => {
  it("Prometheus scraping /metrics answers the ingest count tocsin reported, through PromQL", async () => {
    expect(counted).toBeGreaterThan(100);
    expect(sample(await scrape(), "tocsin_mentions_ingested_total")).toBe(counted);
    let answer = "";
    await waitUntil(
      `tocsin_mentions_ingested_total = ${counted} in Prometheus`,
      async () => {
        const response = await fetch(`${prometheus?.url}/api/v1/query?query=tocsin_mentions_ingested_total`);
        const body = (await response.json()) as { data: { result: Array<{ value: [number, string] }> } };
        answer = body.data.result[0]?.value[1] ?? "";
        return answer === String(counted);
      },
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; last answer "${answer}"\n${prometheus?.output()}`);
    });
  }, 40_000);

  it("exposes rule evaluation time, alerts by state, the write backlog and event-loop lag", async () => {
    const text = await scrape();
    const windows = sample(text, "tocsin_windows_closed_total");
    expect(windows).toBeGreaterThan(280); // about a day of 5-minute windows (288)
    // One observation per closed window, each in the +Inf bucket.
    expect(sample(text, "tocsin_rule_evaluation_duration_seconds_count")).toBe(windows);
    expect(sample(text, 'tocsin_rule_evaluation_duration_seconds_bucket{le="+Inf"}')).toBe(windows);
    expect(sample(text, "tocsin_rule_evaluation_duration_seconds_sum")).toBeGreaterThan(0);
    // Every alert the API lists, counted once, in its state.
    const listed = (await (await fetch(`${tocsin?.url}/v1/alerts`)).json()) as {
      alerts: { state: string }[];
    };
    expect(listed.alerts.length).toBeGreaterThan(0);
    for (const state of ["pending", "firing", "resolved"]) {
      const count = listed.alerts.filter((alert) => alert.state === state).length;
      expect(sample(text, `tocsin_alerts{state="${state}"}`), state).toBe(count);
    }
    expect(sample(text, "tocsin_alerts_firing")).toBe(sample(text, 'tocsin_alerts{state="firing"}'));
    expect(sample(text, "tocsin_influx_buffered_points")).toBe(0);
    expect(sample(text, "tocsin_influx_spilled_points")).toBe(0);
    for (const action of ["retry", "split", "drop", "spill"])
      expect(sample(text, `tocsin_influx_write_failures_total{action="${action}"}`)).toBe(0);
    for (const lag of ["seconds", "p50_seconds", "p90_seconds", "p99_seconds", "max_seconds"])
      expect(sample(text, `nodejs_eventloop_lag_${lag}`), lag).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
  });

  it("passes promtool check metrics: nothing said about Tocsin's metrics", async () => {
    const text = await scrape();
    const lint = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
    const findings = `${lint.stdout}${lint.stderr}`
      .split("\n")
      .filter((line) => line.trim() !== "")
      .filter((line) => !PROM_CLIENT_GAUGES_NAMED_TOTAL.some((name) => line.startsWith(`${name} `)));
    expect(findings).toEqual([]);
    // It did read the exposition: a broken one fails with an error, not with lint lines.
    expect(lint.error).toBeUndefined();
    expect(lint.status === 0 || lint.status === 3).toBe(true);
  });
});
