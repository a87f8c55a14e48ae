// The channel-neutral content of a page: what is happening and why, in plain text. Each channel
// formats it with its own escaping and length limits; nothing here is escaped.
import type { Alert } from "../model/index.js";
import { formatNumber, formatPValue, formatTime } from "./format.js";
import type { Notification } from "./notifier.js";

export interface Message {
  event: Notification["event"];
  severity: Alert["severity"];
  /** "[CRITICAL] NegativeBuzzSpike: brand=kryptonite" — what a person triages from. */
  title: string;
  /** One line on what happened: "Firing since 12:15 UTC: 412 in 5 min, 8.9× the usual 46". */
  headline: string;
  /** The rule's summary and description annotations (rendered; may quote strangers' text). */
  summary?: string;
  description?: string;
  facts: Array<{ label: string; value: string }>;
  /** Annotations whose name ends in _url (runbook_url, dashboard_url), as links. */
  links: Array<{ text: string; url: string }>;
}

const WORD: Record<Notification["event"], string> = {
  firing: "Firing",
  escalated: "Escalated",
  resolved: "Resolved",
};

export function buildMessage({ event, alert }: Notification): Message {
  const labels = Object.entries(alert.labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(" ");
  const measure = event === "resolved" ? alert.peak : alert.last;
  const numbers = `${formatNumber(measure.value)} in the window, ${formatNumber(measure.factor)}× the usual ${formatNumber(measure.expected)}`;
  const at = alert.history.at(-1)?.at ?? measure.time;
  const headline =
    event === "resolved"
      ? `Resolved at ${formatTime(at)} after peaking at ${numbers}`
      : `${WORD[event]} at ${formatTime(at)}: ${numbers}`;
  const facts = [
    { label: "Observed", value: formatNumber(measure.value) },
    { label: "Expected", value: formatNumber(measure.expected) },
    { label: "Factor", value: `${formatNumber(measure.factor)}×` },
    ...(measure.pValue === undefined ? [] : [{ label: "p-value", value: formatPValue(measure.pValue) }]),
    { label: "Since", value: formatTime(alert.firedAt ?? alert.activeAt) },
    { label: "Labels", value: labels },
  ];
  const links = Object.entries(alert.annotations)
    .filter(([name, url]) => name.endsWith("_url") && /^https?:\/\//.test(url))
    .map(([name, url]) => ({ text: name.slice(0, -4).replace(/_/g, " "), url }));
  return {
    event,
    severity: alert.severity,
    title: `[${alert.severity.toUpperCase()}] ${alert.name}: ${labels}`,
    headline,
    ...(alert.annotations.summary ? { summary: alert.annotations.summary } : {}),
    ...(alert.annotations.description ? { description: alert.annotations.description } : {}),
    facts,
    links,
  };
}
