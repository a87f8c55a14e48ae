// The one interface every channel implements. A notifier reports; the pipeline decides: retries,
// dedup, ordering and bookkeeping (the outbox) live outside it.
import type { z } from "zod";
import type { Alert, AlertEventType } from "../model/index.js";

/**
 * What a channel answered for a message, kept by the pipeline so later messages of the same incident
 * thread under the first: Slack {channel, ts}, email {message_id}, PagerDuty {dedup_key}.
 */
export type Receipt = Readonly<Record<string, string>>;

export interface Notification {
  event: Exclude<AlertEventType, "pending">;
  alert: Alert;
  /** The receipt of this incident's first message on this channel, when there was one. */
  thread?: Receipt;
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

export interface Notifier {
  readonly name: string;
  send(notification: Notification): Promise<SendResult>;
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
