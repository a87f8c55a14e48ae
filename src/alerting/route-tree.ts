// The routing tree of tocsin.yaml, after Alertmanager's dispatch/route.go: an alert walks down from the
// root; the first matching child takes it unless that child says `continue: true`; a route none of
// whose children match keeps the alert itself. Children inherit receiver, group_by, the three
// intervals and the escalation steps (ours, not Alertmanager's) from their parent; matchers, continue
// and the time intervals are never inherited.
import { z } from "zod";
import type { Labels } from "../model/index.js";
import { durationField } from "../util/schema-fields.js";
import type { Matcher } from "./matchers.js";
import { matches, matchersSchema } from "./matchers.js";

/** Alertmanager's defaults (config/config.go DefaultRouteOpts). */
export const ROUTE_DEFAULTS = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 };

export interface Route {
  /** Position in the tree: "0" for the root, "0.2.1" for the second child of its third child. */
  id: string;
  receiver: string;
  /** Label names that make the group key, or "all" (`["..."]`): every alert its own group. */
  groupBy: readonly string[] | "all";
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  matchers: readonly Matcher[];
  continue: boolean;
  /** Names of mute windows during which this route's notifications are held. */
  muteTimeIntervals: readonly string[];
  /** Names of windows outside of which this route's notifications are held (empty: always active). */
  activeTimeIntervals: readonly string[];
  /** Receivers paged in turn while a firing alert stays unacknowledged; inherited. */
  escalate: readonly EscalationStep[];
  routes: readonly Route[];
}

export interface EscalationStep {
  /** Since the alert's first page on this route. */
  afterMs: number;
  receiver: string;
}

interface RouteInput {
  receiver?: string | undefined;
  group_by?: string[] | undefined;
  group_wait?: number | undefined;
  group_interval?: number | undefined;
  repeat_interval?: number | undefined;
  matchers?: Matcher[] | undefined;
  continue?: boolean | undefined;
  mute_time_intervals?: string[] | undefined;
  active_time_intervals?: string[] | undefined;
  escalate?: Array<{ after: number; receiver: string }> | undefined;
  routes?: RouteInput[] | undefined;
}

const routeFields = {
  receiver: z.string().min(1).optional().describe("Notifier that gets this route's groups; inherited."),
  group_by: z
    .array(z.string().min(1))
    .optional()
    .describe('Labels whose values make a group, or ["..."] for one group per alert; inherited.'),
  group_wait: durationField({ what: "a group wait" })
    .optional()
    .describe("How long a new group waits for more alerts before its first notification; inherited."),
  group_interval: durationField({ what: "a group interval", allowZero: false })
    .optional()
    .describe("Minimum time between notifications of changes to a group; inherited."),
  repeat_interval: durationField({ what: "a repeat interval", allowZero: false })
    .optional()
    .describe("How long before an unchanged firing group is notified again; inherited."),
  matchers: matchersSchema.optional().describe("Label matchers an alert must satisfy to take this route."),
  continue: z.boolean().optional().describe("Keep trying the next siblings after this route matched."),
  mute_time_intervals: z
    .array(z.string().min(1))
    .optional()
    .describe("Mute windows (by name) during which this route stays quiet; not inherited."),
  active_time_intervals: z
    .array(z.string().min(1))
    .optional()
    .describe("Mute windows (by name) outside of which this route stays quiet; not inherited."),
  escalate: z
    .array(
      z.strictObject({
        after: durationField({ what: "an escalation delay", allowZero: false }).describe(
          "Time since the alert's first page on this route.",
        ),
        receiver: z.string().min(1).describe("Receiver paged if nobody has acknowledged the alert by then."),
      }),
    )
    .optional()
    .refine(
      (steps) => (steps ?? []).every((step, i, all) => i === 0 || step.after > (all[i - 1]?.after ?? 0)),
      {
        message: "escalation steps must come in increasing order of `after`",
      },
    )
    .describe(
      "Escalation: while a firing alert is not acknowledged (POST /v1/alerts/:id/ack), page these receivers in turn, e.g. Slack first, PagerDuty 15 minutes later; inherited, [] turns it off.",
    ),
};

export const routeSchema: z.ZodType<RouteInput, unknown> = z.lazy(() =>
  z.strictObject({
    ...routeFields,
    routes: z.array(routeSchema).optional().describe("Child routes, tried in order."),
  }),
);

/** The `route:` section: the root must name a receiver and matches every alert. */
export const routeTreeSchema = z
  .lazy(() => routeSchema)
  .superRefine((root, context) => {
    if (!root.receiver) context.addIssue({ code: "custom", message: "the root route needs a receiver" });
    if (root.matchers?.length)
      context.addIssue({ code: "custom", message: "the root route matches every alert: no matchers" });
    if (root.continue) context.addIssue({ code: "custom", message: "the root route cannot continue" });
  })
  .transform((root) => buildRouteTree(root))
  .describe("The routing tree: which receiver gets which alerts, grouped how, how often.");

/** Resolves inheritance: every route gets its full settings. */
export function buildRouteTree(input: RouteInput, parent?: Route, id = "0"): Route {
  const groupBy = input.group_by ?? parent?.groupBy ?? [];
  const route: Route = {
    id,
    receiver: input.receiver ?? parent?.receiver ?? "",
    groupBy: groupBy !== "all" && groupBy.includes("...") ? "all" : groupBy,
    groupWaitMs: input.group_wait ?? parent?.groupWaitMs ?? ROUTE_DEFAULTS.groupWaitMs,
    groupIntervalMs: input.group_interval ?? parent?.groupIntervalMs ?? ROUTE_DEFAULTS.groupIntervalMs,
    repeatIntervalMs: input.repeat_interval ?? parent?.repeatIntervalMs ?? ROUTE_DEFAULTS.repeatIntervalMs,
    matchers: input.matchers ?? [],
    continue: input.continue ?? false,
    muteTimeIntervals: input.mute_time_intervals ?? [],
    activeTimeIntervals: input.active_time_intervals ?? [],
    escalate:
      input.escalate?.map((step) => ({ afterMs: step.after, receiver: step.receiver })) ??
      parent?.escalate ??
      [],
    routes: [],
  };
  route.routes = (input.routes ?? []).map((child, i) => buildRouteTree(child, route, `${id}.${i}`));
  return route;
}

/** The routes that take an alert, in order (Alertmanager's Route.Match); empty if the root does not match. */
export function routeAlert(route: Route, labels: Labels): Route[] {
  if (!matches(route.matchers, labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const taken = routeAlert(child, labels);
    all.push(...taken);
    if (taken.length > 0 && !child.continue) break;
  }
  return all.length > 0 ? all : [route];
}

/** Every route of the tree, depth first (for cross-reference checks: receivers, interval names). */
export function walkRoutes(route: Route): Route[] {
  return [route, ...route.routes.flatMap(walkRoutes)];
}

/** Every route of the tree by its id (its position), to find a saved group's route again. */
export function routesById(root: Route): Map<string, Route> {
  return new Map(walkRoutes(root).map((route) => [route.id, route]));
}
