// The Hono app: routes only, each delegating to the engine.
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import type { Engine } from "../engine.js";
import type { Clock } from "../util/clock.js";
import { systemClock } from "../util/clock.js";
import type { ApiTokens } from "./bearer-auth.js";
import { apiAuth } from "./bearer-auth.js";
import { alertRoutes } from "./routes/alerts.js";
import { rateLimit } from "./rate-limit.js";
import { healthRoutes } from "./routes/health.js";
import { mentionRoutes } from "./routes/mentions.js";
import { ruleRoutes } from "./routes/rules.js";
import { seriesRoutes } from "./routes/series.js";
import { silenceRoutes } from "./routes/silences.js";
import { slackActionRoutes } from "./routes/slack-actions.js";

export type { ApiTokens } from "./bearer-auth.js";
export { tokensFromEnv } from "./bearer-auth.js";

export interface AppOptions {
  /** The wall clock of the rate limits (not the engine's, which a replay drives by event time). */
  clock?: Clock;
}

export function createApp(engine: Engine, tokens: ApiTokens = {}, options: AppOptions = {}): Hono {
  const app = new Hono();
  // Ingest token for POST /v1/mentions, admin token for every other /v1/ route (new ones included).
  app.use("/v1/*", apiAuth(tokens));
  // After auth, so only valid tokens get buckets; before the routes, so a 429 reads no body.
  app.use("/v1/*", ...rateLimits(engine, tokens, options.clock ?? systemClock));
  healthRoutes(app, engine);
  mentionRoutes(app, engine);
  seriesRoutes(app, engine);
  alertRoutes(app, engine);
  ruleRoutes(app, engine);
  silenceRoutes(app, engine);
  slackActionRoutes(app, engine);
  app.notFound((context) =>
    context.json({ error: `no route for ${context.req.method} ${context.req.path}` }, 404),
  );
  app.onError((error, context) => {
    engine.logger.error({ err: error, path: context.req.path }, "request failed");
    return context.json({ error: "internal error" }, 500);
  });
  return app;
}

/** api.rate_limit: mentions per second for POST /v1/mentions, requests per second for the rest. */
function rateLimits(engine: Engine, tokens: ApiTokens, clock: Clock): MiddlewareHandler[] {
  const limits = engine.config.api.rate_limit;
  const byToken = tokens.ingest !== undefined || tokens.admin !== undefined;
  const now = () => clock.now();
  const isIngest = (context: Context) => context.req.path === "/v1/mentions";
  return [
    rateLimit({
      perSecond: limits.mentions_per_second,
      burst: limits.mentions_burst,
      unit: "mentions",
      byToken,
      now,
      cost: "deferred",
      skip: (context) => !isIngest(context),
    }),
    rateLimit({
      perSecond: limits.admin_requests_per_second,
      burst: limits.admin_burst,
      unit: "requests",
      byToken,
      now,
      cost: "request",
      skip: isIngest,
    }),
  ];
}
