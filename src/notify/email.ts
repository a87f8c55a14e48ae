// "email": pages by SMTP through nodemailer, one HTML + plain-text email per alert event. The first
// email of an episode is the thread: later ones (escalation, acknowledgement, reminder, resolution)
// answer it (In-Reply-To and References, RFC 5322 §3.6.4) under "Re: " and the same stable subject,
// which is what Gmail, Outlook and Thunderbird group on.
// SMTP replies map to the Notifier contract by class (RFC 5321 §4.2.1): 4yz is transient, 5yz is not.
import { randomBytes } from "node:crypto";
import type { NodemailerError, SendMailOptions, Transporter } from "nodemailer";
import { z } from "zod";
import type { Alert } from "../model/index.js";
import { durationField } from "../util/schema-fields.js";
import { renderHtml, renderText } from "./email-html.js";
import { formatNumber } from "./format.js";
import { buildMessage, measureOf } from "./message.js";
import type { Notification, Notifier, NotifierDefinition, Preview, Receipt, SendResult } from "./notifier.js";

/** Long enough for name, labels and numbers; short enough for an inbox list and a phone. */
const SUBJECT_CHARS = 150;
/** The part of the subject that names the incident; cut at a fixed length so every reply repeats it. */
const STABLE_CHARS = 100;

const timeout = (fallback: string, what: string) =>
  durationField({ what: "a timeout", allowZero: false }).prefault(fallback).describe(what);

const schema = z
  .strictObject({
    host: z.string().min(1).describe("SMTP server (relay or submission service) host name or address."),
    port: z
      .number()
      .int()
      .min(1)
      .max(65_535)
      .optional()
      .describe("SMTP port. Default: 465 when tls is implicit, 587 otherwise."),
    tls: z
      .enum(["starttls", "implicit", "none"])
      .default("starttls")
      .describe(
        "starttls: upgrade with STARTTLS and refuse a server that cannot (port 587); implicit: TLS from the first byte (port 465); none: plain text, only for a relay on the same host or network (the password would travel in clear).",
      ),
    user: z
      .string()
      .min(1)
      .optional()
      .describe("SMTP AUTH user name; leave user and password out for a relay."),
    password: z
      .string()
      .min(1)
      .optional()
      .describe("SMTP AUTH password. A secret: write it as ${SMTP_PASSWORD}."),
    from: z.string().min(3).describe('Sender, e.g. "Tocsin <tocsin@example.com>".'),
    to: z
      .union([z.string().min(3), z.array(z.string().min(3)).min(1)])
      .transform((to) => (Array.isArray(to) ? to : [to]))
      .describe("Recipient address or list of addresses."),
    subject_prefix: z
      .string()
      .max(40)
      .default("[Tocsin]")
      .describe("Put at the start of every subject, for mail filters."),
    pool: z
      .boolean()
      .default(true)
      .describe("Keep SMTP connections open between emails (a burst of alerts then costs one handshake)."),
    connect_timeout: timeout("10s", "How long to wait for the TCP connection and the server's greeting."),
    socket_timeout: timeout("60s", "How long a connection may stay silent in the middle of a send."),
  })
  .refine((config) => (config.user === undefined) === (config.password === undefined), {
    message: "user and password go together: give both for SMTP AUTH, or neither for a relay",
    path: ["password"],
  });

export type EmailConfig = z.output<typeof schema>;

export const emailNotifier: NotifierDefinition<typeof schema> = {
  type: "email",
  description:
    "Emails each alert event by SMTP; later events of the incident reply in the first email's thread.",
  schema,
  create: (config, { name }) => new EmailNotifier(config, name),
};

/** nodemailer's options, with the parts a preview shows always there and always strings. */
interface AlertEmail extends SendMailOptions {
  messageId: string;
  subject: string;
  inReplyTo?: string;
  text: string;
  html: string;
}

/** The email of one notification and the receipt it earns: what send sends and preview shows. */
export function buildEmail(
  config: EmailConfig,
  notification: Notification,
): { mail: AlertEmail; receipt: Receipt } {
  const { event, alert, thread } = notification;
  const message = buildMessage(notification);
  const parent = thread?.message_id !== undefined && isMessageId(thread.message_id) ? thread : undefined;
  const stable = parent?.subject !== undefined ? oneLine(parent.subject) : stableSubject(config, alert);
  // The sender's domain on the right-hand side makes our Message-IDs globally unique.
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(config.from)?.[1] ?? "tocsin";
  const messageId = `<${token(alert.id)}.${event}.${randomBytes(6).toString("hex")}@${domain}>`;
  const mail: AlertEmail = {
    from: config.from,
    to: config.to,
    subject: cut(`${parent ? "Re: " : ""}${stable} — ${oneLine(status(notification))}`, SUBJECT_CHARS),
    messageId,
    ...(parent ? { inReplyTo: parent.message_id, references: parent.message_id } : {}),
    // RFC 3834: a machine wrote this; vacation responders must not answer it.
    headers: { "Auto-Submitted": "auto-generated", "X-Tocsin-Alert": token(alert.id) },
    text: renderText(message),
    html: renderHtml(message),
  };
  return { mail, receipt: { message_id: messageId, subject: stable } };
}

class EmailNotifier implements Notifier {
  readonly name: string;
  private readonly config: EmailConfig;
  private readonly port: number;
  /** nodemailer is loaded with the first email, not when the config is validated. */
  private transport: Promise<Transporter> | undefined;

  constructor(config: EmailConfig, name: string) {
    this.config = config;
    this.name = name;
    this.port = config.port ?? (config.tls === "implicit" ? 465 : 587);
  }

  async send(notification: Notification): Promise<SendResult> {
    const { mail, receipt } = buildEmail(this.config, notification);
    try {
      await (await this.transporter()).sendMail(mail);
      return { ok: true, receipt };
    } catch (error) {
      return this.failure(error as NodemailerError);
    }
  }

  preview(notification: Notification): Preview {
    const { mail, receipt } = buildEmail(this.config, notification);
    const threading = [
      `Message-ID: ${mail.messageId}`,
      ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`, `References: ${mail.inReplyTo}`] : []),
    ];
    return {
      channel: "email",
      parts: [
        { name: "subject", content: mail.subject, kind: "text" },
        { name: "threading", content: threading.join("\n"), kind: "text" },
        { name: "text", content: mail.text, kind: "text" },
        { name: "html", content: mail.html, kind: "html" },
      ],
      receipt,
    };
  }

  async close(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    if (transport) (await transport.catch(() => undefined))?.close();
  }

  private transporter(): Promise<Transporter> {
    const { config } = this;
    this.transport ??= import("nodemailer").then(({ createTransport }) =>
      createTransport({
        host: config.host,
        port: this.port,
        secure: config.tls === "implicit",
        requireTLS: config.tls === "starttls",
        ignoreTLS: config.tls === "none",
        ...(config.user !== undefined && config.password !== undefined
          ? { auth: { user: config.user, pass: config.password } }
          : {}),
        pool: config.pool,
        connectionTimeout: config.connect_timeout,
        greetingTimeout: config.connect_timeout,
        socketTimeout: config.socket_timeout,
        // The emails are built from our own strings: never let a field name a file or URL to fetch.
        disableFileAccess: true,
        disableUrlAccess: true,
        logger: false,
      }),
    );
    return this.transport;
  }

  private failure(error: NodemailerError): SendResult {
    const what = [error.code, error.message || String(error)].filter(Boolean).join(" ");
    return {
      ok: false,
      retryable: isRetryable(error),
      error: this.redact(`smtp ${this.config.host}:${this.port}: ${what}`),
    };
  }

  /** The password, and the AUTH PLAIN token that carries it, never reach a log. */
  private redact(text: string): string {
    const { user, password } = this.config;
    if (password === undefined) return text;
    const secrets = [
      Buffer.from(`\u0000${user ?? ""}\u0000${password}`).toString("base64"),
      Buffer.from(password).toString("base64"),
      password,
    ];
    return secrets.reduce((out, secret) => out.split(secret).join("***"), text);
  }
}

// Errors without an SMTP reply that no retry will cure: our config or our message is wrong.
const FATAL_CODES = new Set([
  "EAUTH",
  "ENOAUTH",
  "ECONFIG",
  "EENVELOPE",
  "EMESSAGE",
  "EREQUIRETLS",
  "EMAXRECIPIENTS",
  "EFILEACCESS",
  "EURLACCESS",
]);

/**
 * 4yz replies (421 closing, 450/451/452 mailbox busy, local error, no storage) are transient;
 * 5yz (550 refused, 553 bad address, 554 failed, 535 authentication failed) are permanent, except
 * 503 bad sequence, which a new connection clears (as nodemailer's isPermanentResponseCode).
 * No reply at all (refused, reset, timed out) is a connection problem: try again later.
 */
export function isRetryable(error: Pick<NodemailerError, "code" | "responseCode">): boolean {
  const reply = error.responseCode;
  if (reply !== undefined && reply >= 400) return reply < 500 || reply === 503;
  return !FATAL_CODES.has(error.code ?? "");
}

function stableSubject(config: Pick<EmailConfig, "subject_prefix">, alert: Alert): string {
  const labels = Object.entries(alert.labels).map(([name, value]) => `${name}=${value}`);
  // The severity the episode first fired at: an escalation keeps the thread's subject.
  const first = alert.history.find((step) => step.event === "firing")?.severity ?? alert.severity;
  const words = [config.subject_prefix, first.toUpperCase(), alert.name, ...labels];
  return cut(oneLine(words.filter(Boolean).join(" ")), STABLE_CHARS);
}

function status(notification: Notification): string {
  const { event, alert } = notification;
  const measure = measureOf(notification);
  const numbers = `${formatNumber(measure.value)}, ${formatNumber(measure.factor)}× the usual ${formatNumber(measure.expected)}`;
  switch (event) {
    case "firing":
      return `firing: ${numbers}`;
    case "escalated":
      return `escalated to ${alert.severity.toUpperCase()}: ${numbers}`;
    case "resolved":
      return `resolved after peaking at ${numbers}`;
    case "acknowledged":
      return alert.acknowledged ? `acknowledged by ${alert.acknowledged.by}` : "acknowledged";
    case "reminder":
      return `still firing: ${numbers}`;
  }
}

/** Control characters and line separators: a header value must not carry a line break. */
// eslint-disable-next-line no-control-regex
const BREAKS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** One line of printable text. */
const oneLine = (text: string): string => text.replace(BREAKS, " ").replace(/\s+/g, " ").trim();

/** At most `max` characters (code points), with an ellipsis when cut. */
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}

/** The alert id as Message-ID atom text (RFC 5322 dot-atom-text, without dots). */
const token = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "alert";

const isMessageId = (text: string): boolean => /^<[^<>\s@]+@[^<>\s@]+>$/.test(text);
