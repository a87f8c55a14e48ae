// Slack: one incident is one thread. The page is a Block Kit message; escalation, acknowledgement and
// resolution update it (so its top shows the current state) and reply under it; reminders only reply.
// Sent with @slack/web-api's WebClient, whose own retries are off: it reports, the pipeline decides.
import { z } from "zod";
import type * as SlackWebApi from "@slack/web-api";
import type { WebClient } from "@slack/web-api";
import { durationField } from "../util/schema-fields.js";
import type { Notification, Notifier, NotifierDefinition, Preview, Receipt, SendResult } from "./notifier.js";
import { slackPlan, slackPreview } from "./slack-blocks.js";

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
  ack_button: z
    .boolean()
    .default(false)
    .describe(
      "Put an Acknowledge button on firing pages; needs slack.signing_secret and the Slack app's interactivity URL pointed at POST /v1/slack/actions.",
    ),
  timeout: durationField({ what: "a request timeout", allowZero: false })
    .prefault("10s")
    .describe("How long one API call may take before it counts as failed (and retryable)."),
});

export type SlackConfig = z.output<typeof schema>;

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
    const { update, post } = slackPlan(this.config, notification);
    try {
      const client = await this.connect();
      // Update first, reply second: a retry after a failed reply repeats the (idempotent) update,
      // never a reply. An update Slack refuses for good (message deleted, edit window closed) must
      // not hold back the reply, which is the page; auth or channel errors fail the reply as well.
      if (update) {
        try {
          await client.chat.update(update);
        } catch (error) {
          const failed = this.failure(error);
          if (failed.retryable) return failed;
        }
      }
      const posted = await client.chat.postMessage(post);
      if (post.thread_ts) return { ok: true, receipt: { channel: post.channel, ts: post.thread_ts } };
      return { ok: true, ...receiptOf(posted.channel, posted.ts) };
    } catch (error) {
      return this.failure(error);
    }
  }

  preview(notification: Notification): Preview {
    return slackPreview(slackPlan(this.config, notification));
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
    "Posts a Block Kit page to a Slack channel; later events of the incident update it and reply in its thread.",
  schema,
  create: (config, { name }) => new SlackNotifier(name, config),
};
