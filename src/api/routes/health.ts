// Liveness, readiness and Prometheus metrics.
import type { Hono } from "hono";
import type { Engine } from "../../engine.js";

export function healthRoutes(app: Hono, engine: Engine): void {
  app.get("/healthz", (context) => context.json({ status: "ok" }));
  app.get("/readyz", (context) =>
    engine.isReady() ? context.json({ status: "ready" }) : context.json({ status: "not ready" }, 503),
  );
  app.get("/metrics", async (context) => {
    const registry = engine.metrics.registry;
    return context.body(await registry.metrics(), 200, { "content-type": registry.contentType });
  });
}
