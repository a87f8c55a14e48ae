import { describe, expect, it } from "vitest";
import { inhibitRulesSchema } from "../src/alerting/inhibit.js";
import { parseMatcher } from "../src/alerting/matchers.js";
import { muteWindowsSchema } from "../src/alerting/mute-windows.js";
import { Muter } from "../src/alerting/muter.js";
import { routeAlert, routeTreeSchema } from "../src/alerting/route-tree.js";
import { Silences } from "../src/alerting/silences.js";

const T0 = Date.parse("2026-03-06T12:00:00Z"); // a Friday, noon in UTC
const H = 3_600_000;

const tree = routeTreeSchema.parse({
  receiver: "slack",
  routes: [
    { matchers: ['team="night"'], receiver: "night-desk", mute_time_intervals: ["daytime"] },
    { matchers: ['team="office"'], receiver: "office", active_time_intervals: ["office-hours"] },
  ],
});
const muteWindows = muteWindowsSchema.parse([
  { name: "daytime", time_intervals: [{ times: ["08:00-20:00"] }] },
  { name: "office-hours", time_intervals: [{ weekdays: ["monday:friday"], times: ["09:00-18:00"] }] },
]);
const silences = new Silences([
  {
    id: "s1",
    matchers: [parseMatcher('brand="kryptonite"')],
    startsAt: T0 - H,
    endsAt: T0 + H,
    createdBy: "ana",
    comment: "recall announced",
  },
]);
const inhibitRules = inhibitRulesSchema.parse([
  { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["brand"] },
]);
const muter = new Muter({ silences, inhibitRules, muteWindows });

const routeOf = (labels: Record<string, string>) => routeAlert(tree, labels)[0];

describe("muter", () => {
  it("says which silence holds a page and until when", () => {
    const labels = { brand: "kryptonite", severity: "warning" };
    expect(muter.mutes(labels, T0)).toEqual({
      kind: "silence",
      id: "s1",
      until: T0 + H,
      createdBy: "ana",
      comment: "recall announced",
    });
    expect(muter.mutes(labels, T0 + H)).toBeUndefined();
  });

  it("says which rule and which firing alert inhibit a page", () => {
    const labels = { brand: "acme", severity: "warning" };
    const firing = [{ fingerprint: "crit", labels: { brand: "acme", severity: "critical" } }];
    expect(muter.mutes(labels, T0, { fingerprint: "warn", firing })).toEqual({
      kind: "inhibition",
      name: "inhibit_rules[0]",
      by: "crit",
    });
    expect(muter.mutes(labels, T0, { fingerprint: "warn", firing: [] })).toBeUndefined();
  });

  it("prefers the silence when both a silence and an inhibition hold", () => {
    const labels = { brand: "kryptonite", severity: "warning" };
    const firing = [{ fingerprint: "crit", labels: { brand: "kryptonite", severity: "critical" } }];
    expect(muter.mutes(labels, T0, { firing })?.kind).toBe("silence");
  });

  it("holds a route's pages during its mute windows", () => {
    const labels = { brand: "acme", team: "night" };
    const route = routeOf(labels);
    expect(route?.receiver).toBe("night-desk");
    expect(muter.mutes(labels, T0, { route })).toEqual({ kind: "mute_window", name: "daytime" });
    expect(muter.mutes(labels, T0 + 9 * H, { route })).toBeUndefined(); // 21:00
  });

  it("holds a route's pages outside its active windows", () => {
    const labels = { brand: "acme", team: "office" };
    const route = routeOf(labels);
    expect(muter.mutes(labels, T0, { route })).toBeUndefined();
    expect(muter.mutes(labels, T0 + 7 * H, { route })).toEqual({
      kind: "mute_window",
      name: "office-hours",
      outsideActive: true,
    });
  });

  it("lets a page through when nothing holds it", () => {
    const labels = { brand: "acme", severity: "warning" };
    expect(muter.mutes(labels, T0, { route: routeOf(labels), firing: [] })).toBeUndefined();
    expect(new Muter({ silences: new Silences() }).mutes(labels, T0)).toBeUndefined();
  });
});
