// The webhook notifier against a local HTTP receiver that records each request as it arrived: the
// signed JSON body, the signature a receiver can verify with the shared secret, and the failures.
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { buildMessage } from "../src/notify/message.js";
import type { Notification } from "../src/notify/notifier.js";
import { parseRetryAfter } from "../src/util/retry-after.js";
import { WebhookNotifier, webhookNotifier } from "../src/notify/webhook.js";
import { ManualClock } from "../src/util/clock.js";
import type { FakeHttpReceiver, RecordedRequest } from "./helpers/fake-http-receiver.js";
import { jsonAnswer, startFakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { HOSTILE, acknowledgedAlert, contractAlert, notifierContract } from "./helpers/notifier-contract.js";

const SECRET = "whsec_8c1d0f5e9b2a4f7c3e6d";
/** 2026-03-06 12:16 UTC, a minute after contractAlert fired. */
const NOW = Date.parse("2026-03-06T12:16:00Z");
const firing: Notification = { event: "firing", alert: contractAlert() };

async function startWebhook(options: Record<string, unknown> = {}) {
  const receiver = await startFakeHttpReceiver(() => ({ status: 204 }));
  const config = webhookNotifier.schema.parse({
    url: `${receiver.url}/hooks/tocsin`,
    secret: SECRET,
    ...options,
  });
  const clock = new ManualClock(NOW);
  const notifier = new WebhookNotifier(config, "webhook", clock);
  return { receiver, notifier, clock };
}

/** What a receiver does (see the header of src/notify/webhook.ts), written out independently. */
function verifies(request: RecordedRequest, secret: string): boolean {
  const timestamp = String(request.headers["x-tocsin-timestamp"]);
  const expected = createHmac("sha256", secret).update(`${timestamp}.${request.body}`).digest("hex");
  return request.headers["x-tocsin-signature"] === `sha256=${expected}`;
}

/** The fields that quote alert texts, the note and the acknowledgement, and nothing else. */
const QUOTES_TEXT =
  /^(note|alert\.annotations\.\w+|alert\.acknowledged\.(by|comment)|message\.(summary|description|note|headline)|message\.facts\.\d+\.value|alert\.explanation\.(terms\.\d+\.term|posts\.\d+\.(text|author|url)|spread\.influencers\.\d+\.name)|message\.why\.(terms\.\d+|posts\.\d+\.(excerpt|by|url)|spread))$/;

/** The dotted paths of every string inside `value` that contains `needle`. */
function stringsContaining(value: unknown, needle: string, path = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    stringsContaining(inner, needle, path ? `${path}.${key}` : key),
  );
}

notifierContract("webhook (a local HTTP receiver)", {
  retryAfter: true,
  async start() {
    const { receiver } = await startWebhook();
    // The created-from-config path, as tocsin.yaml builds it.
    const notifier = webhookNotifier.create(
      webhookNotifier.schema.parse({ url: `${receiver.url}/hooks/tocsin`, secret: SECRET }),
      { name: "webhook" },
    );
    return {
      notifier,
      failNext: receiver.failNext,
      delivered: () => receiver.requests.map((request) => request.body),
      secret: SECRET,
      stop: receiver.stop,
    };
  },
  // A webhook sends text as written: JSON has no markup of its own, and whoever displays the text
  // escapes it for their medium (documented in webhook.ts). What protects the payload's structure is
  // JSON escaping, so "escaped" here means: the body is exactly one valid JSON document, and hostile
  // text comes back out of it byte for byte, only as the string values that quote it — no key,
  // number or extra field made of it, and no link built from it.
  assertEscaped(payload) {
    const body = JSON.parse(payload) as { message: { links: unknown[] } };
    expect(JSON.stringify(body)).toBe(payload);
    const quoting = stringsContaining(body, "evil");
    expect(quoting.length).toBeGreaterThan(0);
    for (const path of quoting) expect(path).toMatch(QUOTES_TEXT);
    expect(stringsContaining(body, HOSTILE).length).toBeGreaterThan(0);
    expect(body.message.links).toEqual([{ text: "runbook", url: "https://wiki.example.com/runbooks/buzz" }]);
  },
  // A webhook has no thread: its receiver groups by the alert id, which every event carries.
  assertInThread(payload) {
    expect((JSON.parse(payload) as { alert: { id: string } }).alert.id).toBe(contractAlert().id);
  },
});

describe("webhook notifier (a local HTTP receiver)", () => {
  let receiver: FakeHttpReceiver | undefined;
  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });
  const start = async (options: Record<string, unknown> = {}) => {
    const started = await startWebhook(options);
    receiver = started.receiver;
    return started;
  };
  const only = () => {
    const request = receiver?.requests[0];
    if (!request) throw new Error("the receiver got nothing");
    return request;
  };

  it("POSTs version 1 JSON with the event, the alert without its history and the message", async () => {
    const { notifier } = await start({ headers: { "X-Team": "comms" } });
    expect(await notifier.send(firing)).toEqual({ ok: true, receipt: { status: "204" } });
    const request = only();
    expect(request).toMatchObject({ method: "POST", path: "/hooks/tocsin" });
    expect(request.headers).toMatchObject({ "content-type": "application/json", "x-team": "comms" });
    const { history: _history, ...episode } = contractAlert();
    expect(JSON.parse(request.body)).toEqual({
      version: 1,
      event: "firing",
      alert: episode,
      message: buildMessage(firing),
    });
  });

  it("signs timestamp.body with HMAC-SHA256 of the secret, which the receiver can verify", async () => {
    const { notifier } = await start();
    await notifier.send(firing);
    const request = only();
    expect(request.headers["x-tocsin-timestamp"]).toBe(String(NOW / 1000));
    expect(request.headers["x-tocsin-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifies(request, SECRET)).toBe(true);
    expect(verifies(request, "another secret")).toBe(false);
  });

  it("fails verification when the body or the timestamp was tampered with", async () => {
    const { notifier } = await start();
    await notifier.send(firing);
    const request = only();
    const body = request.body.replace('"value":412', '"value":4');
    expect(body).not.toBe(request.body);
    expect(verifies({ ...request, body }, SECRET)).toBe(false);
    const replayed = { ...request.headers, "x-tocsin-timestamp": String(NOW / 1000 + 3600) };
    expect(verifies({ ...request, headers: replayed }, SECRET)).toBe(false);
  });

  it("sends an Idempotency-Key of alert id and event, the same when a failed send is retried", async () => {
    const { notifier } = await start();
    receiver?.failNext("server_error");
    expect((await notifier.send(firing)).ok).toBe(false);
    expect((await notifier.send(firing)).ok).toBe(true);
    await notifier.send({ event: "resolved", alert: contractAlert({ state: "resolved" }) });
    expect(receiver?.requests.map((request) => request.headers["idempotency-key"])).toEqual([
      "3f2a9c0d1e2b4a5c-tb9o0c:firing",
      "3f2a9c0d1e2b4a5c-tb9o0c:firing",
      "3f2a9c0d1e2b4a5c-tb9o0c:resolved",
    ]);
  });

  it("sends an acknowledgement with who, when and their comment in the alert, and Tocsin's note at the top level", async () => {
    const { notifier } = await start();
    const alert = acknowledgedAlert({ by: "alice", comment: "on it" });
    const note = "acknowledged through POST /v1/alerts/:id/ack";
    expect((await notifier.send({ event: "acknowledged", alert, note })).ok).toBe(true);
    const body = JSON.parse(only().body) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: 1,
      event: "acknowledged",
      note,
      alert: {
        id: alert.id,
        acknowledged: { by: "alice", at: Date.parse("2026-03-06T12:20:00Z"), comment: "on it" },
      },
      message: { note },
    });
    expect(only().headers["idempotency-key"]).toBe("3f2a9c0d1e2b4a5c-tb9o0c:acknowledged");
  });

  it("gives each reminder its own Idempotency-Key, so a receiver that drops seen keys keeps the later ones", async () => {
    const { notifier } = await start();
    const later = { ...contractAlert().last, time: Date.parse("2026-03-06T13:10:00Z") };
    await notifier.send({ event: "reminder", alert: contractAlert() });
    await notifier.send({ event: "reminder", alert: contractAlert() });
    await notifier.send({ event: "reminder", alert: contractAlert({ last: later }) });
    const keys = receiver?.requests.map((request) => request.headers["idempotency-key"]);
    expect(keys?.[0]).toBe(keys?.[1]);
    expect(keys?.[2]).not.toBe(keys?.[0]);
    expect(JSON.parse(only().body)).toMatchObject({ event: "reminder" });
  });

  it("previews the body that send signs and posts, naming the signature header but not the secret or header values", async () => {
    const { notifier } = await start({ headers: { Authorization: "Bearer 6f1e2d3c4b5a69788796a5b4" } });
    const notification: Notification = { ...firing, note: "a note" };
    const preview = notifier.preview?.(notification);
    await notifier.send(notification);
    expect(preview?.parts.map(({ name, kind }) => [name, kind])).toEqual([
      ["body", "json"],
      ["headers", "text"],
    ]);
    expect(preview?.parts[0]?.content).toBe(only().body);
    const headers = preview?.parts[1]?.content ?? "";
    expect(headers).toContain("x-tocsin-signature: sha256=");
    expect(headers).toContain("idempotency-key: 3f2a9c0d1e2b4a5c-tb9o0c:firing");
    expect(headers).toContain("Authorization: [value from tocsin.yaml]");
    for (const secret of [SECRET, "6f1e2d3c4b5a69788796a5b4"])
      expect(JSON.stringify(preview)).not.toContain(secret);
  });

  it("retries 408 and 503, but not 404 or a redirect, which it does not follow", async () => {
    const { notifier } = await start();
    const results: Array<[number, boolean | "ok"]> = [];
    for (const status of [408, 503, 404, 301]) {
      receiver?.answerNext({
        status,
        headers: status === 301 ? { location: "https://elsewhere.example/" } : {},
      });
      const result = await notifier.send(firing);
      results.push([status, result.ok ? "ok" : result.retryable]);
    }
    expect(results).toEqual([
      [408, true],
      [503, true],
      [404, false],
      [301, false],
    ]);
    expect(receiver?.requests).toHaveLength(4);
  });

  it("honours Retry-After given as an HTTP-date", async () => {
    const { notifier } = await start();
    receiver?.answerNext({ status: 503, headers: { "retry-after": new Date(NOW + 90_000).toUTCString() } });
    expect(await notifier.send(firing)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 90_000 });
  });

  it("keeps the secret, header values and the URL's path out of errors, even when the receiver echoes them", async () => {
    const token = "Bearer 6f1e2d3c4b5a69788796a5b4";
    const { notifier } = await start({ headers: { Authorization: token } });
    receiver?.answerNext(
      jsonAnswer(401, {
        error: `bad ${token} for /hooks/tocsin`,
        signed_with: SECRET,
        path: "/hooks/tocsin",
      }),
    );
    const result = await notifier.send(firing);
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (result.ok) return;
    expect(result.error).toMatch(/^webhook answered 401: /);
    for (const secret of [SECRET, token, "/hooks/tocsin"]) expect(result.error).not.toContain(secret);
  });

  it("reports a receiver that does not answer in time as retryable", async () => {
    const { notifier } = await start({ timeout: "150ms" });
    receiver?.answerNext({ status: 200, delayMs: 5_000 });
    expect(await notifier.send(firing)).toEqual({
      ok: false,
      retryable: true,
      error: "webhook did not answer within 150ms",
    });
  });

  it("refuses a config with an unknown key, credentials in the URL or a header Tocsin sets itself", () => {
    const parse = (config: object) => webhookNotifier.schema.safeParse(config).success;
    const base = { url: "https://hooks.example.com/tocsin", secret: SECRET };
    expect(parse(base)).toBe(true);
    expect(parse({ ...base, method: "PUT" })).toBe(false);
    expect(parse({ ...base, url: "https://user:pass@hooks.example.com/" })).toBe(false);
    expect(parse({ ...base, url: "file:///etc/passwd" })).toBe(false);
    expect(parse({ ...base, headers: { "X-Tocsin-Signature": "sha256=0" } })).toBe(false);
    expect(parse({ ...base, headers: { "Bad Name": "x" } })).toBe(false);
    expect(parse({ url: base.url })).toBe(false);
  });
});

describe("Retry-After", () => {
  it("reads delay-seconds and HTTP-dates, and ignores what is neither", () => {
    const now = Date.parse("2026-03-06T12:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7_000);
    expect(parseRetryAfter("Fri, 06 Mar 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Fri, 06 Mar 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
