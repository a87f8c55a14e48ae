// Bearer tokens with two scopes: the ingest token posts mentions, the admin token does everything
// else under /v1/ (and may also post mentions). Tokens are compared as SHA-256 digests with
// timingSafeEqual, so neither content nor length leaks through timing. Tokens come from the
// environment or from files (TOCSIN_*_TOKEN_FILE, as Docker and Kubernetes secrets are mounted).
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import type { MiddlewareHandler } from "hono";

export interface ApiTokens {
  ingest?: string | undefined;
  admin?: string | undefined;
}

export type TokenScope = "ingest" | "admin";

export interface BearerAuthOptions {
  /** Tokens any of which opens the route; none set turns the check off (loopback-only development). */
  tokens: ReadonlyArray<string | undefined>;
  /** Named in the error so the caller knows which token is wanted. */
  scope: TokenScope;
}

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** Constant time in the content of both sides: equal-length digests, compared with timingSafeEqual. */
export function tokensEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler {
  const expected = options.tokens.filter((token): token is string => token !== undefined);
  return async (context, next) => {
    if (expected.length === 0) return next();
    const header = context.req.header("authorization") ?? "";
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    // Every expected token is compared, so which one matched does not show in the timing either.
    let ok = false;
    for (const token of expected) ok = tokensEqual(given ?? "", token) || ok;
    if (given === undefined || !ok) {
      context.header("WWW-Authenticate", `Bearer realm="tocsin", scope="${options.scope}"`);
      return context.json({ error: `missing or wrong bearer token (${options.scope} token required)` }, 401);
    }
    return next();
  };
}

/** Paths that take no bearer token: Slack cannot send one, so the route checks Slack's signature. */
export const SIGNED_PATHS: ReadonlySet<string> = new Set(["/v1/slack/actions"]);

/**
 * The scope of every /v1/ path: POST /v1/mentions takes the ingest or the admin token, the signed
 * paths check their own signature, and anything else is admin, so a route added later is closed
 * until someone decides otherwise.
 */
export function apiAuth(tokens: ApiTokens): MiddlewareHandler {
  // Without an ingest token ingest stays open (loopback development), whatever the admin token.
  const ingestTokens = tokens.ingest === undefined ? [] : [tokens.ingest, tokens.admin];
  const ingest = bearerAuth({ tokens: ingestTokens, scope: "ingest" });
  const admin = bearerAuth({ tokens: [tokens.admin], scope: "admin" });
  return (context, next) => {
    const path = context.req.path;
    if (SIGNED_PATHS.has(path)) return next();
    return (path === "/v1/mentions" ? ingest : admin)(context, next);
  };
}

/**
 * The API tokens (design.md §6): TOCSIN_INGEST_TOKEN / TOCSIN_ADMIN_TOKEN, or the content of the
 * files named by TOCSIN_INGEST_TOKEN_FILE / TOCSIN_ADMIN_TOKEN_FILE (one trailing newline dropped).
 * Setting both forms of one token, or naming an empty or unreadable file, is an error.
 */
export function tokensFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): ApiTokens {
  const token = (name: string): string | undefined => {
    const value = env[name] || undefined;
    const file = env[`${name}_FILE`] || undefined;
    if (file === undefined) return value;
    if (value !== undefined) throw new Error(`set ${name} or ${name}_FILE, not both`);
    let text: string;
    try {
      text = readFile(file);
    } catch (error) {
      throw new Error(
        `${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        {
          cause: error,
        },
      );
    }
    const content = text.replace(/\r?\n$/, "");
    if (content === "") throw new Error(`${name}_FILE: ${file} is empty`);
    return content;
  };
  return { ingest: token("TOCSIN_INGEST_TOKEN"), admin: token("TOCSIN_ADMIN_TOKEN") };
}
