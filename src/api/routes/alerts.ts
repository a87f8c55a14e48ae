// GET /v1/alerts[?state=] and GET /v1/alerts/:id: open alerts first, then recently ended ones.
import type { Hono } from "hono";
import type { Engine } from "../../engine.js";
import type { Alert } from "../../model/index.js";

const STATES: ReadonlyArray<Alert["state"]> = ["pending", "firing", "resolved"];

export function alertRoutes(app: Hono, engine: Engine): void {
  app.get("/v1/alerts", (context) => {
    const state = context.req.query("state");
    if (state !== undefined && !STATES.includes(state as Alert["state"])) {
      return context.json({ error: `unknown state "${state}"; one of ${STATES.join(", ")}` }, 400);
    }
    const alerts = engine.listAlerts(state as Alert["state"] | undefined);
    return context.json({ alerts: alerts.map(({ history: _history, ...alert }) => view(alert)) });
  });
  app.get("/v1/alerts/:id", (context) => {
    const alert = engine.alert(context.req.param("id"));
    if (!alert) return context.json({ error: `no alert ${context.req.param("id")}` }, 404);
    return context.json({
      ...view(alert),
      history: alert.history.map((entry) => ({ ...entry, at: iso(entry.at) })),
    });
  });
}

/** Times as ISO 8601 for people and tools; numbers stay numbers. */
function view(alert: Omit<Alert, "history">) {
  return {
    ...alert,
    activeAt: iso(alert.activeAt),
    firedAt: alert.firedAt === undefined ? undefined : iso(alert.firedAt),
    resolvedAt: alert.resolvedAt === undefined ? undefined : iso(alert.resolvedAt),
    last: { ...alert.last, time: iso(alert.last.time) },
    peak: { ...alert.peak, time: iso(alert.peak.time) },
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();
