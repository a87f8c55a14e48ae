// The Hono app: routes only, each delegating to the engine.
import { Hono } from "hono";
import type { Engine } from "../engine.js";
import { bearerAuth } from "./bearer-auth.js";
import { alertRoutes } from "./routes/alerts.js";
import { healthRoutes } from "./routes/health.js";
import { mentionRoutes } from "./routes/mentions.js";
import { ruleRoutes } from "./routes/rules.js";
import { seriesRoutes } from "./routes/series.js";
import { silenceRoutes } from "./routes/silences.js";

export interface ApiTokens {
  ingest?: string | undefined;
  admin?: string | undefined;
}

export function createApp(engine: Engine, tokens: ApiTokens = {}): Hono {
  const app = new Hono();
  app.use("/v1/mentions", bearerAuth({ token: tokens.ingest, scope: "ingest" }));
  const admin = bearerAuth({ token: tokens.admin, scope: "admin" });
  const adminPaths = ["/v1/series", "/v1/alerts", "/v1/alerts/*", "/v1/rules", "/v1/rules/*"];
  for (const path of [...adminPaths, "/v1/silences", "/v1/silences/*"]) app.use(path, admin);
  healthRoutes(app, engine);
  mentionRoutes(app, engine);
  seriesRoutes(app, engine);
  alertRoutes(app, engine);
  ruleRoutes(app, engine);
  silenceRoutes(app, engine);
  app.notFound((context) =>
    context.json({ error: `no route for ${context.req.method} ${context.req.path}` }, 404),
  );
  app.onError((error, context) => {
    engine.logger.error({ err: error, path: context.req.path }, "request failed");
    return context.json({ error: "internal error" }, 500);
  });
  return app;
}

/** Reads the API tokens from the environment (design.md §6). */
export const tokensFromEnv = (env: NodeJS.ProcessEnv = process.env): ApiTokens => ({
  ingest: env.TOCSIN_INGEST_TOKEN || undefined,
  admin: env.TOCSIN_ADMIN_TOKEN || undefined,
});
