// The suite every Notifier passes (style.md: shared contract tests): success with a receipt that
// threads the next messages (resolve, acknowledgement, reminder), retryable versus fatal failures,
// Retry-After honoured, no secret in errors, and hostile text — the mention text of issue 4, Tocsin's
// note, an operator's acknowledgement — never reaching the channel unescaped.
import { afterEach, describe, expect, it } from "vitest";
import type { Alert, Explanation } from "../../src/model/index.js";
import type { Notification, Notifier, Receipt } from "../../src/notify/notifier.js";

/** Written by strangers: must reach no channel as markup, mention or link. */
export const HOSTILE = "<!channel> @here <script>alert(1)</script> *bold* <https://evil|click>";

export function contractAlert(overrides: Partial<Alert> = {}): Alert {
  const t = Date.parse("2026-03-06T12:10:00Z");
  const measure = { time: t, value: 412, expected: 46.2, factor: 8.92, score: 30, pValue: 1.2e-30 };
  return {
    id: "3f2a9c0d1e2b4a5c-tb9o0c",
    fingerprint: "3f2a9c0d1e2b4a5c",
    rule: "negative-buzz/NegativeBuzzSpike",
    name: "NegativeBuzzSpike",
    labels: { brand: "kryptonite", channel: "all", team: "comms" },
    state: "firing",
    severity: "critical",
    activeAt: t + 300_000,
    firedAt: t + 300_000,
    last: measure,
    peak: measure,
    annotations: {
      summary: `kryptonite: 412 negative mentions in 5 min; top post: ${HOSTILE}`,
      description: `People say: ${HOSTILE}`,
      runbook_url: "https://wiki.example.com/runbooks/buzz",
    },
    flapping: false,
    history: [{ at: t + 300_000, event: "firing", severity: "critical", value: 412 }],
    ...overrides,
  };
}

/** An explanation whose terms, posts, authors and links were all written by strangers. */
export function hostileExplanation(): Explanation {
  const t = Date.parse("2026-03-06T12:10:00Z");
  const engagement = { likes: 900, shares: 40, comments: 12 };
  return {
    computedAt: t + 300_000,
    plain: "412 negative mentions in 5 min, about 9× the usual 46 for a Friday afternoon (UTC)",
    terms: [
      { term: HOSTILE, count: 40, baseline: 0, g2: 120 },
      { term: "#lockgate", count: 30, baseline: 1, g2: 80 },
    ],
    posts: [
      {
        id: "p1",
        channel: "forum",
        time: t,
        url: "https://forum.example/t/1?a=1&b=<!channel>|evil",
        author: HOSTILE,
        followers: 12,
        engagement,
        text: `Look: ${HOSTILE}`,
      },
      // Not an http(s) link: must reach no channel as a link.
      { id: "p2", channel: "blog", time: t, url: "javascript:alert(1)", engagement, text: HOSTILE },
    ],
    spread: {
      channels: [{ channel: "forum", negative: 300 }],
      joined: [{ channel: "forum", at: t }],
      authors: 200,
      newAuthorShare: 0.9,
      influencers: [{ name: HOSTILE, followers: 2_400_000, channel: "twitter" }],
    },
  };
}

export type Failure = "server_error" | "bad_request" | "rate_limited" | "unreachable";

/** What a channel's test harness provides to the shared suite. */
export interface ContractHarness {
  /** Starts the local server that speaks the channel's protocol and a notifier aimed at it. */
  start(): Promise<{
    notifier: Notifier;
    /** Makes the next request fail this way (rate_limited answers Retry-After: 7 where the protocol has it). */
    failNext(failure: Failure): void;
    /** Everything the channel received, as text, for escaping checks. */
    delivered(): string[];
    /** The secret configured (token, password, routing key…): must never appear in an error. */
    secret: string;
    stop(): Promise<void>;
  }>;
  /** The protocol can ask for a delay (HTTP 429 Retry-After); SMTP cannot. */
  retryAfter: boolean;
  /** Asserts the hostile text arrived neutralised in one delivered payload. */
  assertEscaped(payload: string): void;
  /** Asserts a delivered payload belongs to the incident whose first message earned `first`. */
  assertInThread(payload: string, first: Receipt): void;
}

const ACKNOWLEDGED_AT = Date.parse("2026-03-06T12:20:00Z");

/** The alert once a person acknowledged it. */
export const acknowledgedAlert = (acknowledgement: { by: string; comment?: string }): Alert =>
  contractAlert({ acknowledged: { at: ACKNOWLEDGED_AT, ...acknowledgement } });

export function notifierContract(name: string, harness: ContractHarness): void {
  describe(`${name} notifier contract`, () => {
    let stop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });
    const start = async () => {
      const running = await harness.start();
      stop = running.stop;
      return running;
    };
    const firing: Notification = { event: "firing", alert: contractAlert() };

    it("delivers a page and returns a receipt that the resolve can thread under", async () => {
      const { notifier, delivered } = await start();
      const sent = await notifier.send(firing);
      expect(sent.ok).toBe(true);
      if (!sent.ok) return;
      expect(sent.receipt).toBeDefined();
      const resolved = await notifier.send({
        event: "resolved",
        alert: contractAlert({ state: "resolved", resolvedAt: Date.parse("2026-03-06T14:00:00Z") }),
        ...(sent.receipt ? { thread: sent.receipt } : {}),
      });
      expect(resolved.ok).toBe(true);
      expect(delivered().length).toBeGreaterThanOrEqual(2);
    });

    it("reports a server error as retryable", async () => {
      const { notifier, failNext } = await start();
      failNext("server_error");
      expect(await notifier.send(firing)).toMatchObject({ ok: false, retryable: true });
    });

    it("reports a refused request as not retryable", async () => {
      const { notifier, failNext } = await start();
      failNext("bad_request");
      expect(await notifier.send(firing)).toMatchObject({ ok: false, retryable: false });
    });

    it("reports rate limiting as retryable, with the delay the channel asked for", async () => {
      const { notifier, failNext } = await start();
      failNext("rate_limited");
      const result = await notifier.send(firing);
      expect(result).toMatchObject({ ok: false, retryable: true });
      if (harness.retryAfter && !result.ok) expect(result.retryAfterMs).toBe(7_000);
    });

    it("reports an unreachable channel as retryable, without the secret in the error", async () => {
      const { notifier, failNext, secret } = await start();
      failNext("unreachable");
      const result = await notifier.send(firing);
      expect(result).toMatchObject({ ok: false, retryable: true });
      if (!result.ok) expect(result.error).not.toContain(secret);
    });

    it("never lets a stranger's text reach the channel unescaped", async () => {
      const { notifier, delivered } = await start();
      expect((await notifier.send(firing)).ok).toBe(true);
      const payloads = delivered();
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads) harness.assertEscaped(payload);
    });

    it("threads an acknowledgement and a reminder under the first message's receipt", async () => {
      const { notifier, delivered } = await start();
      const first = await notifier.send(firing);
      if (!first.ok || !first.receipt) throw new Error("the first page earned no receipt");
      const before = delivered().length;
      const alert = acknowledgedAlert({ by: "alice", comment: "on it" });
      for (const event of ["acknowledged", "reminder"] as const) {
        expect(await notifier.send({ event, alert, thread: first.receipt })).toMatchObject({ ok: true });
      }
      const later = delivered().slice(before);
      expect(later.length).toBeGreaterThan(0);
      for (const payload of later) harness.assertInThread(payload, first.receipt);
    });

    it("never lets hostile text in Tocsin's note or an operator's acknowledgement reach the channel unescaped", async () => {
      const { notifier, delivered } = await start();
      // The annotations are harmless here: whatever hostile text arrives came from note, by or comment.
      const annotations = { runbook_url: "https://wiki.example.com/runbooks/buzz" };
      const first = await notifier.send({
        event: "firing",
        alert: contractAlert({ annotations }),
        note: HOSTILE,
      });
      if (!first.ok) throw new Error(first.error);
      const alert = { ...acknowledgedAlert({ by: HOSTILE, comment: HOSTILE }), annotations };
      for (const event of ["acknowledged", "reminder"] as const) {
        const sent = await notifier.send({
          event,
          alert,
          note: HOSTILE,
          ...(first.receipt && { thread: first.receipt }),
        });
        expect(sent.ok).toBe(true);
      }
      const payloads = delivered();
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads) harness.assertEscaped(payload);
    });

    it("never lets hostile text or links in an alert's explanation (terms, posts, authors) reach the channel unescaped", async () => {
      const { notifier, delivered } = await start();
      const annotations = { runbook_url: "https://wiki.example.com/runbooks/buzz" };
      const alert = contractAlert({ annotations, explanation: hostileExplanation() });
      const first = await notifier.send({ event: "firing", alert });
      if (!first.ok) throw new Error(first.error);
      const sent = await notifier.send({
        event: "escalated",
        alert,
        ...(first.receipt && { thread: first.receipt }),
      });
      expect(sent.ok).toBe(true);
      const payloads = delivered();
      expect(payloads.length).toBeGreaterThan(0);
      for (const payload of payloads) {
        harness.assertEscaped(payload);
        expect(payload).not.toMatch(/href=\\?"javascript:/);
        expect(payload).not.toContain("<javascript:");
      }
    });
  });
}
