// Every query of every Grafana dashboard returns data from a real InfluxDB 1.x after the demo crisis is
// replayed through the engine with `storage: influx`: panel targets, template variables and
// annotations, with $timeFilter, $__interval and the variables substituted as Grafana does.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scenarioFacts } from "../examples/demo/scenario.js";
import {
  describeFailures,
  influxQuery,
  loadDashboards,
  type QueryOutcome,
  runDashboardQueries,
} from "./helpers/dashboard-queries.js";
import { replayDemo } from "./helpers/demo-replay.js";
import { hasBinary, type RealServer, startInfluxd } from "./helpers/servers.js";

const DATABASE = "tocsin";

/** The demo crisis through the engine, writing to InfluxDB; the first spike is acknowledged. */
async function replayDemoInto(influxUrl: string, dataDir: string): Promise<void> {
  const yaml = `data_dir: ${dataDir}
alerts: { console: false, log: "" }
rules: { paths: [rules/negative-buzz.yaml], watch: false }
storage:
  type: influx
  snapshot: false
  influx: { url: "${influxUrl}", database: ${DATABASE}, flush_interval: 200ms }
`;
  await replayDemo({
    yaml,
    // An acknowledgement is an alert event too: the annotations and the alert table show it.
    setup: (engine) =>
      engine.onAlertEvent((event) => {
        if (event.type === "firing" && event.alert.name === "NegativeBuzzSpike")
          queueMicrotask(() => engine.acknowledge(event.alert.id, "analyst"));
      }),
  });
}

describe.skipIf(!hasBinary("influxd"))("Grafana dashboard queries on InfluxDB after the demo crisis", () => {
  let influx: RealServer;
  let dataDir: string;

  beforeAll(async () => {
    influx = await startInfluxd();
    dataDir = await mkdtemp(join(tmpdir(), "tocsin-dashboards-"));
    // The store may create it too; creating an existing database is a no-op.
    const created = await influxQuery(influx.url, DATABASE, `CREATE DATABASE ${DATABASE}`);
    expect(created.error).toBeUndefined();
    await replayDemoInto(influx.url, dataDir);
  }, 60_000);

  afterAll(async () => {
    await influx?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("returns data for every panel, variable and annotation query of every dashboard", async () => {
    const facts = scenarioFacts();
    const context = {
      from: Date.parse(facts.start),
      to: Date.parse(facts.end),
      // What Grafana picks for six days on a full-width panel (~1000 points, rounded up).
      interval: "10m",
    };
    const outcomes: QueryOutcome[] = [];
    for (const { dashboard } of await loadDashboards()) {
      // The drill-down opens on the brand in crisis: the calm one has no alerts to annotate.
      const variables: Record<string, string[]> =
        dashboard.uid === "tocsin-brand" ? { brand: [facts.crisis!.brand] } : {};
      outcomes.push(
        ...(await runDashboardQueries(
          dashboard,
          { url: influx.url, database: DATABASE },
          { ...context, variables },
        )),
      );
    }
    expect(describeFailures(outcomes)).toEqual([]);
    // Not vacuous: both dashboards, the overview's panel repeated for both brands, the annotations.
    const sources = outcomes.map((outcome) => `${outcome.dashboard} ${outcome.source}`);
    expect(outcomes.length).toBeGreaterThanOrEqual(35);
    expect(sources.filter((source) => source.includes("(brand=")).length).toBeGreaterThanOrEqual(4);
    expect(sources.filter((source) => source.includes("annotation")).length).toBe(4);
    // The responsiveness panels: three stats and three two-target panels per brand, three by brand.
    const responsiveness = /Response rate|first response|overdue/i;
    expect(sources.filter((source) => responsiveness.test(source)).length).toBeGreaterThanOrEqual(12);
  });

  it("shows the brand in crisis answering fewer complaints while they pile up overdue", async () => {
    // The demo answers about 30% of everyday complaints after a median 45 min, and 4% of the
    // crisis's after hours: the responsiveness series must show it, as the panels query them.
    const facts = scenarioFacts();
    const { brand, start, end } = facts.crisis!;
    const dayBefore = `time >= ${Date.parse(start) - 86_400_000}ms AND time < ${Date.parse(start)}ms`;
    const crisis = `time >= ${Date.parse(start)}ms AND time < ${Date.parse(end)}ms`;
    const one = async (select: string, when: string): Promise<number> => {
      const response = await influxQuery(
        influx.url,
        DATABASE,
        `SELECT ${select} FROM "tocsin_series" WHERE "brand" = '${brand}' AND "channel" = 'all' AND ${when}`,
      );
      return response.results?.[0]?.series?.[0]?.values?.[0]?.[1] as number;
    };
    const usualRate = await one(`min("response_rate")`, dayBefore);
    expect(usualRate).toBeGreaterThan(0.15);
    expect(await one(`min("response_rate")`, crisis)).toBeLessThan(usualRate / 2);
    const usualOverdue = await one(`max("unanswered_overdue")`, dayBefore);
    expect(usualOverdue).toBeGreaterThan(0);
    expect(await one(`max("unanswered_overdue")`, crisis)).toBeGreaterThan(2 * usualOverdue);
    const usualFirstResponse = await one(`mean("first_response_seconds")`, dayBefore);
    expect(usualFirstResponse).toBeGreaterThan(30 * 60);
    expect(usualFirstResponse).toBeLessThan(60 * 60);
  });

  it("annotates the crisis with the alerts' summaries and the acknowledgement", async () => {
    const facts = scenarioFacts();
    const response = await influxQuery(
      influx.url,
      DATABASE,
      `SELECT "text", "event", "alertname" FROM "tocsin_alerts" WHERE "brand" = '${facts.crisis!.brand}'`,
    );
    const rows = response.results?.[0]?.series?.[0]?.values ?? [];
    const events = rows.map((row) => `${row[3] as string} ${row[2] as string}`);
    expect(events).toEqual(
      expect.arrayContaining([
        "NegativeBuzzSpike firing",
        "NegativeBuzzSpike acknowledged",
        "NegativeBuzzSpike escalated",
        "NegativeBuzzSpike resolved",
        "NegativeSlowBurn firing",
        "NegativeSlowBurn resolved",
      ]),
    );
    for (const row of rows) expect(row[1] as string).toMatch(new RegExp(`^${facts.crisis!.brand}: `));
    expect(rows.some((row) => (row[1] as string).includes("acknowledged by analyst"))).toBe(true);
  });
});
