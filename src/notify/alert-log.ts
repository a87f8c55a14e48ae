// The JSON-lines alert log: one line per alert event, appended in order, for audits and tools:
// {"event", "at" (ISO time of the event), "alert" (without its history), "note" when there is one}.
import { createWriteStream, mkdirSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { dirname } from "node:path";
import { eventTime } from "./message.js";
import type { Notification, Notifier, SendResult } from "./notifier.js";

export class AlertLogNotifier implements Notifier {
  readonly name = "alert-log";
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: "a" });
  }

  async send(notification: Notification): Promise<SendResult> {
    const { event, alert, note } = notification;
    const { history: _history, ...rest } = alert;
    const at = new Date(eventTime(notification)).toISOString();
    const line = `${JSON.stringify({ event, at, alert: rest, ...(note ? { note } : {}) })}\n`;
    return new Promise((resolve) => {
      this.stream.write(line, (error) =>
        resolve(error ? { ok: false, retryable: true, error: error.message } : { ok: true }),
      );
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
