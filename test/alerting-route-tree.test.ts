import { describe, expect, it } from "vitest";
import { routeAlert, routeTreeSchema, walkRoutes } from "../src/alerting/route-tree.js";

const tree = routeTreeSchema.parse({
  receiver: "console",
  group_by: ["brand"],
  group_wait: "30s",
  repeat_interval: "4h",
  routes: [
    {
      matchers: ['severity="critical"'],
      receiver: "pagerduty",
      group_wait: "10s",
      continue: true,
      routes: [{ matchers: ['brand="kryptonite"'], receiver: "kryptonite-oncall", group_by: ["..."] }],
    },
    { matchers: ['team="comms"'], receiver: "slack-comms", group_interval: "10m" },
    { matchers: ['team=~"comms|social"'], receiver: "slack-social" },
  ],
});

const receivers = (labels: Record<string, string>) => routeAlert(tree, labels).map((r) => r.receiver);

describe("routing tree", () => {
  it("keeps an alert at the root when no child matches", () => {
    expect(receivers({ brand: "acme", severity: "warning" })).toEqual(["console"]);
  });

  it("takes the first matching child and stops there without continue", () => {
    expect(receivers({ brand: "acme", severity: "warning", team: "comms" })).toEqual(["slack-comms"]);
  });

  it("goes on to the next siblings after a child with continue: true", () => {
    expect(receivers({ brand: "acme", severity: "critical", team: "comms" })).toEqual([
      "pagerduty",
      "slack-comms",
    ]);
  });

  it("descends to the deepest matching route, the parent only when no child matches", () => {
    expect(receivers({ brand: "kryptonite", severity: "critical" })).toEqual(["kryptonite-oncall"]);
    expect(receivers({ brand: "acme", severity: "critical" })).toEqual(["pagerduty"]);
  });

  it("lets children inherit receiver, group_by and intervals but not matchers or continue", () => {
    const [root] = [tree];
    const [critical, comms] = tree.routes;
    const leaf = critical?.routes[0];
    expect(root.groupWaitMs).toBe(30_000);
    expect(root.groupIntervalMs).toBe(300_000); // Alertmanager's default
    expect(critical).toMatchObject({
      groupWaitMs: 10_000,
      groupBy: ["brand"],
      repeatIntervalMs: 14_400_000,
      continue: true,
    });
    expect(leaf).toMatchObject({ id: "0.0.0", groupWaitMs: 10_000, groupBy: "all", continue: false });
    expect(leaf?.matchers).toHaveLength(1);
    expect(comms).toMatchObject({ id: "0.1", groupWaitMs: 30_000, groupIntervalMs: 600_000 });
    const inheritReceiver = routeTreeSchema.parse({ receiver: "a", routes: [{ matchers: ['x="1"'] }] });
    expect(inheritReceiver.routes[0]?.receiver).toBe("a");
  });

  it("lists every route depth first", () => {
    expect(walkRoutes(tree).map((r) => r.id)).toEqual(["0", "0.0", "0.0.0", "0.1", "0.2"]);
  });

  it("refuses a root without receiver, with matchers, unknown keys and bad durations", () => {
    expect(routeTreeSchema.safeParse({}).success).toBe(false);
    expect(routeTreeSchema.safeParse({ receiver: "a", matchers: ['x="1"'] }).success).toBe(false);
    expect(routeTreeSchema.safeParse({ receiver: "a", routes: [{ recevier: "b" }] }).success).toBe(false);
    expect(routeTreeSchema.safeParse({ receiver: "a", group_wait: 30 }).success).toBe(false);
    expect(routeTreeSchema.safeParse({ receiver: "a", group_interval: "0s" }).success).toBe(false);
    expect(routeTreeSchema.safeParse({ receiver: "a", routes: [{ matchers: ['x=~"("'] }] }).success).toBe(
      false,
    );
  });
});
