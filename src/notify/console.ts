// Alert events on a terminal: one readable line per event plus the summary, coloured on a TTY.
import { styleText } from "node:util";
import type { Notification, Notifier, SendResult } from "./notifier.js";
import { formatNumber, formatPValue, formatTime } from "./format.js";

type Style = Parameters<typeof styleText>[0];

const LOOK: Record<Notification["event"], { word: string; style: Style }> = {
  firing: { word: "FIRING", style: ["bold", "red"] },
  escalated: { word: "ESCALATED", style: ["bold", "magenta"] },
  resolved: { word: "RESOLVED", style: ["bold", "green"] },
};

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

  async send({ event, alert }: Notification): Promise<SendResult> {
    const paint = (style: Style, text: string) => (this.color ? styleText(style, text) : text);
    const look = LOOK[event];
    const labels = Object.entries(alert.labels)
      .map(([name, value]) => `${name}=${value}`)
      .join(" ");
    const measure = event === "resolved" ? alert.peak : alert.last;
    const numbers =
      `${event === "resolved" ? "peak " : ""}${formatNumber(measure.value)} ` +
      `(expected ${formatNumber(measure.expected)}, ×${formatNumber(measure.factor)}` +
      `${measure.pValue === undefined ? "" : `, p=${formatPValue(measure.pValue)}`})`;
    const at = alert.history.at(-1)?.at ?? measure.time;
    const lines = [
      `${paint(look.style, look.word.padEnd(9))} ${paint("bold", alert.severity.padEnd(8))} ${alert.rule}  ${labels}  ${numbers}  ${paint("dim", formatTime(at))}`,
    ];
    const summary = alert.annotations.summary;
    if (summary) lines.push(`          ${summary}`);
    this.write(`${lines.join("\n")}\n`);
    return { ok: true };
  }
}
