// Alert events on a terminal: one readable line per event plus the note, the acknowledgement and the
// summary, coloured on a TTY.
import { styleText } from "node:util";
import type { Notification, Notifier, Preview, SendResult } from "./notifier.js";
import { formatLabels, formatNumber, formatPValue, formatTime } from "./format.js";
import { eventTime, measureOf } from "./message.js";

type Style = Parameters<typeof styleText>[0];
type Paint = (style: Style, text: string) => string;

const LOOK: Record<Notification["event"], { word: string; style: Style }> = {
  firing: { word: "FIRING", style: ["bold", "red"] },
  escalated: { word: "ESCALATED", style: ["bold", "magenta"] },
  resolved: { word: "RESOLVED", style: ["bold", "green"] },
  acknowledged: { word: "ACKED", style: ["bold", "cyan"] },
  reminder: { word: "REMINDER", style: ["bold", "yellow"] },
};

/** Where the lines under the event line start: under the rule name. */
const INDENT = " ".repeat(10);

/**
 * Alert text made inert on a terminal: control characters (ESC starts sequences that recolour,
 * retitle or rewrite the screen; CR and LF forge lines) are shown as \u escapes instead.
 */
// eslint-disable-next-line no-control-regex
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, escapeCode);
const escapeCode = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** The text of one event: the line, then the note, the acknowledgement and the summary under it. */
export function consoleText(notification: Notification, paint: Paint = (_style, text) => text): string {
  const { event, alert, note } = notification;
  const look = LOOK[event];
  const measure = measureOf(notification);
  const numbers =
    `${event === "resolved" ? "peak " : ""}${formatNumber(measure.value)} ` +
    `(expected ${formatNumber(measure.expected)}, ×${formatNumber(measure.factor)}` +
    `${measure.pValue === undefined ? "" : `, p=${formatPValue(measure.pValue)}`})`;
  const when = formatTime(eventTime(notification));
  const what = printable(`${alert.rule}  ${formatLabels(alert.labels)}`);
  const lines = [
    `${paint(look.style, look.word.padEnd(9))} ${paint("bold", alert.severity.padEnd(8))} ${what}  ${numbers}  ${paint("dim", when)}`,
  ];
  if (note) lines.push(`${INDENT}${paint("bold", "note:")} ${printable(note)}`);
  const ack = alert.acknowledged;
  if (ack && event === "acknowledged") {
    lines.push(
      `${INDENT}acknowledged by ${printable(ack.by)}${ack.comment ? `: ${printable(ack.comment)}` : ""}`,
    );
  }
  const summary = alert.annotations.summary;
  if (summary) lines.push(`${INDENT}${printable(summary)}`);
  const why = notification.alert.explanation;
  if (why && event !== "acknowledged") {
    const terms = why.terms.map((t) => t.term).join(", ");
    const joined = why.spread.joined.map((j) => j.channel).join(" → ");
    lines.push(`${INDENT}${paint("bold", "why:")} ${printable(why.plain)}`);
    if (terms || joined)
      lines.push(
        `${INDENT}terms: ${printable(terms || "-")}${joined ? `  spread: ${printable(joined)}` : ""}`,
      );
  }
  return `${lines.join("\n")}\n`;
}

export interface ConsoleNotifierOptions {
  write?: (text: string) => void;
  color?: boolean;
}

export class ConsoleNotifier implements Notifier {
  readonly name = "console";
  private readonly write: (text: string) => void;
  private readonly color: boolean;

  constructor(options: ConsoleNotifierOptions = {}) {
    this.write = options.write ?? ((text) => process.stdout.write(text));
    this.color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  }

  async send(notification: Notification): Promise<SendResult> {
    const paint: Paint = (style, text) => (this.color ? styleText(style, text) : text);
    this.write(consoleText(notification, paint));
    return { ok: true };
  }

  preview(notification: Notification): Preview {
    return {
      channel: "console",
      parts: [{ name: "line", content: consoleText(notification), kind: "text" }],
    };
  }
}
