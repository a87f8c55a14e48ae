// GET /v1/silences[?state=], GET /v1/silences/:id, POST /v1/silences (create, or replace by id),
// DELETE /v1/silences/:id (end it now). Matchers are written as in tocsin.yaml: `brand="kryptonite"`
// or {name, op, value}; times are ISO 8601 with offset or epoch milliseconds.
import type { Context, Hono } from "hono";
import { matcherJSON } from "../../alerting/matchers.js";
import type { Silence, SilenceState } from "../../alerting/silences.js";
import type { Engine } from "../../engine.js";

const STATES: readonly SilenceState[] = ["pending", "active", "expired"];

export function silenceRoutes(app: Hono, engine: Engine): void {
  app.get("/v1/silences", (context) => {
    const state = context.req.query("state");
    if (state !== undefined && !STATES.includes(state as SilenceState))
      return context.json({ error: `unknown state "${state}"; one of ${STATES.join(", ")}` }, 400);
    const silences = engine.listSilences().filter((s) => state === undefined || s.state === state);
    return context.json({ silences: silences.map(view) });
  });
  app.get("/v1/silences/:id", (context) => {
    const silence = engine.silence(context.req.param("id"));
    return silence ? context.json(view(silence)) : notFound(context);
  });
  app.post("/v1/silences", async (context) => {
    let body: unknown;
    try {
      body = await context.req.json();
    } catch {
      return context.json({ error: "the body must be a JSON object describing one silence" }, 400);
    }
    const result = await engine.addSilence(body);
    if (!result.ok) return context.json({ error: result.error }, 400);
    const stored = engine.silence(result.silence.id);
    return context.json(stored ? view(stored) : { id: result.silence.id }, 201);
  });
  app.delete("/v1/silences/:id", async (context) => {
    const id = context.req.param("id");
    if (await engine.expireSilence(id)) {
      const silence = engine.silence(id);
      return context.json(silence ? view(silence) : { id });
    }
    return engine.silence(id)
      ? context.json({ error: `silence ${id} has already ended` }, 409)
      : notFound(context);
  });
}

const notFound = (context: Context) => context.json({ error: `no silence ${context.req.param("id")}` }, 404);

function view(silence: Silence & { state: SilenceState }) {
  return {
    ...silence,
    matchers: silence.matchers.map(matcherJSON),
    startsAt: new Date(silence.startsAt).toISOString(),
    endsAt: new Date(silence.endsAt).toISOString(),
  };
}
