// InfluxQL over HTTP: GET /query?db=&rp=&epoch=ms&chunked=true, served by InfluxDB 1.x and by the
// 1.x-compatible API of 2.x/3.x (a token; the database maps to a bucket). Chunked answers come as one
// JSON document per line, so a large warm-up is parsed as it arrives rather than held twice.
import type { InfluxSettings } from "./influx-config.js";
import { authHeaders, endpoint } from "./influx-http.js";

/** One series of an answer: a measurement and tag set, rows of `columns` (time first, epoch ms). */
export interface QuerySeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

interface Chunk {
  error?: string;
  results?: Array<{ error?: string; series?: QuerySeries[] }>;
}

const CHUNK_SIZE = 10_000;

/** The server answered, with an error (as opposed to not answering at all). */
export class InfluxQueryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "InfluxQueryError";
  }
}

/**
 * Runs one statement; calls `onSeries` for every (partial) series. Throws InfluxQueryError when the
 * server answers with an error, and fetch's error when it does not answer.
 */
export async function influxQuery(
  settings: InfluxSettings,
  statement: string,
  onSeries: (series: QuerySeries) => void,
  options: { method?: "GET" | "POST"; timeoutMs?: number } = {},
): Promise<void> {
  const url = endpoint(settings, "/query", {
    db: settings.database,
    rp: settings.retention_policy,
    epoch: "ms",
    chunked: "true",
    chunk_size: String(CHUNK_SIZE),
    q: statement,
  });
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers: authHeaders(settings),
    signal: AbortSignal.timeout(options.timeoutMs ?? settings.timeout),
  });
  if (!response.ok) {
    const body = (await response.text()).slice(0, 300).trim();
    throw new InfluxQueryError(`HTTP ${response.status}: ${body}`, response.status);
  }
  if (!response.body) return;
  const decoder = new TextDecoder();
  let rest = "";
  const take = (line: string) => {
    if (line.trim() === "") return;
    const chunk = JSON.parse(line) as Chunk;
    const error = chunk.error ?? chunk.results?.find((result) => result.error)?.error;
    if (error !== undefined) throw new InfluxQueryError(error);
    for (const result of chunk.results ?? []) for (const series of result.series ?? []) onSeries(series);
  };
  for await (const bytes of response.body) {
    rest += decoder.decode(bytes, { stream: true });
    let newline = rest.indexOf("\n");
    while (newline >= 0) {
      take(rest.slice(0, newline));
      rest = rest.slice(newline + 1);
      newline = rest.indexOf("\n");
    }
  }
  take(rest + decoder.decode());
}

/** Quotes an identifier for InfluxQL ("my \"db\""). */
export const quoteIdentifier = (name: string): string =>
  `"${name.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
