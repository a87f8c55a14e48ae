// What the InfluxDB writes and queries share: the transport interface (one batch, one outcome; whether
// and when to try again is the writer's call, influx-schedule.ts), authorization, URLs, error words.
import type { InfluxSettings } from "./influx-config.js";

export type WriteResult =
  | { ok: true }
  | {
      ok: false;
      /** HTTP status; undefined when no response came (refused, reset, timed out). */
      status?: number;
      /** The server asked to wait this long (429/503 Retry-After). */
      retryAfterMs?: number;
      /** What went wrong, without credentials. */
      message: string;
    };

export interface LineTransport {
  /** Writes the lines (ms precision) as one request. Never throws. */
  write(lines: readonly string[]): Promise<WriteResult>;
  close(): void;
}

/** Authorization for writes and queries: a token (2.x/3.x) or a 1.x user, in a header, never the URL. */
export function authHeaders(settings: InfluxSettings): Record<string, string> {
  if (settings.token) return { Authorization: `Token ${settings.token}` };
  if (settings.username !== undefined && settings.password !== undefined) {
    const basic = Buffer.from(`${settings.username}:${settings.password}`).toString("base64");
    return { Authorization: `Basic ${basic}` };
  }
  return {};
}

/** base URL + path, keeping a path prefix of the base (a proxy mount such as /influx). */
export function endpoint(
  settings: InfluxSettings,
  path: string,
  params: Record<string, string | undefined>,
): URL {
  const url = new URL(settings.url);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url;
}

/** The reason without a stack; fetch's "fetch failed" hides the useful part in `cause`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}
