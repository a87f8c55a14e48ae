// InfluxDB 2.x/3.x writes (and VictoriaMetrics): the client's WriteApi, POST /api/v2/write?org=&bucket=
// &precision=ms with a token, used as a one-batch-at-a-time sender so that it reports each batch.
//
// Why this works despite components.md's pitfall (flush() may return before batches in flight
// complete): that happens when the WriteApi itself starts sends — on its flush timer, or when its
// buffer reaches batchSize/maxBatchBytes — whose outcome no caller awaits. Here it never does: the
// flush timer is off (flushInterval 0), its batch limits sit above ours, and the writer sends one
// batch at a time, so `writeRecords(batch); await flush()` awaits exactly that batch's request.
// Its own retries are off (maxRetries 0; the retry buffer stays empty); writeFailed hands the error
// back as the flush's rejection, which also keeps the client from logging to the console.
import { HttpError, InfluxDB } from "@influxdata/influxdb-client";
import type { InfluxSettings } from "./influx-config.js";
import type { LineTransport, WriteResult } from "./influx-http.js";
import { describeError } from "./influx-http.js";

export function createWriteApiTransport(settings: InfluxSettings): LineTransport {
  const client = new InfluxDB({
    url: settings.url,
    ...(settings.token ? { token: settings.token } : {}),
    timeout: settings.timeout,
  });
  const api = client.getWriteApi(settings.org ?? "", settings.bucket ?? "", "ms", {
    batchSize: settings.batch_size + 1,
    maxBatchBytes: Number.MAX_SAFE_INTEGER,
    flushInterval: 0,
    maxRetries: 0,
    maxBufferLines: settings.batch_size,
    writeFailed: (error: Error) => Promise.reject(error),
  });
  return {
    async write(lines): Promise<WriteResult> {
      try {
        api.writeRecords([...lines]);
        await api.flush();
        return { ok: true };
      } catch (error) {
        return failure(error);
      }
    },
    close() {
      api.dispose();
    },
  };
}

function failure(error: unknown): WriteResult {
  if (error instanceof HttpError) {
    // The client keeps Retry-After's number as given, in seconds (RFC 9110 §10.2.3).
    const seconds = error.retryAfter();
    return {
      ok: false,
      status: error.statusCode,
      message: `HTTP ${error.statusCode}: ${(error.body ?? error.message).slice(0, 300).trim()}`,
      ...(seconds > 0 ? { retryAfterMs: seconds * 1_000 } : {}),
    };
  }
  return { ok: false, message: describeError(error) };
}
