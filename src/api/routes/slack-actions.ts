// POST /v1/slack/actions: Slack's interactivity callback. The "Acknowledge" button on a page
// (action_id tocsin_ack, value = alert id) acknowledges the alert as the Slack user who pressed it.
// Slack sends no bearer token; every request is verified with the app's signing secret instead:
// https://api.slack.com/authentication/verifying-requests-from-slack
import { createHmac } from "node:crypto";
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { Engine } from "../../engine.js";
import { SLACK_ACK_ACTION_ID } from "../../notify/slack-blocks.js";
import type { Clock } from "../../util/clock.js";
import { systemClock } from "../../util/clock.js";
import { tokensEqual } from "../bearer-auth.js";

/** Slack's own advice: refuse requests whose timestamp is more than five minutes from now (replays). */
export const SLACK_MAX_SKEW_MS = 5 * 60_000;

/** Interaction payloads carry the whole message; 1 MiB is far above any real one. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface SlackRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
}

/** "v0=" + hex HMAC-SHA256(secret, "v0:" + timestamp + ":" + body), as Slack signs its requests. */
export const slackSignature = (secret: string, timestamp: string, body: string): string =>
  `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;

/** Why a request is refused, or undefined when it is Slack's and fresh. */
export function slackRequestProblem(secret: string, request: SlackRequest, now: number): string | undefined {
  const { timestamp, signature, body } = request;
  if (!timestamp || !signature) return "missing X-Slack-Request-Timestamp or X-Slack-Signature";
  if (!/^\d{1,12}$/.test(timestamp)) return "malformed X-Slack-Request-Timestamp";
  if (Math.abs(now - Number(timestamp) * 1000) > SLACK_MAX_SKEW_MS)
    return "X-Slack-Request-Timestamp is more than five minutes from now";
  if (!tokensEqual(signature, slackSignature(secret, timestamp, body))) return "bad X-Slack-Signature";
  return undefined;
}

/** The parts of a block_actions payload we read; Slack sends much more, all ignored. */
const payloadSchema = z.looseObject({
  type: z.string(),
  user: z
    .looseObject({
      id: z.string().optional(),
      username: z.string().optional(),
      name: z.string().optional(),
    })
    .optional(),
  actions: z.array(z.looseObject({ action_id: z.string(), value: z.string().optional() })).default([]),
});

export function slackActionRoutes(app: Hono, engine: Engine, clock: Clock = systemClock): void {
  app.post(
    "/v1/slack/actions",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (context) => context.json({ error: `body is larger than ${MAX_BODY_BYTES} bytes` }, 413),
    }),
    async (context) => {
      const secret = engine.config.slack.signing_secret;
      if (secret === undefined)
        return context.json(
          { error: "Slack callbacks are off: set slack.signing_secret in tocsin.yaml" },
          404,
        );
      // The signature covers the raw bytes: verify before parsing anything.
      const body = await context.req.text();
      const problem = slackRequestProblem(
        secret,
        {
          timestamp: context.req.header("x-slack-request-timestamp"),
          signature: context.req.header("x-slack-signature"),
          body,
        },
        clock.now(),
      );
      if (problem) {
        engine.logger.warn({ path: context.req.path }, `Slack callback refused: ${problem}`);
        return context.json({ error: problem }, 401);
      }
      let payload: z.output<typeof payloadSchema>;
      try {
        payload = payloadSchema.parse(JSON.parse(new URLSearchParams(body).get("payload") ?? ""));
      } catch {
        return context.json({ error: "expected a form field payload holding Slack's JSON" }, 400);
      }
      const ack = payload.actions.find((action) => action.action_id === SLACK_ACK_ACTION_ID);
      // Other interactions (or other apps' buttons) are none of ours: Slack only needs a 200.
      if (payload.type !== "block_actions" || !ack?.value) return context.json({ ok: true });
      const user = payload.user;
      const by = (user?.username || user?.name || user?.id || "someone on Slack").slice(0, 200);
      const result = await engine.acknowledgeDurably(ack.value, by, "acknowledged from Slack");
      if (!result.ok) return context.json({ error: result.error }, result.status);
      return context.json({ ok: true, alert: ack.value, already_acknowledged: result.already });
    },
  );
}
