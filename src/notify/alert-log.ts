// The JSON-lines alert log: one line per alert event, appended in order, for audits and tools.
import { createWriteStream, mkdirSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { dirname } from "node:path";
import type { Notification, Notifier, SendResult } from "./notifier.js";

export class AlertLogNotifier implements Notifier {
  readonly name = "alert-log";
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.stream = createWriteStream(path, { flags: "a" });
  }

  async send({ event, alert }: Notification): Promise<SendResult> {
    const { history: _history, ...rest } = alert;
    const line = `${JSON.stringify({ event, at: eventTime(alert), alert: rest })}\n`;
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

/** When the event happened: the evaluation that recorded it, the newest entry of the history. */
function eventTime(alert: Notification["alert"]): string {
  return new Date(alert.history.at(-1)?.at ?? alert.last.time).toISOString();
}
