import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as NodeCrypto from "node:crypto";
import type { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/api/app.js";
import { tokensEqual, tokensFromEnv } from "../src/api/bearer-auth.js";
import { parseConfig } from "../src/config/load.js";
import { LocatedError } from "../src/util/located-error.js";
import { testEngine } from "./helpers/engine.js";
import { wire } from "./helpers/mentions.js";

// Spy on the real timingSafeEqual: the comparison must go through it, on equal-length digests.
vi.mock("node:crypto", async (importOriginal) => {
  const crypto = await importOriginal<typeof NodeCrypto>();
  return { ...crypto, timingSafeEqual: vi.fn(crypto.timingSafeEqual) };
});
const { timingSafeEqual } = await import("node:crypto");

const INGEST = "ingest-token-1f6c";
const ADMIN = "admin-token-9b2e-longer";

/** Every admin call of the API: state changes and reads of alerts, rules, series and silences. */
const ADMIN_CALLS: Array<[method: string, path: string, body?: unknown]> = [
  ["GET", "/v1/alerts"],
  ["GET", "/v1/alerts/a1"],
  ["POST", "/v1/alerts/a1/ack", { by: "claire" }],
  ["POST", "/v1/alerts/a1/feedback", { verdict: "false_alarm" }],
  ["GET", "/v1/rules"],
  ["POST", "/v1/rules/reload"],
  ["GET", "/v1/series?metric=negative"],
  ["GET", "/v1/silences"],
  ["POST", "/v1/silences", { matchers: ['brand="x"'], endsAt: "2030-01-01T00:00:00Z", createdBy: "x" }],
  ["DELETE", "/v1/silences/s1"],
  // A route nobody has written yet is admin too: closed by default.
  ["GET", "/v1/some-future-route"],
];

const call = (app: Hono, method: string, path: string, body: unknown, token?: string) =>
  app.request(path, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const postMention = (app: Hono, token?: string) => call(app, "POST", "/v1/mentions", wire(), token);

describe("token scopes", () => {
  it("the ingest token posts mentions and opens nothing else", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine, { ingest: INGEST, admin: ADMIN });
    expect((await postMention(app, INGEST)).status).toBe(202);
    for (const [method, path, body] of ADMIN_CALLS) {
      const response = await call(app, method, path, body, INGEST);
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain('scope="admin"');
    }
    await engine.stop();
  });

  it("the admin token opens every admin call and may also post mentions", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine, { ingest: INGEST, admin: ADMIN });
    expect((await postMention(app, ADMIN)).status).toBe(202);
    for (const [method, path, body] of ADMIN_CALLS) {
      const status = (await call(app, method, path, body, ADMIN)).status;
      expect(status, `${method} ${path}`).not.toBe(401);
    }
    await engine.stop();
  });

  it("no token, a wrong one, a prefix of the right one or the right one plus a character: 401", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine, { ingest: INGEST, admin: ADMIN });
    for (const token of [undefined, "", "nope", INGEST.slice(0, -1), `${INGEST}x`, INGEST.toUpperCase()]) {
      expect((await postMention(app, token)).status, String(token)).toBe(401);
      expect((await call(app, "GET", "/v1/alerts", undefined, token)).status).toBe(401);
    }
    const basic = await app.request("/v1/alerts", { headers: { authorization: `Basic ${ADMIN}` } });
    expect(basic.status).toBe(401);
    await engine.stop();
  });

  it("health and metrics stay open for probes and scrapers", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine, { ingest: INGEST, admin: ADMIN });
    for (const path of ["/healthz", "/readyz", "/metrics"])
      expect((await app.request(path)).status, path).not.toBe(401);
    await engine.stop();
  });

  it("without tokens (loopback development) every call is open", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine);
    expect((await postMention(app)).status).toBe(202);
    expect((await call(app, "GET", "/v1/alerts", undefined)).status).toBe(200);
    await engine.stop();
  });
});

describe("constant-time comparison", () => {
  it("compares SHA-256 digests with timingSafeEqual, so lengths never differ", () => {
    vi.mocked(timingSafeEqual).mockClear();
    expect(tokensEqual("short", "a much longer expected token")).toBe(false);
    expect(tokensEqual("same", "same")).toBe(true);
    const calls = vi.mocked(timingSafeEqual).mock.calls;
    expect(calls).toHaveLength(2);
    for (const [a, b] of calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
  });

  it("the middleware goes through it on every request", async () => {
    const { engine } = await testEngine();
    const app = createApp(engine, { ingest: INGEST, admin: ADMIN });
    vi.mocked(timingSafeEqual).mockClear();
    await call(app, "GET", "/v1/alerts", undefined, "guess");
    expect(vi.mocked(timingSafeEqual)).toHaveBeenCalled();
    await engine.stop();
  });
});

describe("secrets from files", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const secretFile = async (content: string) => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-secret-"));
    dirs.push(dir);
    const file = join(dir, "secret");
    await writeFile(file, content);
    return file;
  };

  it("TOCSIN_*_TOKEN_FILE: the file's content, without its trailing newline", async () => {
    const env = {
      TOCSIN_INGEST_TOKEN_FILE: await secretFile(`${INGEST}\n`),
      TOCSIN_ADMIN_TOKEN_FILE: await secretFile(ADMIN),
    };
    expect(tokensFromEnv(env)).toEqual({ ingest: INGEST, admin: ADMIN });
    expect(tokensFromEnv({ TOCSIN_INGEST_TOKEN: INGEST })).toEqual({ ingest: INGEST, admin: undefined });
  });

  it("both forms of one token, an empty file or a missing one: an error that shows no secret", async () => {
    const file = await secretFile(INGEST);
    expect(() => tokensFromEnv({ TOCSIN_INGEST_TOKEN: INGEST, TOCSIN_INGEST_TOKEN_FILE: file })).toThrow(
      /TOCSIN_INGEST_TOKEN or TOCSIN_INGEST_TOKEN_FILE, not both/,
    );
    const empty = await secretFile("\n");
    expect(() => tokensFromEnv({ TOCSIN_ADMIN_TOKEN_FILE: empty })).toThrow(/is empty/);
    let message = "";
    try {
      tokensFromEnv({ TOCSIN_ADMIN_TOKEN_FILE: "/nonexistent/tocsin-admin-token" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe("TOCSIN_ADMIN_TOKEN_FILE: cannot read /nonexistent/tocsin-admin-token (ENOENT)");
  });

  it("${file:/path} in tocsin.yaml reads a secret from a file", async () => {
    const file = await secretFile("xoxb-from-a-file\n");
    const yaml = [
      "slack:",
      `  signing_secret: "\${file:${file}}"`,
      "receivers:",
      `  comms: { type: slack, token: "\${file:${file}}", channel: "#comms" }`,
    ].join("\n");
    const config = parseConfig(yaml, "tocsin.yaml", {});
    expect(config.slack.signing_secret).toBe("xoxb-from-a-file");
    expect(config.receivers.comms).toMatchObject({ token: "xoxb-from-a-file" });
  });

  it("a ${file:} that cannot be read is a located config error", () => {
    const yaml = 'slack:\n  signing_secret: "${file:/nonexistent/slack-secret}"\n';
    let error: unknown;
    try {
      parseConfig(yaml, "tocsin.yaml", {});
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LocatedError);
    expect((error as Error).message).toContain(
      "tocsin.yaml:2:19: cannot read /nonexistent/slack-secret (ENOENT)",
    );
  });
});
