// Tocsin's side of the peer benchmark: a real `tocsin run` (node --import tsx src/cli/main.ts, as the
// tests and the soak start it) with the shortest window and lateness its config allows, a threshold
// rule on each brand's negative count and a webhook receiver, fed live over POST /v1/mentions.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { nodeScript, ROOT } from "./node-script.js";
import { freePort, startServer, waitReady } from "./peer-process.js";

/** The documented settings (what the figure's details show). */
export const TOCSIN_SETTINGS = {
  window: "1s",
  lateness: "0s",
  for: "0s",
  group_wait: "0s",
  group_interval: "1s",
  repeat_interval: "1h",
  /** The engine's own clock tick that closes windows when no mention does (src/engine.ts TICK_MS). */
  tick: "1s",
};

export interface TocsinSide {
  url: string;
  /** POSTs one NDJSON body; throws unless every line was accepted; says how many came too late. */
  post(ndjson: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startTocsinSide(
  dir: string,
  threshold: number,
  webhookUrl: string,
): Promise<TocsinSide> {
  const s = TOCSIN_SETTINGS;
  const port = await freePort();
  await mkdir(join(dir, "tocsin-data"), { recursive: true });
  await writeFile(
    join(dir, "peer-rules.yaml"),
    `groups:
  - name: peer
    rules:
      - alert: NegativeSpike
        metric: negative
        by: [brand]
        detector: { type: threshold, above: ${threshold} }
        for: ${s.for}
        severity: warning
`,
  );
  await writeFile(
    join(dir, "tocsin.yaml"),
    `listen: 127.0.0.1:${port}
data_dir: ${JSON.stringify(join(dir, "tocsin-data"))}
window: ${s.window}
lateness: ${s.lateness}
storage: { snapshot: false }
rules: { paths: [${JSON.stringify(join(dir, "peer-rules.yaml"))}], watch: false }
alerts: { console: false }
receivers:
  hook: { type: webhook, url: ${JSON.stringify(webhookUrl)}, secret: "\${PEER_WEBHOOK_SECRET}" }
route:
  receiver: hook
  group_by: [brand]
  group_wait: ${s.group_wait}
  group_interval: ${s.group_interval}
  repeat_interval: ${s.repeat_interval}
`,
  );
  const server = startServer({
    name: "tocsin",
    command: process.execPath,
    args: [...nodeScript("src/cli/main"), "run", "--config", join(dir, "tocsin.yaml")],
    cwd: ROOT,
    env: { TOCSIN_INGEST_TOKEN: "", TOCSIN_ADMIN_TOKEN: "", PEER_WEBHOOK_SECRET: "peer-bench-secret" },
    log: join(dir, "tocsin.log"),
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitReady(server, `${url}/readyz`, 60_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url,
    async post(ndjson) {
      const response = await fetch(`${url}/v1/mentions`, {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body: ndjson,
      });
      const result = (await response.json()) as { rejected?: unknown[]; late?: number };
      if (response.status !== 202 || (result.rejected?.length ?? 0) > 0)
        throw new Error(`POST /v1/mentions: ${response.status} ${JSON.stringify(result)}`);
      return result.late ?? 0;
    },
    stop: () => server.stop(),
  };
}
