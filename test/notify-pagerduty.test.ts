// The PagerDuty notifier against a local server speaking the PagerDuty Events v2 API: POST /v2/enqueue
// with JSON, 202 {status, message, dedup_key} when the event is valid, 400 "invalid event" when not.
import { afterEach, describe, expect, it } from "vitest";
import { pagerdutyNotifier } from "../src/notify/pagerduty.js";
import type { Answer, FakeHttpReceiver, RecordedRequest } from "./helpers/fake-http-receiver.js";
import { jsonAnswer, startFakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { HOSTILE, acknowledgedAlert, contractAlert, notifierContract } from "./helpers/notifier-contract.js";

const ROUTING_KEY = "R0UT1NGKEYd0e5n0t1eave7he5erver0";
/** contractAlert's episode: fingerprint 3f2a9c0d1e2b4a5c, active since 12:15 UTC. */
const KEY = "3f2a9c0d1e2b4a5c@2026-03-06T12:15:00.000Z";

/** What the Events v2 endpoint checks before it accepts an event (developer.pagerduty.com). */
function eventsV2(request: RecordedRequest): Answer {
  if (request.method !== "POST" || request.path !== "/v2/enqueue") return { status: 404 };
  const errors: string[] = [];
  let event: PagerDutyEvent;
  try {
    event = JSON.parse(request.body) as PagerDutyEvent;
  } catch {
    return jsonAnswer(400, { status: "invalid event", message: "Event object is invalid" });
  }
  if (request.headers["content-type"] !== "application/json") errors.push("Content-Type must be JSON");
  if (typeof event.routing_key !== "string" || event.routing_key.length !== 32)
    errors.push("bad routing_key");
  if (!["trigger", "acknowledge", "resolve"].includes(event.event_action)) errors.push("bad event_action");
  if (event.event_action === "trigger") {
    const payload = event.payload;
    if (!payload?.summary || payload.summary.length > 1024) errors.push("'payload.summary' is invalid");
    if (!payload?.source) errors.push("'payload.source' is missing");
    if (!["critical", "error", "warning", "info"].includes(payload?.severity ?? ""))
      errors.push("bad severity");
  } else if (!event.dedup_key) errors.push("'dedup_key' is required to " + event.event_action);
  if (Buffer.byteLength(request.body) > 512 * 1024) errors.push("event is too large");
  if (errors.length > 0)
    return jsonAnswer(400, { status: "invalid event", message: "Event object is invalid", errors });
  return jsonAnswer(202, { status: "success", message: "Event processed", dedup_key: event.dedup_key });
}

interface PagerDutyEvent {
  routing_key: string;
  event_action: string;
  dedup_key?: string;
  payload?: {
    summary: string;
    source: string;
    severity: string;
    timestamp: string;
    custom_details: Record<string, unknown>;
  };
  links?: Array<{ href: string; text: string }>;
  client?: string;
}

async function startPagerDuty(options: Record<string, unknown> = {}) {
  const receiver = await startFakeHttpReceiver(eventsV2);
  const config = pagerdutyNotifier.schema.parse({
    routing_key: ROUTING_KEY,
    events_url: `${receiver.url}/v2/enqueue`,
    ...options,
  });
  const notifier = pagerdutyNotifier.create(config, { name: "pagerduty" });
  const events = () => receiver.requests.map((request) => JSON.parse(request.body) as PagerDutyEvent);
  return { receiver, notifier, events };
}

/** The dotted paths of every string inside `value` that contains `needle`. */
function stringsContaining(value: unknown, needle: string, path = ""): string[] {
  if (typeof value === "string") return value.includes(needle) ? [path] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    stringsContaining(inner, needle, path ? `${path}.${key}` : key),
  );
}

notifierContract("PagerDuty (a local server speaking the PagerDuty Events v2 API)", {
  retryAfter: true,
  async start() {
    const { receiver, notifier } = await startPagerDuty();
    return {
      notifier,
      failNext: receiver.failNext,
      delivered: () => receiver.requests.map((request) => request.body),
      secret: ROUTING_KEY,
      stop: receiver.stop,
    };
  },
  // The event is JSON, so JSON escaping is what keeps strangers' text from changing its structure;
  // PagerDuty shows custom_details as text. What we guard ourselves: the summary (read out by phone
  // and SMS) and the links carry none of it; it travels only as custom_details string values (the
  // exact set for a trigger is pinned by the Events v2 shape test below).
  assertEscaped(payload) {
    const event = JSON.parse(payload) as PagerDutyEvent;
    expect(JSON.stringify(event)).toBe(payload);
    for (const path of stringsContaining(event, "evil"))
      expect(path).toMatch(/^payload\.custom_details\.\w+$/);
    expect(event.payload?.summary ?? "").not.toMatch(/[<>*]|@here|!channel/);
    expect(event.links ?? []).toEqual(
      event.payload ? [{ href: "https://wiki.example.com/runbooks/buzz", text: "runbook" }] : [],
    );
  },
  assertInThread(payload, first) {
    expect((JSON.parse(payload) as PagerDutyEvent).dedup_key).toBe(first.dedup_key);
  },
});

describe("PagerDuty notifier (a local server speaking the PagerDuty Events v2 API)", () => {
  let receiver: FakeHttpReceiver | undefined;
  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });
  const start = async (options: Record<string, unknown> = {}) => {
    const started = await startPagerDuty(options);
    receiver = started.receiver;
    return started;
  };

  it("triggers with the routing key, the episode's dedup_key and the alert's numbers in the Events v2 shape", async () => {
    const { notifier, events } = await start();
    const sent = await notifier.send({ event: "firing", alert: contractAlert({ severity: "warning" }) });
    expect(sent).toEqual({ ok: true, receipt: { dedup_key: KEY } });
    expect(receiver?.requests[0]).toMatchObject({ method: "POST", path: "/v2/enqueue" });
    expect(events()).toEqual([
      {
        routing_key: ROUTING_KEY,
        event_action: "trigger",
        dedup_key: KEY,
        payload: {
          summary:
            "[WARNING] NegativeBuzzSpike: brand=kryptonite channel=all team=comms — " +
            "Firing at 2026-03-06 12:15 UTC: 412 in the window, 8.9× the usual 46.2",
          source: "tocsin",
          severity: "warning",
          timestamp: "2026-03-06T12:15:00.000Z",
          custom_details: {
            event: "firing",
            rule: "negative-buzz/NegativeBuzzSpike",
            observed: "412",
            expected: "46.2",
            factor: "8.9×",
            p_value: "1.2e-30",
            since: "2026-03-06 12:15 UTC",
            labels: { brand: "kryptonite", channel: "all", team: "comms" },
            summary: `kryptonite: 412 negative mentions in 5 min; top post: ${HOSTILE}`,
            description: `People say: ${HOSTILE}`,
          },
        },
        links: [{ href: "https://wiki.example.com/runbooks/buzz", text: "runbook" }],
        client: "Tocsin",
      },
    ]);
  });

  it("maps each Tocsin severity to the PagerDuty severity of the same name", async () => {
    const { notifier, events } = await start();
    for (const severity of ["critical", "warning", "info"] as const) {
      expect((await notifier.send({ event: "firing", alert: contractAlert({ severity }) })).ok).toBe(true);
    }
    expect(events().map((event) => event.payload?.severity)).toEqual(["critical", "warning", "info"]);
  });

  it("re-triggers an escalation with the same dedup_key and severity critical, so PagerDuty updates the incident", async () => {
    const { notifier, events } = await start();
    const firing = await notifier.send({ event: "firing", alert: contractAlert({ severity: "warning" }) });
    if (!firing.ok) throw new Error(firing.error);
    const T = Date.parse("2026-03-06T12:25:00Z");
    const escalated = contractAlert({
      severity: "critical",
      last: { time: T - 300_000, value: 1480, expected: 47, factor: 31.5, score: 80 },
      history: [
        { at: Date.parse("2026-03-06T12:15:00Z"), event: "firing", severity: "warning", value: 412 },
        { at: T, event: "escalated", severity: "critical", value: 1480 },
      ],
    });
    const threaded = await notifier.send({
      event: "escalated",
      alert: escalated,
      thread: firing.receipt ?? {},
    });
    const unthreaded = await notifier.send({ event: "escalated", alert: escalated });
    expect(threaded).toEqual({ ok: true, receipt: { dedup_key: KEY } });
    expect(unthreaded).toEqual({ ok: true, receipt: { dedup_key: KEY } });
    const [, again] = events();
    expect(again).toMatchObject({
      event_action: "trigger",
      dedup_key: KEY,
      payload: { severity: "critical", timestamp: "2026-03-06T12:25:00.000Z" },
    });
    expect(again?.payload?.summary).toContain("[CRITICAL]");
    expect(again?.payload?.custom_details).toMatchObject({ event: "escalated", observed: "1,480" });
  });

  it("resolves the incident with the same dedup_key, preferring the one the first page's receipt holds", async () => {
    const { notifier, events } = await start();
    const resolvedAlert = contractAlert({
      state: "resolved",
      resolvedAt: Date.parse("2026-03-06T14:00:00Z"),
    });
    expect(await notifier.send({ event: "resolved", alert: resolvedAlert })).toEqual({
      ok: true,
      receipt: { dedup_key: KEY },
    });
    await notifier.send({
      event: "resolved",
      alert: resolvedAlert,
      thread: { dedup_key: "from-the-first-page" },
    });
    expect(events()).toEqual([
      { routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: KEY },
      { routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: "from-the-first-page" },
    ]);
  });

  it("acknowledges the incident with only routing_key, dedup_key and event_action, as Events v2 asks", async () => {
    const { notifier, events } = await start();
    const alert = acknowledgedAlert({ by: "alice", comment: "on it" });
    expect(await notifier.send({ event: "acknowledged", alert })).toEqual({
      ok: true,
      receipt: { dedup_key: KEY },
    });
    await notifier.send({ event: "acknowledged", alert, thread: { dedup_key: "from-the-first-page" } });
    expect(events()).toEqual([
      { routing_key: ROUTING_KEY, event_action: "acknowledge", dedup_key: KEY },
      { routing_key: ROUTING_KEY, event_action: "acknowledge", dedup_key: "from-the-first-page" },
    ]);
    expect(receiver?.requests.every((request) => request.path === "/v2/enqueue")).toBe(true);
  });

  it("makes no request for a reminder and answers with the incident's dedup_key", async () => {
    const { notifier } = await start();
    expect(await notifier.send({ event: "reminder", alert: contractAlert() })).toEqual({
      ok: true,
      receipt: { dedup_key: KEY },
    });
    expect(
      await notifier.send({ event: "reminder", alert: contractAlert(), thread: { dedup_key: "first" } }),
    ).toEqual({ ok: true, receipt: { dedup_key: "first" } });
    expect(receiver?.requests).toEqual([]);
  });

  it("puts Tocsin's note in custom_details and at the end of the summary when it is plain words and fits", async () => {
    const { notifier, events } = await start();
    const note = "silence s-12 ended; this alert still fires";
    await notifier.send({ event: "firing", alert: contractAlert(), note });
    await notifier.send({ event: "firing", alert: contractAlert(), note: HOSTILE });
    await notifier.send({ event: "firing", alert: contractAlert(), note: "x".repeat(1000) });
    const [plain, hostile, long] = events().map((event) => event.payload);
    expect(plain?.summary.endsWith(`46.2 — ${note}`)).toBe(true);
    expect(plain?.custom_details.note).toBe(note);
    // Markup and mentions stay out of what is read out by phone; the note still travels, as text.
    expect(hostile?.summary.endsWith("the usual 46.2")).toBe(true);
    expect(hostile?.custom_details.note).toBe(HOSTILE);
    expect(long?.summary.endsWith("the usual 46.2")).toBe(true);
  });

  it("previews the event that send posts, with the routing key replaced by a placeholder", async () => {
    const { notifier } = await start();
    for (const event of ["firing", "acknowledged", "resolved"] as const) {
      const notification = { event, alert: acknowledgedAlert({ by: "alice" }), note: "a note" };
      const preview = notifier.preview?.(notification);
      await notifier.send(notification);
      const sent = JSON.parse(receiver?.requests.at(-1)?.body ?? "{}") as PagerDutyEvent;
      expect(preview?.parts).toHaveLength(1);
      expect(preview?.parts[0]?.content).not.toContain(ROUTING_KEY);
      expect(JSON.parse(preview?.parts[0]?.content ?? "")).toEqual({ ...sent, routing_key: "[routing_key]" });
      expect(preview?.receipt).toEqual({ dedup_key: KEY });
    }
    expect(notifier.preview?.({ event: "reminder", alert: contractAlert() }).parts).toEqual([
      { name: "nothing sent", content: expect.stringContaining("escalation policy"), kind: "text" },
    ]);
  });

  it("opens a new incident for a new episode of the same series: a different activeAt is a different dedup_key", async () => {
    const { notifier, events } = await start();
    const later = Date.parse("2026-03-07T09:00:00Z");
    await notifier.send({ event: "firing", alert: contractAlert() });
    await notifier.send({ event: "firing", alert: contractAlert({ activeAt: later, firedAt: later }) });
    expect(events().map((event) => event.dedup_key)).toEqual([
      KEY,
      "3f2a9c0d1e2b4a5c@2026-03-07T09:00:00.000Z",
    ]);
  });

  it("keeps the summary within PagerDuty's 1024 characters, cut with an ellipsis", async () => {
    const { notifier, events } = await start();
    const alert = contractAlert({ labels: { brand: "k".repeat(3000) } });
    expect((await notifier.send({ event: "firing", alert })).ok).toBe(true);
    const summary = events()[0]?.payload?.summary ?? "";
    expect(summary).toHaveLength(1024);
    expect(summary.startsWith("[CRITICAL] NegativeBuzzSpike: brand=kkk")).toBe(true);
    expect(summary.endsWith("k…")).toBe(true);
  });

  it("renders a dedup_key template over rule, fingerprint, labels and episode_start", async () => {
    const { notifier, events } = await start({ dedup_key: "{{ rule }}/{{ brand }}/{{ episode_start }}" });
    const sent = await notifier.send({ event: "firing", alert: contractAlert() });
    const key = "negative-buzz/NegativeBuzzSpike/kryptonite/2026-03-06T12:15:00.000Z";
    expect(sent).toEqual({ ok: true, receipt: { dedup_key: key } });
    expect(events()[0]?.dedup_key).toBe(key);
  });

  it("keeps the routing key out of the error when PagerDuty quotes it back", async () => {
    const { notifier } = await start();
    receiver?.answerNext(
      jsonAnswer(400, { status: "invalid event", errors: [`routing_key ${ROUTING_KEY} is not enabled`] }),
    );
    const result = await notifier.send({ event: "firing", alert: contractAlert() });
    expect(result).toMatchObject({ ok: false, retryable: false });
    if (result.ok) return;
    expect(result.error).toContain("PagerDuty answered 400");
    expect(result.error).toContain("routing_key [redacted] is not enabled");
    expect(result.error).not.toContain(ROUTING_KEY);
  });

  it("reports a PagerDuty that does not answer in time as retryable", async () => {
    const { notifier } = await start({ timeout: "200ms" });
    receiver?.answerNext({ status: 202, delayMs: 5_000 });
    expect(await notifier.send({ event: "firing", alert: contractAlert() })).toEqual({
      ok: false,
      retryable: true,
      error: "PagerDuty did not answer within 200ms",
    });
  });

  it("refuses a config with an unknown key, a bad template or no routing key", () => {
    const parse = (config: object) => pagerdutyNotifier.schema.safeParse(config).success;
    expect(parse({ routing_key: ROUTING_KEY })).toBe(true);
    expect(parse({ routing_key: ROUTING_KEY, severity: "critical" })).toBe(false);
    expect(parse({ routing_key: ROUTING_KEY, dedup_key: "{{ rule | nope }}" })).toBe(false);
    expect(parse({ routing_key: ROUTING_KEY, events_url: "ftp://events.pagerduty.com" })).toBe(false);
    expect(parse({})).toBe(false);
    expect(pagerdutyNotifier.schema.parse({ routing_key: ROUTING_KEY })).toEqual({
      routing_key: ROUTING_KEY,
      events_url: "https://events.pagerduty.com/v2/enqueue",
      source: "tocsin",
      timeout: 10_000,
    });
  });
});
