// Slack: one incident is one thread. The page is a Block Kit message; escalation and resolution update
// it (so its top shows the current state) and reply under it. Sent with @slack/web-api's WebClient,
// whose own retries are off: it reports, the pipeline decides.
import { z } from "zod";
import type * as SlackWebApi from "@slack/web-api";
import type { WebClient } from "@slack/web-api";
import type { Alert } from "../model/index.js";
import { durationField } from "../util/schema-fields.js";
import { buildMessage } from "./message.js";
import type { Message } from "./message.js";
import type { Notification, Notifier, NotifierDefinition, Receipt, SendResult } from "./notifier.js";
import { SLACK_LIMITS, escapeSlack, slackLink, truncate } from "./slack-text.js";

const schema = z.strictObject({
  token: z
    .string()
    .min(1)
    .describe("Bot token (xoxb-…) with the chat:write scope; write it as ${SLACK_BOT_TOKEN}."),
  channel: z
    .string()
    .min(1)
    .describe('Channel to page: a name such as "#comms-alerts" or an id such as "C0123456789".'),
  api_url: z
    .url({ protocol: /^https?$/ })
    .transform((url) => (url.endsWith("/") ? url : `${url}/`))
    .default("https://slack.com/api/")
    .describe("Base URL of the Slack Web API; the method name is appended."),
  username: z
    .string()
    .min(1)
    .optional()
    .describe("Name shown on the messages (needs the chat:write.customize scope)."),
  icon_emoji: z
    .string()
    .regex(/^:[\w+-]+:$/, "expected an emoji code such as :rotating_light:")
    .optional()
    .describe("Emoji shown as the icon (needs the chat:write.customize scope)."),
  timeout: durationField({ what: "a request timeout", allowZero: false })
    .prefault("10s")
    .describe("How long one API call may take before it counts as failed (and retryable)."),
});

export type SlackConfig = z.output<typeof schema>;

type MrkdwnText = { type: "mrkdwn"; text: string };
type SlackBlock =
  | { type: "header"; text: { type: "plain_text"; text: string; emoji: boolean } }
  | { type: "section"; text: MrkdwnText; fields?: MrkdwnText[] }
  | { type: "context"; elements: MrkdwnText[] };

const LOOK: Record<Notification["event"], { word: string; emoji: string }> = {
  firing: { word: "FIRING", emoji: ":rotating_light:" },
  escalated: { word: "ESCALATED", emoji: ":sos:" },
  resolved: { word: "RESOLVED", emoji: ":white_check_mark:" },
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

/** The top message (with header) or a thread reply (without): every alert text escaped, every limit kept. */
export function slackBlocks(message: Message, alert: Alert, { reply }: { reply: boolean }): SlackBlock[] {
  const look = LOOK[message.event];
  const blocks: SlackBlock[] = [];
  if (!reply) {
    const title = `${look.emoji} ${look.word} · ${escapeSlack(message.title)}`;
    blocks.push({
      type: "header",
      text: { type: "plain_text", text: truncate(title, SLACK_LIMITS.headerText), emoji: true },
    });
  }
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
  const links = linkLine(message.links);
  if (links) blocks.push(section(links));
  if (!reply) {
    const about = `Tocsin · rule ${escapeSlack(alert.rule)} · alert ${escapeSlack(alert.id)}`;
    blocks.push({ type: "context", elements: [mrkdwn(about, SLACK_LIMITS.sectionText)] });
  }
  return blocks.slice(0, SLACK_LIMITS.blocks);
}

/** The plain `text`: what notifications and screen readers show instead of the blocks. */
export function slackFallbackText(message: Message): string {
  const text = `${LOOK[message.event].word}: ${message.title}. ${message.headline}`;
  return truncate(escapeSlack(text), SLACK_LIMITS.messageText);
}

type SlackSdk = typeof SlackWebApi;

export class SlackNotifier implements Notifier {
  /** Loaded on the first send: the SDK is only paid for by configs that page Slack. */
  private client: Promise<WebClient> | undefined;
  /** The loaded SDK, whose error classes the failures are told apart by. */
  private sdk: SlackSdk | undefined;

  constructor(
    readonly name: string,
    private readonly config: SlackConfig,
  ) {}

  async send(notification: Notification): Promise<SendResult> {
    try {
      const client = await this.connect();
      const message = buildMessage(notification);
      const { alert, thread } = notification;
      const identity = {
        ...(this.config.username ? { username: this.config.username } : {}),
        ...(this.config.icon_emoji ? { icon_emoji: this.config.icon_emoji } : {}),
      };
      // No link_names, no parse: full, no unfurling: only the links we wrote become links.
      const common = { text: slackFallbackText(message), link_names: false };
      const post = { ...common, unfurl_links: false, unfurl_media: false, ...identity };
      const root = thread?.channel && thread.ts ? { channel: thread.channel, ts: thread.ts } : undefined;
      if (notification.event === "firing" || !root) {
        const posted = await client.chat.postMessage({
          channel: this.config.channel,
          blocks: slackBlocks(message, alert, { reply: false }),
          ...post,
        });
        return { ok: true, ...receiptOf(posted.channel, posted.ts) };
      }
      // Update first, reply second: a retry after a failed reply repeats the (idempotent) update,
      // never a reply. An update Slack refuses for good (message deleted, edit window closed) must
      // not hold back the reply, which is the page; auth or channel errors fail the reply as well.
      try {
        await client.chat.update({
          ...root,
          blocks: slackBlocks(message, alert, { reply: false }),
          ...common,
        });
      } catch (error) {
        const failed = this.failure(error);
        if (failed.retryable) return failed;
      }
      await client.chat.postMessage({
        channel: root.channel,
        thread_ts: root.ts,
        // An escalation is news for the whole channel, not only for those following the thread.
        reply_broadcast: notification.event === "escalated",
        blocks: slackBlocks(message, alert, { reply: true }),
        ...post,
      });
      return { ok: true, receipt: root };
    } catch (error) {
      return this.failure(error);
    }
  }

  private connect(): Promise<WebClient> {
    this.client ??= import("@slack/web-api").then((sdk) => {
      this.sdk = sdk;
      return new sdk.WebClient(this.config.token, {
        slackApiUrl: this.config.api_url,
        timeout: this.config.timeout,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: sdk.LogLevel.ERROR,
      });
    });
    return this.client;
  }

  /** Maps what the SDK threw to a SendResult; the token is scrubbed from every error text. */
  private failure(error: unknown): SendResult & { ok: false } {
    const result = slackFailure(this.sdk, error);
    return { ...result, error: result.error.replaceAll(this.config.token, "[token]") };
  }
}

function receiptOf(channel: string | undefined, ts: string | undefined): { receipt?: Receipt } {
  return channel && ts ? { receipt: { channel, ts } } : {};
}

/**
 * Slack answers HTTP 200 with {ok:false, error} for refusals (https://api.slack.com/web#responses);
 * these codes are Slack's trouble, not ours, and may pass (https://api.slack.com/methods/chat.postMessage#errors).
 * Every other code (invalid_auth, channel_not_found, not_in_channel, invalid_blocks, msg_too_long…)
 * will fail again the same way.
 */
const RETRYABLE_CODES = new Set([
  "ratelimited",
  "rate_limited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

export function slackFailure(sdk: SlackSdk | undefined, error: unknown): SendResult & { ok: false } {
  if (sdk && error instanceof sdk.WebAPIRateLimitedError) {
    const retryAfterMs = error.retryAfter * 1000;
    return {
      ok: false,
      retryable: true,
      retryAfterMs,
      error: `slack: HTTP 429, retry after ${error.retryAfter}s`,
    };
  }
  if (sdk && error instanceof sdk.WebAPIPlatformError) {
    const code = error.data.error;
    const retryAfter = error.data.response_metadata?.retryAfter;
    return {
      ok: false,
      retryable: RETRYABLE_CODES.has(code),
      ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter * 1000 }),
      error: `slack: ${code}`,
    };
  }
  if (sdk && error instanceof sdk.WebAPIHTTPError) {
    const retryable = error.statusCode >= 500 || error.statusCode === 408;
    return { ok: false, retryable, error: `slack: HTTP ${error.statusCode} ${error.statusMessage}`.trim() };
  }
  if (sdk && error instanceof sdk.WebAPIRequestError) {
    // Connection refused, reset, DNS, or our timeout (AbortSignal.timeout): worth another try.
    return { ok: false, retryable: true, error: `slack: request failed: ${describe(error.original)}` };
  }
  // A 429 without a usable Retry-After is still a rate limit; anything else is a bug on our side.
  const text = describe(error);
  return { ok: false, retryable: /rate limit|retry header/i.test(text), error: `slack: ${text}` };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const code = cause && "code" in cause && typeof cause.code === "string" ? cause.code : undefined;
  return code ? `${error.message} (${code})` : error.message;
}

export const slackNotifier: NotifierDefinition<typeof schema> = {
  type: "slack",
  description:
    "Posts a Block Kit page to a Slack channel; escalation and resolution update it and reply in its thread.",
  schema,
  create: (config, { name }) => new SlackNotifier(name, config),
};
