// Token-bucket rate limits per client: the bearer token when the API has tokens (they are checked
// before this runs, so there are a handful), else the client's IP. An empty bucket answers 429 with
// Retry-After (RFC 9110 §10.2.3) before the body is read.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Context, MiddlewareHandler } from "hono";

export interface RateLimitOptions {
  /** Units added to each client's bucket per second. */
  perSecond: number;
  /** The bucket's size: what a client idle long enough may spend at once. */
  burst: number;
  /** What is counted, for the error: "requests" or "mentions". */
  unit: string;
  /** Key clients by their bearer token (the API checks tokens); else by their IP address. */
  byToken: boolean;
  /** Wall-clock milliseconds (util/clock.ts). */
  now: () => number;
  /**
   * "request": each request costs 1 up front. "deferred": the handler calls `rateLimit.charge(n)`
   * once it knows the cost (mentions in a batch); a bucket may then go into debt, and the next
   * request waits until it is out of it, so a client never gets more than its rate.
   */
  cost: "request" | "deferred";
  /** Requests this limiter leaves alone (another limiter's). */
  skip?: (context: Context) => boolean;
}

export interface RateCharge {
  charge(units: number): void;
}

declare module "hono" {
  interface ContextVariableMap {
    /** Set by a "deferred" rate limit; undefined when the route has none. */
    rateLimit: RateCharge | undefined;
  }
}

/** Buckets kept at most: beyond, the oldest is forgotten, so a flood of addresses costs bounded memory. */
const MAX_CLIENTS = 10_000;

interface Bucket {
  level: number;
  at: number;
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const buckets = new Map<string, Bucket>();
  const rate = options.perSecond / 1000;

  const bucketOf = (key: string, now: number): Bucket => {
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= MAX_CLIENTS) buckets.delete(buckets.keys().next().value as string);
      bucket = { level: options.burst, at: now };
      buckets.set(key, bucket);
    }
    bucket.level = Math.min(options.burst, bucket.level + Math.max(0, now - bucket.at) * rate);
    bucket.at = now;
    return bucket;
  };

  return async (context, next) => {
    if (options.skip?.(context)) return next();
    const bucket = bucketOf(clientKey(context, options.byToken), options.now());
    if (options.cost === "request" ? bucket.level < 1 : bucket.level <= 0) {
      const seconds = Math.max(1, Math.ceil((1 - bucket.level) / options.perSecond));
      context.header("Retry-After", String(seconds));
      return context.json(
        {
          error: `rate limit of ${options.perSecond} ${options.unit} per second (burst ${options.burst}) exceeded; retry in ${seconds}s`,
        },
        429,
      );
    }
    if (options.cost === "request") bucket.level -= 1;
    else context.set("rateLimit", { charge: (units) => void (bucket.level -= units) });
    return next();
  };
}

/** The bearer token's digest (never the token itself), else the peer address of the socket. */
function clientKey(context: Context, byToken: boolean): string {
  const token = byToken ? /^Bearer\s+(.+)$/i.exec(context.req.header("authorization") ?? "")?.[1] : undefined;
  if (token !== undefined) return `token:${createHash("sha256").update(token).digest("base64")}`;
  const incoming = (context.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return `ip:${incoming?.socket.remoteAddress ?? "unknown"}`;
}
