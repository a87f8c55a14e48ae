// GET /v1/rules: the rules running now; POST /v1/rules/reload: reload them from disk (422 with
// file:line:col errors when the files are bad, the running rules untouched).
import type { Hono } from "hono";
import type { Engine } from "../../engine.js";

export function ruleRoutes(app: Hono, engine: Engine): void {
  app.get("/v1/rules", (context) => {
    const { rules, files } = engine.rules();
    return context.json({
      files,
      rules: rules.map((rule) => ({
        id: rule.id,
        group: rule.group,
        alert: rule.name,
        file: rule.file,
        metric: rule.metric,
        by: rule.by ?? null,
        match: rule.match,
        detector: { type: rule.detector.type, ...(rule.config as object) },
        for_ms: rule.forMs,
        keep_firing_for_ms: rule.keepFiringForMs,
        severity: rule.severity,
        labels: rule.labels,
        source: rule.source,
      })),
    });
  });
  app.post("/v1/rules/reload", async (context) => {
    const result = await engine.reloadRules();
    return result.ok ? context.json(result) : context.json(result, 422);
  });
}
