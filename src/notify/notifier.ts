// The one interface every channel implements. A notifier reports; the pipeline decides: retries,
// dedup, ordering and bookkeeping (the outbox) live outside it.
import type { z } from "zod";
import type { Alert, PageEvent } from "../model/index.js";

/**
 * What a channel answered for a message, kept by the pipeline so later messages of the same incident
 * thread under the first: Slack {channel, ts}, email {message_id}, PagerDuty {dedup_key}.
 */
export type Receipt = Readonly<Record<string, string>>;

export interface Notification {
  event: PageEvent;
  alert: Alert;
  /**
   * A line from Tocsin itself about this page, e.g. "silence s-12 ended; this alert resolved meanwhile
   * at 14:05 UTC". Shown prominently; escaped like any other text.
   */
  note?: string;
  /**
   * The page's identity (episode, event, which escalation or reminder): the outbox journals a key once
   * per receiver, so a decision made again after a restart is not sent twice; webhooks carry it as
   * Idempotency-Key. Absent on pages sent outside the dispatcher (`tocsin notify test`).
   */
  key?: string;
  /** The receipt of this incident's first message on this channel, when there was one. */
  thread?: Receipt;
  /**
   * The W3C trace context of the alert transition that caused this page, journalled with it so the
   * send's span joins that trace however late (or after however many restarts) it goes out.
   */
  trace?: { traceparent: string };
}

export type SendResult =
  | { ok: true; receipt?: Receipt }
  | {
      ok: false;
      /** Whether trying again later can succeed (5xx, 429, timeouts) or never will (400, bad token). */
      retryable: boolean;
      /** The channel asked to wait this long (429 Retry-After). */
      retryAfterMs?: number;
      /** For logs: never contains a secret (token, password, routing key). */
      error: string;
    };

/** One piece of what a channel would send: a request body, a subject, a mail part, a line. */
export interface PreviewPart {
  /** "chat.postMessage", "subject", "html", "body"… */
  name: string;
  /** Exactly what the send would use, secrets replaced by "[name]" placeholders. */
  content: string;
  /** How to show it: JSON may be pretty-printed, text and HTML are shown as they are. */
  kind: "json" | "text" | "html";
}

/** What a send would do, without doing it (`tocsin render`); built by the send's own functions. */
export interface Preview {
  /** The channel type: "slack", "email", "pagerduty", "webhook", "console". */
  channel: string;
  /** In the order the send would use them; one text part saying why when the event sends nothing. */
  parts: PreviewPart[];
  /**
   * A stand-in for the receipt the channel would answer, so that a preview of a later event of the
   * same incident can thread under it as the real one would.
   */
  receipt?: Receipt;
}

export interface Notifier {
  readonly name: string;
  send(notification: Notification): Promise<SendResult>;
  /** What send would deliver for this notification, computed offline; no request is made. */
  preview?(notification: Notification): Preview;
  close?(): Promise<void>;
}

/** A registry entry: the `type` of a receiver in tocsin.yaml, its config schema and the factory. */
export interface NotifierDefinition<Schema extends z.ZodType = z.ZodType> {
  type: string;
  description: string;
  /** Strict; secrets are written as ${ENV} references and arrive expanded. */
  schema: Schema;
  create(config: z.output<Schema>, context: { name: string }): Notifier;
}
