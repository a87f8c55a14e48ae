// The one interface every channel implements. A notifier reports; the pipeline decides: retries,
// dedup and bookkeeping live outside it.
import type { Alert, AlertEventType } from "../model/index.js";

export interface Notification {
  event: Exclude<AlertEventType, "pending">;
  alert: Alert;
}

export type SendResult =
  { ok: true; receipt?: string } | { ok: false; retryable: boolean; retryAfterMs?: number; error: string };

export interface Notifier {
  readonly name: string;
  send(notification: Notification): Promise<SendResult>;
  close?(): Promise<void>;
}
