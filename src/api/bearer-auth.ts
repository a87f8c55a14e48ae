// Bearer-token middleware: a missing or wrong token is a 401. Tokens are compared as SHA-256
// digests with timingSafeEqual, so neither content nor length leaks through timing.
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";

export interface BearerAuthOptions {
  /** The expected token; undefined turns the check off (loopback-only development). */
  token: string | undefined;
  /** Named in the error so the caller knows which token is wanted. */
  scope: "ingest" | "admin";
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler {
  const expected = options.token;
  return async (context, next) => {
    if (expected === undefined) return next();
    const header = context.req.header("authorization") ?? "";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !tokensEqual(match[1] as string, expected)) {
      context.header("WWW-Authenticate", `Bearer realm="tocsin", scope="${options.scope}"`);
      return context.json({ error: `missing or wrong bearer token (${options.scope} token required)` }, 401);
    }
    return next();
  };
}
