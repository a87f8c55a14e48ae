// Slack's Block Kit rendering of a page and the Web API calls that carry it: one pure plan that the
// notifier sends and `tocsin render` previews. Every alert text is escaped, every field limit kept.
import type { Alert } from "../model/index.js";
import { buildMessage } from "./message.js";
import type { Message } from "./message.js";
import type { Notification, Preview, PreviewPart } from "./notifier.js";
import { SLACK_LIMITS, escapeSlack, slackLink, truncate } from "./slack-text.js";

/** The parts of a Slack receiver's config that shape its messages. */
export interface SlackIdentity {
  channel: string;
  username?: string | undefined;
  icon_emoji?: string | undefined;
  /** Offer the Acknowledge button (only when Slack's callbacks reach Tocsin). */
  ack_button?: boolean | undefined;
}

type MrkdwnText = { type: "mrkdwn"; text: string };
type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji: boolean } }
  | { type: "section"; text: MrkdwnText; fields?: MrkdwnText[] }
  | { type: "context"; elements: MrkdwnText[] }
  | { type: "actions"; elements: SlackButton[] };
type SlackButton = {
  type: "button";
  text: { type: "plain_text"; text: string };
  action_id: string;
  value: string;
  style?: "primary" | "danger";
};

/** The button's action_id, which POST /v1/slack/actions (signature-verified) acknowledges by. */
export const SLACK_ACK_ACTION_ID = "tocsin_ack";

const LOOK: Record<Notification["event"], { word: string; emoji: string }> = {
  firing: { word: "FIRING", emoji: ":rotating_light:" },
  escalated: { word: "ESCALATED", emoji: ":sos:" },
  resolved: { word: "RESOLVED", emoji: ":white_check_mark:" },
  acknowledged: { word: "ACKNOWLEDGED", emoji: ":eyes:" },
  reminder: { word: "STILL FIRING", emoji: ":bell:" },
};

const mrkdwn = (text: string, max: number): MrkdwnText => ({ type: "mrkdwn", text: truncate(text, max) });
const section = (text: string): SlackBlock => ({
  type: "section",
  text: mrkdwn(text, SLACK_LIMITS.sectionText),
});

/** The links that fit in one section, whole: a cut link would be a broken one. */
function linkLine(links: Message["links"]): string {
  let line = "";
  for (const { url, text } of links) {
    const next = line ? `${line}  ·  ${slackLink(url, text)}` : slackLink(url, text);
    if (next.length > SLACK_LIMITS.sectionText) break;
    line = next;
  }
  return line;
}

/** Whole lines that fit in one section: a cut link would be a broken one. */
function fitLines(head: string, lines: readonly string[]): string {
  let text = head;
  for (const line of lines) {
    if (text.length + 1 + line.length > SLACK_LIMITS.sectionText) break;
    text = `${text}\n${line}`;
  }
  return text;
}

/** "Why": the plain-words line, the emerging terms (plain text, no code spans), top posts as links, spread. */
function whyBlocks(why: NonNullable<Message["why"]>): SlackBlock[] {
  const blocks = [section(`*Why* · ${escapeSlack(why.plain)}`)];
  if (why.terms.length > 0)
    blocks.push(section(`*Emerging terms:* ${why.terms.map((term) => escapeSlack(term)).join(", ")}`));
  if (why.posts.length > 0) {
    const lines = why.posts.map(
      ({ excerpt, url, by }) =>
        `• ${url ? slackLink(url, excerpt) : escapeSlack(excerpt)} — ${escapeSlack(by)}`,
    );
    blocks.push(section(fitLines("*Top posts*", lines)));
  }
  if (why.spread) blocks.push(section(`*Spread:* ${escapeSlack(why.spread)}`));
  return blocks;
}

/** The top message (with header) or a thread reply (without): every alert text escaped, every limit kept. */
export function slackBlocks(
  message: Message,
  alert: Alert,
  { reply, ackButton = false }: { reply: boolean; ackButton?: boolean },
): SlackBlock[] {
  const look = LOOK[message.event];
  const blocks: SlackBlock[] = [];
  if (!reply) {
    const title = `${look.emoji} ${look.word} · ${escapeSlack(message.title)}`;
    blocks.push({
      type: "header",
      text: { type: "plain_text", text: truncate(title, SLACK_LIMITS.headerText), emoji: true },
    });
  }
  // Tocsin's own word on this page (a silence ended, a resolve while muted) comes before the numbers.
  if (message.note) blocks.push(section(`:information_source: ${escapeSlack(message.note)}`));
  const headline = `${reply ? `*${look.word}* · ` : ""}*${escapeSlack(message.headline)}*`;
  blocks.push({
    type: "section",
    text: mrkdwn(headline, SLACK_LIMITS.sectionText),
    fields: message.facts
      .slice(0, SLACK_LIMITS.fields)
      .map(({ label, value }) =>
        mrkdwn(`*${escapeSlack(label)}*\n${escapeSlack(value)}`, SLACK_LIMITS.fieldText),
      ),
  });
  if (message.summary) blocks.push(section(escapeSlack(message.summary)));
  if (message.description && !reply) blocks.push(section(escapeSlack(message.description)));
  if (message.why) blocks.push(...whyBlocks(message.why));
  const links = linkLine(message.links);
  if (links) blocks.push(section(links));
  // The button lives on the top message only, which is redrawn without it once acknowledged or resolved.
  const open = alert.state === "firing" && !alert.acknowledged;
  if (ackButton && !reply && open && message.event !== "acknowledged" && message.event !== "resolved") {
    const ack: SlackButton = {
      type: "button",
      text: { type: "plain_text", text: "Acknowledge" },
      action_id: SLACK_ACK_ACTION_ID,
      // Block Kit caps a button value at 2000 characters; alert ids are far shorter.
      value: alert.id,
      style: "primary",
    };
    blocks.push({ type: "actions", elements: [ack] });
  }
  if (!reply) {
    const about = `Tocsin · rule ${escapeSlack(alert.rule)} · alert ${escapeSlack(alert.id)}`;
    blocks.push({ type: "context", elements: [mrkdwn(about, SLACK_LIMITS.sectionText)] });
  }
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

/** The plain `text`: what notifications and screen readers show instead of the blocks. */
export function slackFallbackText(message: Message): string {
  const note = message.note ? `. ${message.note}` : "";
  const text = `${LOOK[message.event].word}: ${message.title}. ${message.headline}${note}`;
  return truncate(escapeSlack(text), SLACK_LIMITS.messageText);
}

/** chat.postMessage arguments: the page itself, or a reply in its thread. */
export type SlackPost = SlackPostContent &
  ({ thread_ts?: undefined } | { thread_ts: string; reply_broadcast: boolean });

interface SlackPostContent {
  channel: string;
  blocks: SlackBlock[];
  text: string;
  // No link_names, no parse: full, no unfurling: only the links we wrote become links.
  link_names: false;
  unfurl_links: false;
  unfurl_media: false;
  username?: string;
  icon_emoji?: string;
}

/** chat.update arguments: the incident's top message, redrawn to show the current state. */
export interface SlackUpdate {
  channel: string;
  ts: string;
  blocks: SlackBlock[];
  text: string;
  link_names: false;
}

/** The Web API calls of one notification, in order: what send makes and preview shows. */
export interface SlackPlan {
  update?: SlackUpdate;
  post: SlackPost;
}

/**
 * One incident is one thread. Without a thread receipt (the first page, or its receipt was lost) every
 * event is a new top-level message; with one, the top message is updated to the new state and the
 * event replies under it. A reminder changes nothing the top message shows: a reply only.
 */
export function slackPlan(config: SlackIdentity, notification: Notification): SlackPlan {
  const message = buildMessage(notification);
  const { alert, thread, event } = notification;
  const text = slackFallbackText(message);
  const post = {
    text,
    link_names: false,
    unfurl_links: false,
    unfurl_media: false,
    ...(config.username ? { username: config.username } : {}),
    ...(config.icon_emoji ? { icon_emoji: config.icon_emoji } : {}),
  } as const;
  const top = slackBlocks(message, alert, { reply: false, ackButton: config.ack_button === true });
  if (!thread?.channel || !thread.ts) return { post: { channel: config.channel, blocks: top, ...post } };
  const root = { channel: thread.channel, ts: thread.ts };
  const reply: SlackPost = {
    channel: root.channel,
    thread_ts: root.ts,
    // An escalation is news for the whole channel, not only for those following the thread.
    reply_broadcast: event === "escalated",
    blocks: slackBlocks(message, alert, { reply: true }),
    ...post,
  };
  if (event === "reminder") return { post: reply };
  return { update: { ...root, blocks: top, text, link_names: false }, post: reply };
}

/** What slackPlan would call; the token travels in a header, so nothing here is secret. */
export function slackPreview(plan: SlackPlan): Preview {
  const call = (name: string, args: object): PreviewPart => ({
    name,
    content: JSON.stringify(args),
    kind: "json",
  });
  const { post, update } = plan;
  return {
    channel: "slack",
    parts: [...(update ? [call("chat.update", update)] : []), call("chat.postMessage", post)],
    receipt: { channel: post.channel, ts: post.thread_ts ?? "[ts of the incident's first message]" },
  };
}
