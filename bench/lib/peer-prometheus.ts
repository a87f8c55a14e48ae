// The peer side of the peer benchmark: Debian's Prometheus 2.42 scraping the benchmark's exporter and
// evaluating one alert rule, and Alertmanager 0.25 paging a local webhook, with the shortest intervals
// each accepts. These intervals decide most of its latency, so they are reported with the figures.
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Server } from "./peer-process.js";
import { freePort, startServer, waitReady } from "./peer-process.js";

export const PROMETHEUS = "/usr/bin/prometheus";
export const ALERTMANAGER = "/usr/bin/prometheus-alertmanager";

export interface PeerSettings {
  /** Negative mentions per second at which both sides page. */
  threshold: number;
  exporterUrl: string;
  webhookUrl: string;
}

/** The documented intervals (what the figure's details show). */
export const PEER_INTERVALS = {
  scrape_interval: "1s",
  scrape_timeout: "900ms",
  evaluation_interval: "1s",
  for: "0s",
  group_wait: "0s",
  group_interval: "1s",
  repeat_interval: "1h",
};

/**
 * irate: the per-second rate between the last two scrapes, the fastest PromQL reading of "N negative
 * mentions per second" (rate() or increase() over a wider range would only average the spike in
 * later); the 5s range only has to hold two 1s scrapes.
 */
export const peerExpression = (threshold: number) => `irate(negative_mentions_total[5s]) >= ${threshold}`;

export interface PeerStack {
  prometheusUrl: string;
  alertmanagerUrl: string;
  stop(): Promise<void>;
}

export async function peerInstalled(): Promise<boolean> {
  try {
    await Promise.all([access(PROMETHEUS), access(ALERTMANAGER)]);
    return true;
  } catch {
    return false;
  }
}

export async function startPeer(dir: string, settings: PeerSettings): Promise<PeerStack> {
  const i = PEER_INTERVALS;
  const [promPort, amPort] = [await freePort(), await freePort()];
  await mkdir(join(dir, "prometheus-data"), { recursive: true });
  await mkdir(join(dir, "alertmanager-data"), { recursive: true });
  const exporter = new URL(settings.exporterUrl);
  await writeFile(
    join(dir, "rules.yml"),
    `groups:
  - name: peer
    interval: ${i.evaluation_interval}
    rules:
      - alert: NegativeSpike
        expr: ${peerExpression(settings.threshold)}
        for: ${i.for}
`,
  );
  await writeFile(
    join(dir, "prometheus.yml"),
    `global:
  scrape_interval: ${i.scrape_interval}
  scrape_timeout: ${i.scrape_timeout}
  evaluation_interval: ${i.evaluation_interval}
rule_files: [${JSON.stringify(join(dir, "rules.yml"))}]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ["127.0.0.1:${amPort}"] }]
scrape_configs:
  - job_name: mentions
    metrics_path: ${exporter.pathname}
    static_configs: [{ targets: ["${exporter.host}"] }]
`,
  );
  await writeFile(
    join(dir, "alertmanager.yml"),
    `route:
  receiver: hook
  group_by: [brand]
  group_wait: ${i.group_wait}
  group_interval: ${i.group_interval}
  repeat_interval: ${i.repeat_interval}
receivers:
  - name: hook
    webhook_configs: [{ url: ${JSON.stringify(settings.webhookUrl)}, send_resolved: false }]
`,
  );
  const servers: Server[] = [];
  try {
    const alertmanager = startServer({
      name: "alertmanager",
      command: ALERTMANAGER,
      args: [
        `--config.file=${join(dir, "alertmanager.yml")}`,
        `--storage.path=${join(dir, "alertmanager-data")}`,
        `--web.listen-address=127.0.0.1:${amPort}`,
        // Gossip off: a single instance.
        "--cluster.listen-address=",
      ],
      log: join(dir, "alertmanager.log"),
    });
    servers.push(alertmanager);
    const prometheus = startServer({
      name: "prometheus",
      command: PROMETHEUS,
      args: [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "prometheus-data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      log: join(dir, "prometheus.log"),
    });
    servers.push(prometheus);
    const alertmanagerUrl = `http://127.0.0.1:${amPort}`;
    const prometheusUrl = `http://127.0.0.1:${promPort}`;
    await Promise.all([
      waitReady(alertmanager, `${alertmanagerUrl}/-/ready`),
      waitReady(prometheus, `${prometheusUrl}/-/ready`),
    ]);
    return {
      prometheusUrl,
      alertmanagerUrl,
      stop: () => stopAll(servers),
    };
  } catch (error) {
    await stopAll(servers);
    throw error;
  }
}

async function stopAll(servers: Server[]): Promise<void> {
  await Promise.all(servers.map((server) => server.stop()));
}

/** How many series the instant query returns (Prometheus's HTTP API). */
export async function promCount(prometheusUrl: string, query: string): Promise<number> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { data?: { result?: unknown[] } };
  return body.data?.result?.length ?? 0;
}
