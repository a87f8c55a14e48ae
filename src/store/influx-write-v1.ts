// InfluxDB 1.x writes: POST /write?db=&rp=&precision=ms with the lines the client's Point made (1.x has
// no /api/v2/write before 1.8, so the client's WriteApi cannot be aimed at it). Also the 1.x-compatible
// write endpoint of InfluxDB 2.x/3.x, with a token.
import type { InfluxSettings } from "./influx-config.js";
import type { LineTransport } from "./influx-http.js";
import { parseRetryAfter } from "../util/retry-after.js";
import { authHeaders, describeError, endpoint } from "./influx-http.js";

export function createV1Transport(settings: InfluxSettings): LineTransport {
  const url = endpoint(settings, "/write", {
    db: settings.database,
    rp: settings.retention_policy,
    precision: "ms",
  });
  const headers = { "Content-Type": "text/plain; charset=utf-8", ...authHeaders(settings) };
  return {
    async write(lines) {
      try {
        const response = await fetch(url, {
          method: "POST",
          headers,
          body: lines.join("\n"),
          signal: AbortSignal.timeout(settings.timeout),
        });
        const body = await response.text();
        if (response.ok) return { ok: true };
        const wait = parseRetryAfter(response.headers.get("retry-after"), Date.now());
        return {
          ok: false,
          status: response.status,
          message: `HTTP ${response.status}: ${body.slice(0, 300).trim()}`,
          ...(wait === undefined ? {} : { retryAfterMs: wait }),
        };
      } catch (error) {
        return { ok: false, message: describeError(error) };
      }
    },
    close() {},
  };
}
