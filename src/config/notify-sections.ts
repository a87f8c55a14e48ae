// The notification sections of tocsin.yaml (design.md §4): receivers built from the notifier
// registry, the routing tree, inhibition rules and named time intervals, each schema living beside
// its component; this file joins them and checks the cross-references (a route's receiver exists, a
// route's time intervals exist), reported at the route's own position.
import { z } from "zod";
import { inhibitRulesSchema } from "../alerting/inhibit.js";
import { muteWindowsSchema } from "../alerting/mute-windows.js";
import type { Route } from "../alerting/route-tree.js";
import { routeTreeSchema, walkRoutes } from "../alerting/route-tree.js";
import { NOTIFIERS } from "../notify/registry.js";
import { registryUnion } from "../util/schema-fields.js";

/** One receiver: `type` picks the channel, the rest is that channel's own strict config. */
const receiverSchema = registryUnion(NOTIFIERS);

export const notifySections = {
  /** Receivers by name, e.g. comms-slack: { type: slack, token: "${SLACK_TOKEN}", channel: "#comms" }. */
  receivers: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), receiverSchema).default({}),
  /** Which receiver gets which alerts; none means alerts go to the console and the alert log only. */
  route: routeTreeSchema.optional(),
  inhibit_rules: inhibitRulesSchema.default([]),
  time_intervals: muteWindowsSchema.default([]),
};

interface NotifySectionValues {
  receivers: Record<string, unknown>;
  route?: Route | undefined;
  time_intervals: Array<{ name: string }>;
}

/** The config path of a route id ("0.2.1" → route.routes[2].routes[1]). */
const routePath = (id: string): PropertyKey[] => [
  "route",
  ...id
    .split(".")
    .slice(1)
    .flatMap((index) => ["routes", Number(index)]),
];

/** The steps a route inherited: reported once, at the route that wrote them. */
function parentEscalation(root: Route, id: string): Route["escalate"] | undefined {
  const path = id.split(".").slice(1).map(Number);
  let route = root;
  for (const index of path.slice(0, -1)) route = route.routes[index] ?? route;
  return route.escalate;
}

/** Cross-reference checks for a superRefine over the whole config. */
export function checkNotifyReferences(config: NotifySectionValues, context: z.RefinementCtx): void {
  // A route section with errors of its own is left as written (not built): those errors come first.
  if (!config.route || typeof (config.route as Partial<Route>).id !== "string") return;
  const windows = new Set(config.time_intervals.map((window) => window.name));
  for (const route of walkRoutes(config.route)) {
    if (!(route.receiver in config.receivers)) {
      context.addIssue({
        code: "custom",
        path: [...routePath(route.id), "receiver"],
        message: `receiver "${route.receiver}" is not defined under receivers`,
      });
    }
    if (route.id === "0" || route.escalate !== parentEscalation(config.route, route.id)) {
      route.escalate.forEach((step, index) => {
        if (!(step.receiver in config.receivers)) {
          context.addIssue({
            code: "custom",
            path: [...routePath(route.id), "escalate", index, "receiver"],
            message: `receiver "${step.receiver}" is not defined under receivers`,
          });
        }
      });
    }
    for (const [key, names] of [
      ["mute_time_intervals", route.muteTimeIntervals],
      ["active_time_intervals", route.activeTimeIntervals],
    ] as const) {
      names.forEach((name, index) => {
        if (!windows.has(name)) {
          context.addIssue({
            code: "custom",
            path: [...routePath(route.id), key, index],
            message: `time interval "${name}" is not defined under time_intervals`,
          });
        }
      });
    }
  }
}
