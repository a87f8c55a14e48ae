// Slack text safety: escaping of alert text for mrkdwn, neutralised mentions, and Block Kit limits.

/**
 * Block Kit and chat.postMessage limits, in characters.
 * - header text 150: https://api.slack.com/reference/block-kit/blocks#header
 * - section text 3000, at most 10 fields of 2000 each: https://api.slack.com/reference/block-kit/blocks#section
 * - context block: at most 10 elements: https://api.slack.com/reference/block-kit/blocks#context
 * - 50 blocks per message: https://api.slack.com/reference/block-kit/blocks
 * - message `text` is truncated by Slack beyond 40,000: https://api.slack.com/methods/chat.postMessage#truncating
 */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  blocks: 50,
  messageText: 40_000,
} as const;

/** Invisible, so "@here" still reads as such, but no longer the word Slack turns into a mention. */
const ZERO_WIDTH_JOINER = "\u200d";

/**
 * Makes text from an alert (summaries, descriptions, labels: strangers' words) inert in Slack.
 * Slack's formatting docs ask for exactly & < > to be escaped as &amp; &lt; &gt; and decode only those
 * three for display (https://api.slack.com/reference/surfaces/formatting#escaping); that also disarms
 * the control sequences <!channel>, <!here>, <!everyone>, <@U…>, <#C…> and <url|text> links.
 * Bare @here / @channel / @everyone are turned into mentions when a message is posted with
 * `link_names` or `parse: full` (https://api.slack.com/reference/surfaces/formatting#special-mentions,
 * https://api.slack.com/methods/chat.postMessage#arg_link_names); we send neither, and still put a
 * zero-width joiner after the @ so no client or later setting can read them as a broadcast.
 */
export function escapeSlack(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(here|channel|everyone)/gi, `@${ZERO_WIDTH_JOINER}$1`);
}

/**
 * Cuts already-escaped text to `max` characters, ending in "…". Never leaves half an entity ("&am")
 * or half a surrogate pair behind. JavaScript lengths count UTF-16 units, never fewer than Slack's
 * characters, so the result is within the limit however Slack counts.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  cut = cut.replace(/&(?:a|am|amp|l|lt|g|gt)?$/, "");
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/**
 * A mrkdwn link, `<url|label>`. The URL is a rule author's (an annotation ending in _url), but it
 * must still not close the link early: "|", "<" and ">" are percent-encoded and "&" escaped.
 */
export function slackLink(url: string, label: string): string {
  const safeUrl = url.replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E").replace(/&/g, "&amp;");
  return `<${safeUrl}|${escapeSlack(label)}>`;
}
