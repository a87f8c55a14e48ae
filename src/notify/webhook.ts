// "webhook": every alert event POSTed as signed JSON to a URL of the operator's choosing.
//
//   POST <url>
//   Content-Type: application/json
//   X-Tocsin-Timestamp: 1772799300                 (unix seconds when it was signed)
//   X-Tocsin-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
//   Idempotency-Key: <alert id>:<event>[:<n>]      (the same on every retry of one page, and when a
//                                                   restart makes the same decision again; n numbers
//                                                   an episode's escalations and reminders)
//   {"version":1,"event":"firing"|"escalated"|"acknowledged"|"reminder"|"resolved","note":"…",
//    "alert":{…},"message":{…}}
//
// `alert` is the Alert without its `history` (the event itself is the transition; keeps the body
// bounded), with `acknowledged: {by, at, comment}` once a person took it in hand; `note`, when there
// is one, is Tocsin's own line about this page; `message` is buildMessage's channel-neutral text.
// `alert.explanation` (and `message.why`, its text form) says why the alert fires: emerging terms,
// top posts (strangers' text and links, http(s) only), spread by channel, influencers.
// To verify, on the raw bytes as they arrived, before parsing them (Node):
//
//   const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
//   const good = signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
//
// then refuse timestamps more than a few minutes from your own clock (replays), and drop an
// Idempotency-Key already seen (our retries). Texts are sent as written: summary and description may
// quote strangers' posts verbatim, HTML, Slack markup and links included, and so may note and the
// acknowledgement's by and comment (typed by operators). JSON escaping keeps them plain string
// values; escaping them for wherever they are displayed is the receiver's job.
import { createHmac } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../util/clock.js";
import { systemClock } from "../util/clock.js";
import { durationField } from "../util/schema-fields.js";
import { postHttp } from "./http-result.js";
import { buildMessage } from "./message.js";
import type { Notification, Notifier, NotifierDefinition, Preview, SendResult } from "./notifier.js";

/** Headers Tocsin sets itself; configuring them would break the signature or the JSON. */
const RESERVED = [
  "content-type",
  "content-length",
  "host",
  "x-tocsin-signature",
  "x-tocsin-timestamp",
  "idempotency-key",
];
/** An HTTP field name (RFC 9110 §5.1). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const schema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .refine((url) => !/^[a-z]+:\/\/[^/?#]*@/i.test(url), "put credentials in headers, not in the URL")
    .describe("Where to POST each alert event (http or https); redirects are not followed."),
  secret: z
    .string()
    .min(1)
    .describe(
      "Key of the HMAC-SHA256 signature in X-Tocsin-Signature, shared with the receiver. A secret: write it as ${WEBHOOK_SECRET}.",
    ),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, "expected an HTTP header name"),
      z.string().regex(/^[^\r\n]*$/, "a header value cannot contain a line break"),
    )
    .refine((headers) => Object.keys(headers).every((name) => !RESERVED.includes(name.toLowerCase())), {
      message: `these headers are set by Tocsin: ${RESERVED.join(", ")}`,
    })
    .default({})
    .describe("Extra request headers, e.g. Authorization; their values are kept out of errors."),
  timeout: durationField({ what: "a timeout", allowZero: false })
    .prefault("10s")
    .describe("How long to wait for the receiver's answer before reporting a retryable failure."),
});

type Config = z.output<typeof schema>;

export const webhookNotifier: NotifierDefinition<typeof schema> = {
  type: "webhook",
  description: "POSTs each alert event as JSON signed with HMAC-SHA256 to a URL.",
  schema,
  create: (config, { name }) => new WebhookNotifier(config, name),
};

export class WebhookNotifier implements Notifier {
  readonly name: string;
  private readonly config: Config;
  /** The wall clock even in replays: receivers compare the timestamp with theirs. */
  private readonly clock: Clock;
  private readonly secrets: string[];

  constructor(config: Config, name: string, clock: Clock = systemClock) {
    this.name = name;
    this.config = config;
    this.clock = clock;
    // Header values (Authorization…) and the path and query of the URL, often a webhook's only
    // credential (Slack, Teams, Zapier); short ones are not secrets and would garble every error.
    const url = new URL(config.url);
    const guarded = [...Object.values(config.headers), `${url.pathname}${url.search}`];
    this.secrets = [config.secret, ...guarded.filter((text) => text.length >= 8)];
  }

  async send(notification: Notification): Promise<SendResult> {
    const timestamp = String(Math.floor(this.clock.now() / 1000));
    const { body, headers } = webhookRequest(notification);
    return postHttp({
      service: "webhook",
      url: this.config.url,
      headers: {
        ...this.config.headers,
        ...headers,
        "x-tocsin-timestamp": timestamp,
        "x-tocsin-signature": `sha256=${sign(this.config.secret, timestamp, body)}`,
      },
      body,
      timeoutMs: this.config.timeout,
      secrets: this.secrets,
      now: () => this.clock.now(),
      receipt: (status) => ({ status: String(status) }),
    });
  }

  preview(notification: Notification): Preview {
    const { body, headers } = webhookRequest(notification);
    const lines = [
      ...Object.keys(this.config.headers).map((name) => `${name}: [value from tocsin.yaml]`),
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      "x-tocsin-timestamp: [unix seconds when sent]",
      "x-tocsin-signature: sha256=[hex HMAC-SHA256 of the secret over timestamp.body]",
    ];
    return {
      channel: "webhook",
      parts: [
        { name: "body", content: body, kind: "json" },
        { name: "headers", content: lines.join("\n"), kind: "text" },
      ],
    };
  }
}

/** The body and the unsigned headers of one event: what send signs and posts, and preview shows. */
export function webhookRequest(notification: Notification): {
  body: string;
  headers: Record<string, string>;
} {
  const { event, alert, note } = notification;
  const { history: _history, ...episode } = alert;
  const body = JSON.stringify({
    version: 1,
    event,
    ...(note ? { note } : {}),
    alert: episode,
    message: buildMessage(notification),
  });
  // Reminders and escalations of one episode are several pages: without their number in the key, a
  // receiver dropping seen keys would drop every one after the first. Pages made outside the
  // dispatcher (`tocsin notify test`) have no key and are numbered here.
  const key = notification.key ?? fallbackKey(notification);
  return { body, headers: { "content-type": "application/json", "idempotency-key": key } };
}

function fallbackKey({ event, alert }: Notification): string {
  if (event === "reminder") return `${alert.id}:reminder:${alert.last.time}`;
  if (event === "escalated")
    return `${alert.id}:escalated:${alert.history.filter((change) => change.event === "escalated").length}`;
  return `${alert.id}:${event}`;
}

/** Hex HMAC-SHA256 of `timestamp.body`: binding the time in stops a captured request being replayed later. */
export const sign = (secret: string, timestamp: string, body: string): string =>
  createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
