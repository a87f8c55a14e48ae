// POST /v1/mentions: a JSON object, a JSON array or NDJSON → 202 {accepted, rejected:[{line, error}]}.
// 413 over ingest.body_limit (read no further) or ingest.max_batch (none ingested: split and resend).
import type { Context, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Engine } from "../../engine.js";
import type { BodyFormat } from "../../ingest/parse-batch.js";
import { parseBody } from "../../ingest/parse-batch.js";

const FORMATS: Record<string, BodyFormat> = {
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
  "application/jsonl": "ndjson",
  "application/x-jsonlines": "ndjson",
  "application/jsonlines": "ndjson",
};

export function mentionRoutes(app: Hono, engine: Engine): void {
  const limit = engine.config.ingest.body_limit;
  const maxBatch = engine.config.ingest.max_batch;
  app.post(
    "/v1/mentions",
    limitBody(limit, (context) => {
      // The client may still be sending: close the connection rather than read the rest.
      context.header("Connection", "close");
      return context.json({ error: `body is larger than the limit of ${limit} bytes` }, 413);
    }),
    async (context) => {
      const type = (context.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
      const format = FORMATS[type];
      if (!format) {
        return context.json(
          { error: `unsupported content type "${type}"; send ${Object.keys(FORMATS).join(", ")}` },
          415,
        );
      }
      const text = await context.req.text();
      const batch = parseBody(text, format, engine.config.ingest.max_line_bytes);
      if (batch.values.length === 0 && batch.errors.length === 0) {
        return context.json({ error: "no mentions in the body", accepted: 0, rejected: [] }, 400);
      }
      const items = batch.values.length + batch.errors.length;
      context.get("rateLimit")?.charge(items);
      if (items > maxBatch) {
        return context.json(
          {
            error: `${items} mentions in one request; the limit is ${maxBatch} (ingest.max_batch): split the batch`,
          },
          413,
        );
      }
      let result;
      try {
        // Counted, and in the write-ahead log: a 202 means the mentions survive a crash.
        result = await engine.ingestDurably(batch);
      } catch (error) {
        return context.json({ error: `mentions not logged, retry: ${(error as Error).message}` }, 503);
      }
      // Duplicates were accepted before: a client retrying a batch must not be told it failed.
      const status = result.accepted + result.duplicates > 0 ? 202 : 400;
      return context.json(result, status);
    },
  );
}

/**
 * Hono's bodyLimit, without its cost when the body's size is declared. bodyLimit first reads
 * `c.req.raw.body` to see whether there is a body, which has @hono/node-server build a web Request
 * around the socket: the body then came through web streams (about 8% of the server's CPU at full
 * load) instead of straight from the socket into one buffer. node's HTTP parser reads no more than a
 * Content-Length, so checking it is the limit; a chunked body is counted by bodyLimit as it comes.
 */
function limitBody(maxSize: number, onError: (context: Context) => Response): MiddlewareHandler {
  const counted = bodyLimit({ maxSize, onError });
  return async (context, next) => {
    const length = context.req.header("content-length");
    if (length === undefined || context.req.header("transfer-encoding") !== undefined)
      return counted(context, next);
    if (Number.parseInt(length, 10) > maxSize) return onError(context);
    await next();
  };
}
