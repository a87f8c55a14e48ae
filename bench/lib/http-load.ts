// The load of bench/http-ingest.ts: autocannon POSTing NDJSON batches of mentions with provider
// sentiment, each request with fresh ids (the duplicate filter would drop repeats) and created_at at
// the current second (neither late nor ahead of the server's clock), and the acknowledged mentions
// summed from the answers' `accepted`.
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  path: string;
  durationSeconds: number;
  connections: number;
  batch: number;
}

export interface LoadResult {
  /** Responses with a 2xx status, and all others. */
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Sum of `accepted` over the 2xx answers. */
  acknowledged: number;
  latencyP50: number;
  latencyP99: number;
  bodyBytes: number;
}

const BRANDS = ["kryptonite", "acmebank", "velora", "nordair", "lumio", "skyhaul", "quantix", "orbitel"];
const CHANNELS = ["twitter", "facebook", "instagram", "reddit", "tiktok", "news"];
const TEXTS = [
  "The lock was picked with a ballpoint pen in seconds, this is a disgrace",
  "Just saw the new ad on the subway, not bad",
  "Worst customer service ever, nobody answered my complaint",
  "Love my new one, works perfectly #deal",
  "Does anyone know if they ship to Canada?",
  "Ma commande est arrivée cassée, très déçu",
];
const SENTIMENTS = ['"negative"', '"neutral"', '"neutral"', "0.62", "-0.4", '"positive"', "0.0"];

/**
 * The lines of a batch without their id and created_at, built once: a request only prefixes each with
 * `{"id":"<run>-<request>-<line>","created_at":"<now>",`, so the client spends little of the CPU that
 * the server under test needs.
 */
function lineTails(batch: number): string[] {
  return Array.from({ length: batch }, (_, i) => {
    const brand = BRANDS[i % BRANDS.length] as string;
    const fields = [
      `"brand":"${brand}"`,
      `"channel":"${CHANNELS[(i >> 3) % CHANNELS.length] as string}"`,
      `"text":${JSON.stringify(`${TEXTS[i % TEXTS.length] as string} @${brand}`)}`,
      `"sentiment":${SENTIMENTS[i % SENTIMENTS.length] as string}`,
      `"author":{"id":"u${(i * 7919) % 5000}","followers":${(i * 104729) % 20000}}`,
      `"engagement":{"likes":${i % 50},"shares":${i % 7}}`,
    ];
    return `${fields.join(",")}}\n`;
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const tails = lineTails(options.batch);
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  let request = 0;
  let second = -1;
  let createdAt = "";
  let acknowledged = 0;
  let bodyBytes = 0;
  const body = (): string => {
    const now = Date.now();
    if (Math.floor(now / 1000) !== second) {
      second = Math.floor(now / 1000);
      createdAt = new Date(second * 1000).toISOString();
    }
    const prefix = `{"id":"${run}-${++request}-`;
    const middle = `","created_at":"${createdAt}",`;
    let text = "";
    for (let i = 0; i < tails.length; i++) text += prefix + i + middle + tails[i];
    bodyBytes = text.length;
    return text;
  };
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    pipelining: 1,
    duration: options.durationSeconds,
    // Worker threads off: on a small machine they would only take more of the server's cores.
    workers: 0,
    requests: [
      {
        method: "POST",
        path: options.path,
        headers: { "content-type": "application/x-ndjson" },
        setupRequest: (req) => ({ ...req, body: body() }),
        onResponse: (status, text) => {
          if (status >= 200 && status < 300)
            acknowledged += (JSON.parse(text) as { accepted: number }).accepted;
        },
      },
    ],
  });
  return {
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    seconds: result.duration,
    acknowledged,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    bodyBytes,
  };
}
