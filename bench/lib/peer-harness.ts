// The benchmark's own local server for the peer comparison: the exporter Prometheus scrapes (a
// counter of negative mentions per brand, Prometheus text format 0.0.4) and the two webhooks the
// systems page, which note when each first says a brand's alert is firing.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";

export type Side = "tocsin" | "peer";

export interface Harness {
  exporterUrl: string;
  webhookUrl: (side: Side) => string;
  /** Counts negative mentions of a brand (the exporter shows them at the next scrape). */
  count(brand: string, n: number): void;
  /** performance.now() when `side` first POSTed a firing notification for `brand`, if it did. */
  firedAt(side: Side, brand: string): number | undefined;
  /** Bodies the webhooks could not read (should stay empty). */
  errors: string[];
  close(): Promise<void>;
}

/** Tocsin's webhook body (src/notify/webhook.ts): one alert event per POST. */
interface TocsinEvent {
  event?: string;
  alert?: { labels?: Record<string, string> };
}

/** Alertmanager's webhook body (payload version 4): the group's alerts. */
interface AlertmanagerPayload {
  alerts?: Array<{ status?: string; labels?: Record<string, string> }>;
}

export async function startHarness(): Promise<Harness> {
  const counters = new Map<string, number>();
  const fired: Record<Side, Map<string, number>> = { tocsin: new Map(), peer: new Map() };
  const errors: string[] = [];

  const firing = (side: Side, text: string): string[] => {
    if (side === "tocsin") {
      const event = JSON.parse(text) as TocsinEvent;
      const brand = event.alert?.labels?.brand;
      return event.event === "firing" && brand !== undefined ? [brand] : [];
    }
    const payload = JSON.parse(text) as AlertmanagerPayload;
    return (payload.alerts ?? []).flatMap((alert) =>
      alert.status === "firing" && alert.labels?.brand !== undefined ? [alert.labels.brand] : [],
    );
  };

  const server: Server = createServer((request, response) => {
    // The moment the notification arrives, before its body is read.
    const at = performance.now();
    const path = request.url ?? "/";
    if (request.method === "GET" && path === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      response.end(exposition(counters));
      return;
    }
    const side = path === "/hook/tocsin" ? "tocsin" : path === "/hook/peer" ? "peer" : undefined;
    if (request.method !== "POST" || side === undefined) {
      response.writeHead(404).end();
      return;
    }
    void readBody(request).then((text) => {
      try {
        for (const brand of firing(side, text)) if (!fired[side].has(brand)) fired[side].set(brand, at);
      } catch (error) {
        errors.push(`${side}: ${(error as Error).message}: ${text.slice(0, 200)}`);
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    exporterUrl: `${base}/metrics`,
    webhookUrl: (side) => `${base}/hook/${side}`,
    count(brand, n) {
      counters.set(brand, (counters.get(brand) ?? 0) + n);
    },
    firedAt: (side, brand) => fired[side].get(brand),
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function exposition(counters: ReadonlyMap<string, number>): string {
  const lines = [
    "# HELP negative_mentions_total Negative mentions seen, by brand.",
    "# TYPE negative_mentions_total counter",
  ];
  for (const [brand, value] of counters) lines.push(`negative_mentions_total{brand="${brand}"} ${value}`);
  return `${lines.join("\n")}\n`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
