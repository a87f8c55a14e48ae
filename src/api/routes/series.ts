// GET /v1/series?metric=&brand=&channel=&from=&to= → the stored points of matching series.
import type { Hono } from "hono";
import type { Engine } from "../../engine.js";
import { isMetric, METRICS } from "../../model/index.js";

const DEFAULT_SPAN_MS = 86_400_000;

export function seriesRoutes(app: Hono, engine: Engine): void {
  app.get("/v1/series", (context) => {
    const query = context.req.query();
    const metric = query.metric ?? "negative";
    if (!isMetric(metric)) {
      return context.json({ error: `unknown metric "${metric}"; one of ${METRICS.join(", ")}` }, 400);
    }
    const last = engine.store.lastWindowStart();
    const defaultTo = last === undefined ? engine.clock.now() : last + engine.config.window;
    const to = parseTime(query.to, defaultTo);
    const from = parseTime(query.from, (Number.isNaN(to) ? defaultTo : to) - DEFAULT_SPAN_MS);
    if (Number.isNaN(from) || Number.isNaN(to)) {
      return context.json({ error: "from and to must be ISO 8601 date-times or epoch milliseconds" }, 400);
    }
    const series = engine.series({
      metric,
      from,
      to,
      match: labelMatchers(query),
    });
    return context.json({
      metric,
      window: engine.config.window,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      series: series.map(({ key, points }) => ({
        labels: key,
        points: points.map((point) => ({ time: new Date(point.time).toISOString(), value: point.value })),
      })),
    });
  });
}

/** Every query parameter other than metric, from and to is a label to match exactly. */
function labelMatchers(query: Record<string, string>): Record<string, string> {
  const { metric: _metric, from: _from, to: _to, ...labels } = query;
  return labels;
}

function parseTime(text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  return /^\d+$/.test(text) ? Number(text) : Date.parse(text);
}
