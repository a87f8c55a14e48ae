// The two bodies of an alert email, HTML and plain text, from the channel-neutral Message.
// Everything that comes from an alert is text: in HTML it is escaped, and never becomes a tag or attribute.
import type { Message } from "./message.js";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML element body or a double-quoted attribute value (OWASP rule #1 and #2 set). */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** A link target only when it parses as an absolute http(s) URL; anything else is left as text. */
export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

// Fixed colours by state; nothing from the alert reaches a style attribute.
const ACCENT: Record<Message["severity"] | "resolved", string> = {
  critical: "#b3261e",
  warning: "#b26a00",
  info: "#1a5fb4",
  resolved: "#2e7d32",
};

/** Escaped text with its line breaks kept as <br>. */
const paragraph = (text: string, style = "margin:0 0 12px 0", lead = "") =>
  `<p style="${style}">${lead}${escapeHtml(text).replace(/\r?\n/g, "<br>")}</p>`;

/** Tocsin's own note on this page stands out from the alert's texts. */
const NOTE_STYLE = "margin:0 0 12px 0;padding:8px 12px;background:#fff8e1;border-left:4px solid #b26a00";

/** "Why": the plain-words line, terms, top posts as links (http(s) only) and the spread, all escaped. */
function whyHtml(why: NonNullable<Message["why"]>): string {
  const posts = why.posts.map(({ excerpt, url, by }) => {
    const href = url === undefined ? undefined : safeHref(url);
    const text =
      href === undefined ? escapeHtml(excerpt) : `<a href="${escapeHtml(href)}">${escapeHtml(excerpt)}</a>`;
    return `<li>${text} — ${escapeHtml(by)}</li>`;
  });
  return [
    '<h3 style="margin:0 0 8px 0">Why</h3>',
    paragraph(why.plain),
    ...(why.terms.length === 0 ? [] : [paragraph(`Emerging terms: ${why.terms.join(", ")}`)]),
    ...(posts.length === 0 ? [] : [`<ol style="margin:0 0 12px 0">\n${posts.join("\n")}\n</ol>`]),
    ...(why.spread === "" ? [] : [paragraph(`Spread: ${why.spread}`)]),
  ].join("\n");
}

function whyText(why: NonNullable<Message["why"]>): string[] {
  return [
    `Why: ${why.plain}`,
    ...(why.terms.length === 0 ? [] : [`Emerging terms: ${why.terms.join(", ")}`]),
    ...why.posts.map(({ excerpt, url, by }, i) => {
      const href = url === undefined ? undefined : safeHref(url);
      return `${i + 1}. ${excerpt} — ${by}${href === undefined ? "" : ` <${href}>`}`;
    }),
    ...(why.spread === "" ? [] : [`Spread: ${why.spread}`]),
  ];
}

export function renderHtml(message: Message): string {
  const accent = ACCENT[message.event === "resolved" ? "resolved" : message.severity];
  const cell = "padding:4px 12px 4px 0;vertical-align:top;text-align:left";
  const rows = message.facts
    .map(
      ({ label, value }) =>
        `<tr><th style="${cell};color:#555;font-weight:normal">${escapeHtml(label)}</th>` +
        `<td style="${cell}">${escapeHtml(value)}</td></tr>`,
    )
    .join("\n");
  const links = message.links.flatMap(({ text, url }) => {
    const href = safeHref(url);
    return href === undefined ? [] : [`<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`];
  });
  return [
    "<!DOCTYPE html>",
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">',
    `<h2 style="margin:0 0 8px 0;color:${accent}">${escapeHtml(message.title)}</h2>`,
    `<p style="margin:0 0 12px 0"><strong>${escapeHtml(message.headline)}</strong></p>`,
    ...(message.note === undefined ? [] : [paragraph(message.note, NOTE_STYLE, "<strong>Note:</strong> ")]),
    ...(message.summary === undefined ? [] : [paragraph(message.summary)]),
    ...(message.description === undefined ? [] : [paragraph(message.description)]),
    `<table style="border-collapse:collapse;margin:0 0 12px 0">\n${rows}\n</table>`,
    ...(message.why === undefined ? [] : [whyHtml(message.why)]),
    ...(links.length === 0 ? [] : [`<p style="margin:0">${links.join(" · ")}</p>`]),
    "</body></html>",
    "",
  ].join("\n");
}

export function renderText(message: Message): string {
  const width = Math.max(0, ...message.facts.map(({ label }) => label.length)) + 1;
  const links = message.links.filter(({ url }) => safeHref(url) !== undefined);
  return [
    message.title,
    message.headline,
    "",
    ...(message.note === undefined ? [] : [`Note: ${message.note}`, ""]),
    ...(message.summary === undefined ? [] : [message.summary, ""]),
    ...(message.description === undefined ? [] : [message.description, ""]),
    ...message.facts.map(({ label, value }) => `${`${label}:`.padEnd(width)} ${value}`),
    ...(message.why === undefined ? [] : ["", ...whyText(message.why)]),
    ...(links.length === 0 ? [] : ["", ...links.map(({ text, url }) => `${text}: ${url}`)]),
    "",
  ].join("\n");
}
