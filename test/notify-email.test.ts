// The email notifier against a real SMTP server on loopback: the shared contract, then what only email
// has (headers, both bodies, threading, subjects, SMTP reply codes), read back with mailparser.
import type { ParsedMail } from "mailparser";
import { afterEach, describe, expect, it } from "vitest";
import { emailNotifier, isRetryable } from "../src/notify/email.js";
import type { Notification, Notifier } from "../src/notify/notifier.js";
import { acknowledgedAlert, contractAlert, HOSTILE, notifierContract } from "./helpers/notifier-contract.js";
import type { Failure } from "./helpers/notifier-contract.js";
import { startSmtpSink } from "./helpers/smtp-sink.js";
import type { SmtpSink } from "./helpers/smtp-sink.js";

const USER = "tocsin";
const PASSWORD = "s3cret-Pa55word!";
const FROM = "Tocsin <tocsin@alerts.example.com>";
const TO = ["comms@example.com", "oncall@example.com"];

/** The reply codes each failure of the contract stands for. */
const REPLY: Record<Exclude<Failure, "unreachable">, number> = {
  server_error: 451,
  bad_request: 550,
  rate_limited: 421,
};

function notifierFor(sink: SmtpSink, overrides: Record<string, unknown> = {}): Notifier {
  const config = emailNotifier.schema.parse({
    host: sink.host,
    port: sink.port,
    tls: "none",
    user: USER,
    password: PASSWORD,
    from: FROM,
    to: TO,
    connect_timeout: "2s",
    ...overrides,
  });
  return emailNotifier.create(config, { name: "email-test" });
}

/** Parsed mails by raw source, so the synchronous escaping check can read the decoded HTML part. */
const parsedByRaw = new Map<string, ParsedMail>();

notifierContract("email (real SMTP server on loopback)", {
  retryAfter: false,
  async start() {
    const sink = await startSmtpSink({ user: USER, password: PASSWORD });
    const notifier = notifierFor(sink);
    return {
      notifier,
      failNext(failure) {
        if (failure === "unreachable") void sink.stop();
        else sink.failNext(REPLY[failure]);
      },
      delivered: () =>
        sink.mails.map(({ raw, parsed }) => {
          parsedByRaw.set(raw, parsed);
          return raw;
        }),
      secret: PASSWORD,
      async stop() {
        await notifier.close?.();
        await sink.stop();
      },
    };
  },
  assertEscaped(raw) {
    const html = parsedByRaw.get(raw)?.html;
    expect(typeof html).toBe("string");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).not.toContain("<https://evil");
    expect(html).not.toContain("<!channel>");
    expect(raw.slice(0, raw.indexOf("\r\n\r\n"))).not.toContain("<script>");
  },
  assertInThread(raw, first) {
    const parsed = parsedByRaw.get(raw);
    expect(parsed?.inReplyTo).toBe(first.message_id);
    expect(parsed?.references).toBe(first.message_id);
  },
});

describe("email notifier", () => {
  let sink: SmtpSink | undefined;
  let notifier: Notifier | undefined;
  afterEach(async () => {
    await notifier?.close?.();
    await sink?.stop();
    notifier = undefined;
    sink = undefined;
  });
  const start = async (overrides: Record<string, unknown> = {}) => {
    sink = await startSmtpSink({ user: USER, password: PASSWORD });
    notifier = notifierFor(sink, overrides);
    return { sink, notifier };
  };
  const firing: Notification = { event: "firing", alert: contractAlert() };
  const resolvedAlert = contractAlert({ state: "resolved", resolvedAt: Date.parse("2026-03-06T14:00:00Z") });

  it("sends Subject, From, To and its own Message-ID, which is the receipt", async () => {
    const { sink, notifier } = await start();
    const sent = await notifier.send(firing);
    expect(sent).toMatchObject({ ok: true, receipt: { message_id: expect.stringMatching(/^<.+@.+>$/) } });
    const [mail] = sink.mails;
    if (!mail || !sent.ok) throw new Error("no mail");
    expect(mail.parsed.messageId).toBe(sent.receipt?.message_id);
    expect(mail.parsed.messageId).toMatch(
      /^<3f2a9c0d1e2b4a5c-tb9o0c\.firing\.[0-9a-f]+@alerts\.example\.com>$/,
    );
    expect(mail.parsed.from?.value).toEqual([{ name: "Tocsin", address: "tocsin@alerts.example.com" }]);
    const to = Array.isArray(mail.parsed.to) ? mail.parsed.to : [mail.parsed.to];
    expect(to.flatMap((list) => list?.value.map(({ address }) => address))).toEqual(TO);
    expect(mail.envelope.to).toEqual(TO);
    expect(mail.parsed.subject).toBe(
      "[Tocsin] CRITICAL NegativeBuzzSpike brand=kryptonite channel=all team=comms — firing: 412, 8.9× the usual 46.2",
    );
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.parsed.inReplyTo).toBeUndefined();
  });

  it("carries an HTML and a plain-text part with the headline, annotations, facts and links", async () => {
    const { sink, notifier } = await start();
    expect((await notifier.send(firing)).ok).toBe(true);
    const { parsed } = sink.mails[0] ?? {};
    const html = parsed?.html;
    const text = parsed?.text;
    if (typeof html !== "string" || text === undefined) throw new Error("a part is missing");
    for (const body of [html, text]) {
      expect(body).toContain("[CRITICAL] NegativeBuzzSpike: brand=kryptonite channel=all team=comms");
      expect(body).toContain("Firing at 2026-03-06 12:15 UTC: 412 in the window, 8.9× the usual 46.2");
      for (const label of ["Observed", "Expected", "Factor", "p-value", "Since", "Labels"]) {
        expect(body).toContain(label);
      }
      expect(body).toContain("1.2e-30");
    }
    expect(html).toMatch(/<th[^>]*>Observed<\/th><td[^>]*>412<\/td>/);
    expect(html).toContain('<a href="https://wiki.example.com/runbooks/buzz">runbook</a>');
    expect(html).toContain("People say: &lt;!channel&gt; @here &lt;script&gt;alert(1)&lt;/script&gt;");
    // The plain-text part is plain: the strangers' words as they were written, nothing escaped.
    expect(text).toContain(`People say: ${HOSTILE}`);
    expect(text).toContain("runbook: https://wiki.example.com/runbooks/buzz");
    expect(text).not.toContain("&lt;");
  });

  it("makes no tag or attribute of an annotation, and links only http(s) URLs, escaped", async () => {
    const { sink, notifier } = await start();
    const alert = contractAlert({
      annotations: {
        summary: `"><img src=x onerror=alert(1)> it's <b>bold</b> & loud`,
        dashboard_url: `https://grafana.example.com/d/x?a=1&b="><script>alert(1)</script>`,
        evil_url: "javascript:alert(1)",
      },
    });
    expect((await notifier.send({ event: "firing", alert })).ok).toBe(true);
    const html = sink.mails[0]?.parsed.html;
    if (typeof html !== "string") throw new Error("no HTML part");
    expect(html).toContain(
      "&quot;&gt;&lt;img src=x onerror=alert(1)&gt; it&#39;s &lt;b&gt;bold&lt;/b&gt; &amp; loud",
    );
    expect(html).not.toMatch(/<img|<b>|<script|javascript:/);
    const hrefs = [...html.matchAll(/<a href="([^"]*)">/g)].map((match) => match[1]);
    expect(hrefs).toEqual([
      "https://grafana.example.com/d/x?a=1&amp;b=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    ]);
  });

  it("threads the resolve under the first email: In-Reply-To, References and Re: its subject", async () => {
    const { sink, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("first email not sent");
    const resolved = await notifier.send({ event: "resolved", alert: resolvedAlert, thread: first.receipt });
    expect(resolved.ok).toBe(true);
    const [opening, reply] = sink.mails.map(({ parsed }) => parsed);
    if (!opening || !reply) throw new Error("two emails expected");
    expect(reply.inReplyTo).toBe(opening.messageId);
    expect(reply.references).toBe(opening.messageId);
    expect(reply.messageId).not.toBe(opening.messageId);
    const stable = "[Tocsin] CRITICAL NegativeBuzzSpike brand=kryptonite channel=all team=comms";
    expect(first.receipt.subject).toBe(stable);
    expect(opening.subject?.startsWith(`${stable} — `)).toBe(true);
    expect(reply.subject).toBe(`Re: ${stable} — resolved after peaking at 412, 8.9× the usual 46.2`);
  });

  it("threads an acknowledgement under the first email: In-Reply-To, References and a subject saying who acknowledged", async () => {
    const { sink, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("first email not sent");
    const alert = acknowledgedAlert({ by: "alice <alice@example.com>", comment: "on it <b>now</b>" });
    const acknowledged = await notifier.send({ event: "acknowledged", alert, thread: first.receipt });
    expect(acknowledged.ok).toBe(true);
    const [opening, reply] = sink.mails.map(({ parsed }) => parsed);
    if (!opening || !reply) throw new Error("two emails expected");
    expect(reply.inReplyTo).toBe(opening.messageId);
    expect(reply.references).toBe(opening.messageId);
    expect(reply.subject).toBe(
      "Re: [Tocsin] CRITICAL NegativeBuzzSpike brand=kryptonite channel=all team=comms — acknowledged by alice <alice@example.com>",
    );
    expect(reply.html).toContain(
      "alice &lt;alice@example.com&gt; at 2026-03-06 12:20 UTC — on it &lt;b&gt;now&lt;/b&gt;",
    );
    expect(reply.text).toContain(
      "Acknowledged: alice <alice@example.com> at 2026-03-06 12:20 UTC — on it <b>now</b>",
    );
  });

  it("replies to the first email with a reminder that says the alert still fires", async () => {
    const { sink, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("first email not sent");
    expect(
      (await notifier.send({ event: "reminder", alert: contractAlert(), thread: first.receipt })).ok,
    ).toBe(true);
    const reply = sink.mails[1]?.parsed;
    expect(reply?.inReplyTo).toBe(first.receipt.message_id);
    expect(reply?.subject).toBe(
      "Re: [Tocsin] CRITICAL NegativeBuzzSpike brand=kryptonite channel=all team=comms — still firing: 412, 8.9× the usual 46.2",
    );
    expect(reply?.text).toContain("Still firing since 2026-03-06 12:15 UTC: 412 in the window");
  });

  it("shows Tocsin's note as a paragraph under the headline, escaped in HTML and as written in text", async () => {
    const { sink, notifier } = await start();
    const note = "silence <s-12> ended & this alert still fires";
    expect((await notifier.send({ ...firing, note })).ok).toBe(true);
    const { html, text } = sink.mails[0]?.parsed ?? {};
    expect(html).toMatch(
      /<strong>Note:<\/strong> silence &lt;s-12&gt; ended &amp; this alert still fires<\/p>/,
    );
    expect(text).toContain(`46.2\n\nNote: ${note}\n`);
  });

  it("previews the subject, threading headers and both parts that send puts in the email", async () => {
    const { sink, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("first email not sent");
    const notification: Notification = {
      event: "acknowledged",
      alert: acknowledgedAlert({ by: "alice" }),
      note: "a note",
      thread: first.receipt,
    };
    const preview = notifier.preview?.(notification);
    await notifier.send(notification);
    const sent = sink.mails[1]?.parsed;
    const part = (name: string) => preview?.parts.find((candidate) => candidate.name === name)?.content;
    expect(preview?.parts.map(({ name, kind }) => [name, kind])).toEqual([
      ["subject", "text"],
      ["threading", "text"],
      ["text", "text"],
      ["html", "html"],
    ]);
    expect(part("subject")).toBe(sent?.subject);
    expect(part("threading")).toContain(`In-Reply-To: ${first.receipt.message_id}`);
    expect(part("text")).toBe(sent?.text);
    expect(part("html")).toBe(sent?.html);
    expect(preview?.receipt).toMatchObject({ subject: first.receipt.subject });
  });

  it("keeps the thread's subject when an escalation raises the severity", async () => {
    const { sink, notifier } = await start();
    const history = contractAlert().history.map((step) => ({ ...step, severity: "warning" as const }));
    const first = await notifier.send({
      event: "firing",
      alert: contractAlert({ severity: "warning", history }),
    });
    if (!first.ok || !first.receipt) throw new Error("first email not sent");
    const escalated = contractAlert({ history: [...history, { ...history[0]!, event: "escalated" }] });
    await notifier.send({ event: "escalated", alert: escalated, thread: first.receipt });
    expect(sink.mails[1]?.parsed.subject).toBe(
      "Re: [Tocsin] WARNING NegativeBuzzSpike brand=kryptonite channel=all team=comms — escalated to CRITICAL: 412, 8.9× the usual 46.2",
    );
  });

  it("keeps subjects on one line and under 150 characters, with the same stable part in every reply", async () => {
    const { sink, notifier } = await start({ subject_prefix: "[Tocsin prod]" });
    const labels = { brand: "kryptonite\r\nBcc: victim@example.com", region: "x".repeat(200) };
    const alert = contractAlert({ name: "Negative\nBuzz", labels });
    const first = await notifier.send({ event: "firing", alert });
    if (!first.ok || !first.receipt) throw new Error("first email not sent");
    await notifier.send({ event: "resolved", alert: { ...alert, state: "resolved" }, thread: first.receipt });
    const subjects = sink.mails.map(({ parsed }) => parsed.subject ?? "");
    expect(subjects).toHaveLength(2);
    for (const subject of subjects) {
      expect([...subject].length).toBeLessThanOrEqual(150);
      expect(subject).not.toMatch(/[\r\n]/);
      expect(subject).toContain(
        "[Tocsin prod] CRITICAL Negative Buzz brand=kryptonite Bcc: victim@example.com",
      );
    }
    expect(subjects[1]?.startsWith(`Re: ${first.receipt.subject}`)).toBe(true);
    expect(sink.mails.every(({ parsed }) => parsed.bcc === undefined && !parsed.headers.has("bcc"))).toBe(
      true,
    );
    expect(sink.mails.every(({ envelope }) => !envelope.to.includes("victim@example.com"))).toBe(true);
  });

  it.each([421, 450, 451, 452])("reports SMTP %i as retryable", async (code) => {
    const { sink, notifier } = await start();
    sink.failNext(code);
    const result = await notifier.send(firing);
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (!result.ok) expect(result.error).toContain(String(code));
    // The pool gets over it: the next email goes through.
    expect((await notifier.send(firing)).ok).toBe(true);
  });

  it.each([550, 553, 554])("reports SMTP %i as not retryable", async (code) => {
    const { sink, notifier } = await start();
    sink.failNext(code);
    expect(await notifier.send(firing)).toMatchObject({ ok: false, retryable: false });
  });

  it("reports a message refused after DATA by its reply code", async () => {
    const { sink, notifier } = await start();
    sink.failNext(554, "data");
    expect(await notifier.send(firing)).toMatchObject({ ok: false, retryable: false });
    sink.failNext(451, "data");
    expect(await notifier.send(firing)).toMatchObject({ ok: false, retryable: true });
    expect((await notifier.send(firing)).ok).toBe(true);
  });

  it("reports a failed login (535) as not retryable, without the password in the error", async () => {
    const { notifier } = await start({ password: "wrong-Pa55word!" });
    const result = await notifier.send(firing);
    expect(result).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining("535") });
    if (result.ok) return;
    expect(result.error).not.toContain("wrong-Pa55word!");
    expect(result.error).not.toContain(Buffer.from("\u0000tocsin\u0000wrong-Pa55word!").toString("base64"));
  });

  it("reports a stopped server as retryable, naming host and port but no credential", async () => {
    const { sink, notifier } = await start();
    await sink.stop();
    const result = await notifier.send(firing);
    expect(result).toMatchObject({ ok: false, retryable: true });
    if (result.ok) return;
    expect(result.error).toContain(`127.0.0.1:${sink.port}`);
    expect(result.error).not.toContain(PASSWORD);
    expect(result.error).not.toContain(USER + ":");
  });

  it("reuses one pooled connection for consecutive emails", async () => {
    const { sink, notifier } = await start();
    for (let i = 0; i < 5; i += 1) expect((await notifier.send(firing)).ok).toBe(true);
    expect(sink.mails).toHaveLength(5);
    expect(sink.connections).toBe(1);
  });
});

describe("email notifier config", () => {
  const base = { host: "smtp.example.com", from: "tocsin@example.com", to: "comms@example.com" };

  it("fills the defaults: STARTTLS, pooled, [Tocsin] prefix, one recipient as a list", () => {
    expect(emailNotifier.schema.parse(base)).toEqual({
      ...base,
      to: ["comms@example.com"],
      tls: "starttls",
      subject_prefix: "[Tocsin]",
      pool: true,
      connect_timeout: 10_000,
      socket_timeout: 60_000,
    });
  });

  it("rejects unknown keys, a user without a password and a bare-number timeout", () => {
    expect(emailNotifier.schema.safeParse({ ...base, smtp_url: "smtp://a:b@c" }).success).toBe(false);
    expect(emailNotifier.schema.safeParse({ ...base, user: "tocsin" }).success).toBe(false);
    expect(emailNotifier.schema.safeParse({ ...base, connect_timeout: 10 }).success).toBe(false);
    expect(emailNotifier.schema.safeParse({ ...base, to: [] }).success).toBe(false);
  });

  it("classes SMTP replies: 4yz and lost connections retry, 5yz and auth failures do not", () => {
    expect(isRetryable({ code: "ECONNECTION" })).toBe(true);
    expect(isRetryable({ code: "ETIMEDOUT" })).toBe(true);
    expect(isRetryable({ code: "EAUTH", responseCode: 535 })).toBe(false);
    expect(isRetryable({ code: "EAUTH", responseCode: 454 })).toBe(true);
    expect(isRetryable({ code: "ENOAUTH" })).toBe(false);
    expect(isRetryable({ code: "EENVELOPE", responseCode: 503 })).toBe(true);
  });
});
