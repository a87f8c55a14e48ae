// The channel-neutral content of a page: what is happening and why, in plain text. Each channel
// formats it with its own escaping and length limits; nothing here is escaped.
import type { Alert, AlertMeasure, Explanation } from "../model/index.js";
import { truncateCodePoints } from "../util/text.js";
import { formatLabels, formatNumber, formatPValue, formatTime } from "./format.js";
import type { Notification } from "./notifier.js";

export interface Message {
  event: Notification["event"];
  severity: Alert["severity"];
  /** "[CRITICAL] NegativeBuzzSpike: brand=kryptonite" — what a person triages from. */
  title: string;
  /** One line on what happened: "Firing at 12:15 UTC: 412 in the window, 8.9× the usual 46". */
  headline: string;
  /** Tocsin's own line about this page (Notification.note); may quote anything. */
  note?: string;
  /** The rule's summary and description annotations (rendered; may quote strangers' text). */
  summary?: string;
  description?: string;
  /** Acknowledged (who, when, their comment: typed by an operator) among them when set. */
  facts: Array<{ label: string; value: string }>;
  /** Annotations whose name ends in _url (runbook_url, dashboard_url), as links. */
  links: Array<{ text: string; url: string }>;
  /** Why it fires (the alert's explanation) in plain text; every part may quote strangers. */
  why?: Why;
}

/** The explanation as a page shows it: short texts, links only to http(s) posts. */
export interface Why {
  /** "412 negative mentions in 5 min, about 9× the usual 46 for a Tuesday morning (UTC…)". */
  plain: string;
  terms: string[];
  posts: Array<{ excerpt: string; url?: string; by: string }>;
  /** "forum → reddit → twitter; 94% new voices; influencers: dan.urban (2.4M, twitter)". */
  spread: string;
}

/** Characters of a quoted post in a page. */
const EXCERPT_CHARS = 140;

function whyOf(explanation: Explanation): Why {
  const { spread } = explanation;
  const parts = [
    ...(spread.joined.length > 0 ? [spread.joined.map((j) => j.channel).join(" → ")] : []),
    ...(spread.authors > 0
      ? [`${Math.round(spread.newAuthorShare * 100)}% new voices of ${spread.authors}`]
      : []),
    ...(spread.influencers.length > 0
      ? [
          `influencers: ${spread.influencers
            .slice(0, 3)
            .map((i) => `${i.name} (${formatNumber(i.followers)}, ${i.channel})`)
            .join(", ")}`,
        ]
      : []),
  ];
  return {
    plain: explanation.plain,
    terms: explanation.terms.map((t) => t.term),
    posts: explanation.posts.map((post) => ({
      excerpt: excerpt(post.text),
      ...(post.url && /^https?:\/\//i.test(post.url) ? { url: post.url } : {}),
      by: `${post.author ?? "someone"} on ${post.channel}`,
    })),
    spread: parts.join("; "),
  };
}

/** One line of at most EXCERPT_CHARS code points. */
function excerpt(text: string): string {
  return truncateCodePoints(text.replace(/\s+/g, " ").trim(), EXCERPT_CHARS);
}

/** The numbers a page quotes: the peak once it is over, the latest window while it lasts. */
export const measureOf = ({ event, alert }: Pick<Notification, "event" | "alert">): AlertMeasure =>
  event === "resolved" ? alert.peak : alert.last;

/**
 * When the told event happened: the acknowledgement's time, or else the evaluation that recorded the
 * alert's latest change (a reminder repeats that change: the alert has not changed since).
 */
export function eventTime({ event, alert }: Pick<Notification, "event" | "alert">): number {
  if (event === "acknowledged" && alert.acknowledged) return alert.acknowledged.at;
  return alert.history.at(-1)?.at ?? measureOf({ event, alert }).time;
}

function headlineOf(notification: Notification, numbers: string): string {
  const { event, alert } = notification;
  const at = formatTime(eventTime(notification));
  switch (event) {
    case "firing":
      return `Firing at ${at}: ${numbers}`;
    case "escalated":
      return `Escalated at ${at}: ${numbers}`;
    case "resolved":
      return `Resolved at ${at} after peaking at ${numbers}`;
    case "acknowledged":
      return `Acknowledged${alert.acknowledged ? ` by ${alert.acknowledged.by}` : ""} at ${at}; latest ${numbers}`;
    case "reminder":
      return `Still firing since ${formatTime(alert.firedAt ?? alert.activeAt)}: ${numbers}`;
  }
}

export function buildMessage(notification: Notification): Message {
  const { event, alert, note } = notification;
  const labels = formatLabels(alert.labels);
  const measure = measureOf(notification);
  const numbers = `${formatNumber(measure.value)} in the window, ${formatNumber(measure.factor)}× the usual ${formatNumber(measure.expected)}`;
  const ack = alert.acknowledged;
  const facts = [
    { label: "Observed", value: formatNumber(measure.value) },
    { label: "Expected", value: formatNumber(measure.expected) },
    // "expected raised ×3 for spring launch": why the expected level is not the usual one.
    ...(alert.annotations.campaign ? [{ label: "Campaign", value: alert.annotations.campaign }] : []),
    { label: "Factor", value: `${formatNumber(measure.factor)}×` },
    ...(measure.pValue === undefined ? [] : [{ label: "p-value", value: formatPValue(measure.pValue) }]),
    { label: "Since", value: formatTime(alert.firedAt ?? alert.activeAt) },
    // "escalating since 10:20": where the crisis is on its trajectory (alerting/stage.ts).
    ...(alert.stage && alert.stage !== "resolved"
      ? [
          {
            label: "Stage",
            value: `${alert.stage}${alert.stageSince ? ` since ${formatTime(alert.stageSince.at)}` : ""}`,
          },
        ]
      : []),
    ...(ack
      ? [
          {
            label: "Acknowledged",
            value: `${ack.by} at ${formatTime(ack.at)}${ack.comment ? ` — ${ack.comment}` : ""}`,
          },
        ]
      : []),
    { label: "Labels", value: labels },
  ];
  const links = Object.entries(alert.annotations)
    .filter(([name, url]) => name.endsWith("_url") && /^https?:\/\//.test(url))
    .map(([name, url]) => ({ text: name.slice(0, -4).replace(/_/g, " "), url }));
  return {
    event,
    severity: alert.severity,
    title: `[${alert.severity.toUpperCase()}] ${alert.name}: ${labels}`,
    headline: headlineOf(notification, numbers),
    ...(note ? { note } : {}),
    ...(alert.annotations.summary ? { summary: alert.annotations.summary } : {}),
    ...(alert.annotations.description ? { description: alert.annotations.description } : {}),
    facts,
    links,
    ...(alert.explanation ? { why: whyOf(alert.explanation) } : {}),
  };
}
