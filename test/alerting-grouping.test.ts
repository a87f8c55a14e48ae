import { describe, expect, it } from "vitest";
import { AlertGroups, groupKeyOf } from "../src/alerting/grouping.js";
import { routeTreeSchema } from "../src/alerting/route-tree.js";
import type { Alert, AlertEvent, AlertEventType } from "../src/model/index.js";

const S = 1_000;
const M = 60 * S;
const T0 = Date.parse("2026-03-06T09:00:00Z");
const route = routeTreeSchema.parse({
  receiver: "slack",
  group_by: ["brand"],
  group_wait: "30s",
  group_interval: "5m",
  repeat_interval: "1h",
});

function event(type: AlertEventType, fp: string, brand = "kryptonite"): AlertEvent {
  const measure = { time: T0, value: 1, expected: 1, factor: 1, score: 1 };
  const alert: Alert = {
    id: `${fp}-1`,
    fingerprint: fp,
    rule: "g/Spike",
    name: "Spike",
    labels: { brand },
    state: type === "resolved" ? "resolved" : type === "pending" ? "pending" : "firing",
    severity: type === "escalated" ? "critical" : "warning",
    activeAt: T0,
    last: measure,
    peak: measure,
    annotations: {},
    flapping: false,
    history: [],
  };
  return { type, alert };
}

/** Each flush as "reason:fingerprints(state initial)". */
const told = (groups: AlertGroups, now: number) =>
  groups.due(now).map((f) => `${f.reason}:${f.alerts.map((a) => `${a.fingerprint}${a.state[0]}`).join(",")}`);

describe("alert grouping", () => {
  it("builds the group key from the group_by labels, missing ones empty", () => {
    expect(groupKeyOf(route, { brand: "k", channel: "x" })).toEqual({
      key: '0:{brand="k"}',
      labels: { brand: "k" },
    });
    expect(groupKeyOf({ ...route, groupBy: ["team", "brand"] }, { brand: "k" }).key).toBe(
      '0:{brand="k",team=""}',
    );
    expect(groupKeyOf({ ...route, groupBy: "all" }, { b: "2", a: "1" }).key).toBe('0:{a="1",b="2"}');
  });

  it("waits group_wait before the first notification, gathering alerts meanwhile", () => {
    const groups = new AlertGroups();
    groups.add(route, event("firing", "a"), T0);
    groups.add(route, event("firing", "b"), T0 + 10 * S);
    expect(told(groups, T0 + 29 * S)).toEqual([]);
    expect(groups.nextDueAt()).toBe(T0 + 30 * S);
    expect(told(groups, T0 + 30 * S)).toEqual(["group_wait:af,bf"]);
  });

  it("keeps separate groups per group key and per receiver", () => {
    const groups = new AlertGroups();
    groups.add(route, event("firing", "a", "kryptonite"), T0);
    groups.add(route, event("firing", "b", "acme"), T0 + 20 * S);
    expect(told(groups, T0 + 30 * S)).toEqual(["group_wait:af"]);
    const flushes = groups.due(T0 + 50 * S);
    expect(flushes.map((f) => [f.receiver, f.groupKey, f.groupLabels])).toEqual([
      ["slack", '0:{brand="acme"}', { brand: "acme" }],
    ]);
  });

  it("tells changes at the next group_interval tick, never sooner", () => {
    const groups = new AlertGroups();
    groups.add(route, event("firing", "a"), T0);
    expect(told(groups, T0 + 30 * S)).toEqual(["group_wait:af"]);
    groups.add(route, event("firing", "b"), T0 + 1 * M);
    expect(told(groups, T0 + 5 * M)).toEqual([]); // next tick is at 5m30s
    expect(told(groups, T0 + 5 * M + 30 * S)).toEqual(["group_interval:af,bf"]);
    // Nothing new: the following ticks are quiet.
    expect(told(groups, T0 + 10 * M + 30 * S)).toEqual([]);
  });

  it("re-sends an unchanged firing group after repeat_interval", () => {
    const groups = new AlertGroups();
    groups.add(route, event("firing", "a"), T0);
    expect(told(groups, T0 + 30 * S)).toEqual(["group_wait:af"]);
    for (let tick = 1; tick < 12; tick++) expect(told(groups, T0 + 30 * S + tick * 5 * M)).toEqual([]);
    expect(told(groups, T0 + 30 * S + 60 * M)).toEqual(["repeat_interval:af"]);
  });

  it("tells a resolved alert once, then drops it and forgets the empty group", () => {
    const groups = new AlertGroups();
    groups.add(route, event("firing", "a"), T0);
    groups.add(route, event("firing", "b"), T0);
    expect(told(groups, T0 + 30 * S)).toEqual(["group_wait:af,bf"]);
    groups.add(route, event("resolved", "a"), T0 + 2 * M);
    expect(told(groups, T0 + 5 * M + 30 * S)).toEqual(["group_interval:bf,ar"]);
    groups.add(route, event("resolved", "b"), T0 + 6 * M);
    expect(told(groups, T0 + 10 * M + 30 * S)).toEqual(["group_interval:br"]);
    expect(groups.size).toBe(0);
    // A new alert starts a new group with its own group_wait.
    groups.add(route, event("firing", "c"), T0 + 11 * M);
    expect(told(groups, T0 + 11 * M + 29 * S)).toEqual([]);
    expect(told(groups, T0 + 11 * M + 30 * S)).toEqual(["group_wait:cf"]);
  });

  it("says nothing of an alert that resolved before its group was first told", () => {
    const groups = new AlertGroups();
    groups.add(route, event("firing", "a"), T0);
    groups.add(route, event("resolved", "a"), T0 + 10 * S);
    expect(told(groups, T0 + 30 * S)).toEqual([]);
    expect(groups.size).toBe(0);
    groups.add(route, event("resolved", "z"), T0 + 40 * S);
    expect(groups.size).toBe(0);
  });

  it("tells an escalation at the next tick and ignores pending events", () => {
    const groups = new AlertGroups();
    groups.add(route, event("pending", "a"), T0);
    expect(groups.size).toBe(0);
    groups.add(route, event("firing", "a"), T0);
    expect(told(groups, T0 + 30 * S)).toEqual(["group_wait:af"]);
    groups.add(route, event("escalated", "a"), T0 + 1 * M);
    const [flush] = groups.due(T0 + 5 * M + 30 * S);
    expect(flush?.reason).toBe("group_interval");
    expect(flush?.alerts[0]?.severity).toBe("critical");
  });
});
