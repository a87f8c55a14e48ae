// GET /v1/alerts[?state=] and GET /v1/alerts/:id: open alerts first, then recently ended ones, each
// with why its pages are held if they are; POST /v1/alerts/:id/ack {by, comment?}: a person takes a
// firing alert in hand (escalation stops, everyone paged is told); POST /v1/alerts/:id/feedback
// {verdict, note?, by?}: a verdict after the fact (false_alarm, expected, real_crisis), kept on disk.
import type { Hono } from "hono";
import { z } from "zod";
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
    return context.json({
      alerts: alerts.map(({ history: _history, ...alert }) => view(alert, engine)),
    });
  });
  app.get("/v1/alerts/:id", (context) => {
    const alert = engine.alert(context.req.param("id"));
    if (!alert) return context.json({ error: `no alert ${context.req.param("id")}` }, 404);
    return context.json(detail(alert, engine));
  });
  app.post("/v1/alerts/:id/feedback", async (context) => {
    let body: unknown;
    try {
      body = await context.req.json();
    } catch {
      return context.json({ error: 'the body must be JSON such as {"verdict": "false_alarm"}' }, 400);
    }
    const result = await engine.addFeedback(context.req.param("id"), body);
    if (!result.ok) return context.json({ error: result.error }, result.status);
    return context.json(result.record, 201);
  });
  app.post("/v1/alerts/:id/ack", async (context) => {
    let body: unknown;
    try {
      body = await context.req.json();
    } catch {
      return context.json({ error: 'the body must be JSON such as {"by": "claire"}' }, 400);
    }
    const parsed = ackSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return context.json(
        { error: `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}` },
        400,
      );
    }
    const result = await engine.acknowledgeDurably(
      context.req.param("id"),
      parsed.data.by,
      parsed.data.comment,
    );
    if (!result.ok) return context.json({ error: result.error }, result.status);
    return context.json({ ...detail(result.alert, engine), already_acknowledged: result.already });
  });
}

const ackSchema = z.strictObject({
  by: z.string().trim().min(1).max(200).describe("Who takes the alert in hand."),
  comment: z.string().trim().max(2000).optional(),
});

/** Times as ISO 8601 for people and tools; numbers stay numbers. */
function view(alert: Omit<Alert, "history">, engine: Engine) {
  const held = engine.heldReason(alert.id);
  return {
    ...alert,
    acknowledged: alert.acknowledged && { ...alert.acknowledged, at: iso(alert.acknowledged.at) },
    held: held && ("until" in held ? { ...held, until: iso(held.until) } : held),
    activeAt: iso(alert.activeAt),
    firedAt: alert.firedAt === undefined ? undefined : iso(alert.firedAt),
    resolvedAt: alert.resolvedAt === undefined ? undefined : iso(alert.resolvedAt),
    last: { ...alert.last, time: iso(alert.last.time) },
    peak: { ...alert.peak, time: iso(alert.peak.time) },
  };
}

/**
 * One alert with its history and the feedback given on it (oldest first; the last one counts), as
 * GET /v1/alerts/:id and the ack answer show it.
 */
const detail = (alert: Alert, engine: Engine) => ({
  ...view(alert, engine),
  history: alert.history.map((entry) => ({ ...entry, at: iso(entry.at) })),
  feedback: engine.feedbackFor(alert.id),
});

const iso = (ms: number): string => new Date(ms).toISOString();
