import { describe, expect, it } from "vitest";
import type { Page } from "../src/alerting/dispatcher.js";
import { Dispatcher } from "../src/alerting/dispatcher.js";
import { inhibitRulesSchema } from "../src/alerting/inhibit.js";
import { parseMatcher } from "../src/alerting/matchers.js";
import { muteWindowsSchema } from "../src/alerting/mute-windows.js";
import { Muter } from "../src/alerting/muter.js";
import { routeTreeSchema } from "../src/alerting/route-tree.js";
import { Silences } from "../src/alerting/silences.js";
import type { Alert, AlertEventType, Severity } from "../src/model/index.js";

const S = 1_000;
const M = 60 * S;
const T0 = Date.parse("2026-03-06T12:00:00Z");

interface Setup {
  route?: unknown;
  silences?: Silences;
  inhibit?: unknown;
  windows?: unknown;
}

function dispatcher(setup: Setup = {}) {
  const silences = setup.silences ?? new Silences();
  const known = new Map<string, Alert>();
  const held: string[] = [];
  const d = new Dispatcher({
    route: routeTreeSchema.parse(
      setup.route ?? { receiver: "slack", group_by: ["brand"], group_wait: "30s", group_interval: "5m" },
    ),
    muter: new Muter({
      silences,
      inhibitRules: inhibitRulesSchema.parse(setup.inhibit ?? []),
      muteWindows: muteWindowsSchema.parse(setup.windows ?? []),
    }),
    silences,
    alerts: () => [...known.values()],
    onHeld: (alert, reason) => held.push(`${alert.fingerprint}:${reason.kind}`),
  });
  /** Moves an alert through the lifecycle as the engine would, and feeds the event in. */
  const event = (type: AlertEventType, fp: string, at: number, more: Partial<Alert> = {}) => {
    const measure = { time: at, value: 10, expected: 1, factor: 10, score: 5 };
    const alert: Alert = known.get(fp) ?? {
      id: `${fp}-1`,
      fingerprint: fp,
      rule: "g/Spike",
      name: "Spike",
      labels: { brand: "kryptonite" },
      state: "pending",
      severity: "warning",
      activeAt: at,
      last: measure,
      peak: measure,
      annotations: {},
      flapping: false,
      history: [],
    };
    Object.assign(alert, more);
    if (type === "firing") Object.assign(alert, { state: "firing", firedAt: at });
    if (type === "escalated") alert.severity = "critical" satisfies Severity;
    if (type === "resolved") Object.assign(alert, { state: "resolved", resolvedAt: at });
    known.set(fp, alert);
    d.observe({ type, alert }, at);
    return alert;
  };
  return { d, event, held };
}

const show = (pages: Page[]) =>
  pages.map((p) => `${p.receiver}:${p.event}:${p.alert.fingerprint}${p.note ? " +note" : ""}`);

describe("dispatcher", () => {
  it("pages each incident once per change: firing after group_wait, escalation and resolve at the next group ticks", () => {
    const { d, event } = dispatcher();
    event("firing", "a", T0);
    event("firing", "b", T0 + 10 * S);
    expect(show(d.tick(T0 + 29 * S))).toEqual([]);
    expect(show(d.tick(T0 + 30 * S))).toEqual(["slack:firing:a", "slack:firing:b"]);
    event("escalated", "a", T0 + 1 * M);
    expect(show(d.tick(T0 + 2 * M))).toEqual([]); // not before group_interval
    expect(show(d.tick(T0 + 5 * M + 30 * S))).toEqual(["slack:escalated:a"]);
    event("resolved", "a", T0 + 6 * M);
    event("resolved", "b", T0 + 7 * M);
    expect(show(d.tick(T0 + 10 * M + 30 * S))).toEqual(["slack:resolved:a", "slack:resolved:b"]);
    expect(show(d.tick(T0 + 60 * M))).toEqual([]);
  });

  it("sends a reminder per firing incident after repeat_interval, and none at the end of a replay", () => {
    const { d, event } = dispatcher({
      route: { receiver: "slack", group_wait: "0s", group_interval: "1m", repeat_interval: "1h" },
    });
    event("firing", "a", T0);
    expect(show(d.tick(T0))).toEqual(["slack:firing:a"]);
    expect(show(d.tick(T0 + 30 * M, { final: true }))).toEqual([]);
    expect(show(d.tick(T0 + 61 * M))).toEqual(["slack:reminder:a"]);
  });

  it("tells every waiting group at once at the end of a finite replay", () => {
    const { d, event } = dispatcher();
    event("firing", "a", T0);
    expect(show(d.tick(T0 + 1 * S, { final: true }))).toEqual(["slack:firing:a"]);
    event("resolved", "a", T0 + 2 * S);
    expect(show(d.tick(T0 + 3 * S, { final: true }))).toEqual(["slack:resolved:a"]);
  });

  it("follows the routing tree: continue pages both routes, and a change is told once per receiver", () => {
    const { d, event } = dispatcher({
      route: {
        receiver: "slack",
        group_wait: "0s",
        routes: [
          { matchers: ['brand="kryptonite"'], receiver: "pagerduty", continue: true },
          { matchers: ['brand="kryptonite"'], receiver: "mail" },
          { matchers: ['brand="kryptonite"'], receiver: "never" },
        ],
      },
    });
    event("firing", "a", T0);
    expect(show(d.tick(T0))).toEqual(["pagerduty:firing:a", "mail:firing:a"]);
  });

  it("holds a silenced alert, says why once, and pages it at the first tick after the silence ends", () => {
    const silences = new Silences([
      {
        id: "s1",
        matchers: [parseMatcher('brand="kryptonite"')],
        startsAt: T0 - M,
        endsAt: T0 + 20 * M,
        createdBy: "ana",
        comment: "known issue",
      },
    ]);
    const { d, event, held } = dispatcher({ silences });
    event("firing", "a", T0);
    expect(show(d.tick(T0 + 30 * S))).toEqual([]);
    expect(d.heldReason("a-1")).toMatchObject({ kind: "silence", id: "s1" });
    expect(show(d.tick(T0 + 5 * M + 30 * S))).toEqual([]);
    expect(held).toEqual(["a:silence"]);
    expect(show(d.tick(T0 + 20 * M + 30 * S))).toEqual(["slack:firing:a"]);
    expect(d.heldReason("a-1")).toBeUndefined();
  });

  it("says so when a silence ends on an alert that resolved meanwhile, to those who were paged", () => {
    const silences = new Silences();
    const { d, event } = dispatcher({ silences });
    event("firing", "a", T0);
    expect(show(d.tick(T0 + 30 * S))).toEqual(["slack:firing:a"]);
    silences.add({
      id: "s1",
      matchers: [parseMatcher('brand="kryptonite"')],
      startsAt: T0 + 1 * M,
      endsAt: T0 + 30 * M,
      createdBy: "ana",
      comment: "we know",
    });
    event("resolved", "a", T0 + 10 * M);
    expect(show(d.tick(T0 + 10 * M + 30 * S))).toEqual([]); // the resolve is held
    const pages = d.tick(T0 + 31 * M);
    expect(show(pages)).toEqual(["slack:resolved:a +note"]);
    expect(pages[0]?.note).toMatch(
      /^silence s1 \(brand="kryptonite"\) ended; alert Spike a-1 resolved meanwhile at 2026-03-06T12:10:00.000Z/,
    );
    expect(show(d.tick(T0 + 40 * M))).toEqual([]);
  });

  it("holds a warning while a critical alert of the same brand fires (inhibition)", () => {
    const { d, event } = dispatcher({
      inhibit: [
        {
          source_matchers: ['severity="critical"'],
          target_matchers: ['severity="warning"'],
          equal: ["brand"],
        },
      ],
      route: { receiver: "slack", group_wait: "0s", group_by: ["..."] },
    });
    event("firing", "crit", T0, { severity: "critical", name: "Crit" });
    event("firing", "warn", T0);
    expect(show(d.tick(T0))).toEqual(["slack:firing:crit"]);
    expect(d.heldReason("warn-1")).toEqual({ kind: "inhibition", name: "inhibit_rules[0]", by: "crit" });
    event("resolved", "crit", T0 + M);
    expect(show(d.tick(T0 + 5 * M))).toEqual(["slack:resolved:crit", "slack:firing:warn"]);
  });

  it("escalates an unacknowledged firing alert along its route's steps, one at a time", () => {
    const { d, event } = dispatcher({
      route: {
        receiver: "slack",
        group_wait: "0s",
        escalate: [
          { after: "15m", receiver: "pagerduty" },
          { after: "45m", receiver: "director" },
        ],
      },
    });
    event("firing", "a", T0);
    expect(show(d.tick(T0))).toEqual(["slack:firing:a"]);
    expect(show(d.tick(T0 + 14 * M))).toEqual([]);
    const escalation = d.tick(T0 + 15 * M);
    expect(show(escalation)).toEqual(["pagerduty:firing:a +note"]);
    expect(escalation[0]?.note).toBe("Escalated: not acknowledged within 15m of the first page to slack.");
    expect(show(d.tick(T0 + 44 * M))).toEqual([]);
    expect(show(d.tick(T0 + 45 * M))).toEqual(["director:firing:a +note"]);
    // Everyone paged hears of the later changes, whichever route they came by.
    event("resolved", "a", T0 + 50 * M);
    expect(show(d.tick(T0 + 50 * M))).toEqual([
      "slack:resolved:a",
      "pagerduty:resolved:a",
      "director:resolved:a",
    ]);
  });

  it("stops escalating once acknowledged and tells every receiver paged so far", () => {
    const { d, event } = dispatcher({
      route: {
        receiver: "slack",
        group_wait: "0s",
        escalate: [
          { after: "15m", receiver: "pagerduty" },
          { after: "45m", receiver: "director" },
        ],
      },
    });
    const alert = event("firing", "a", T0);
    d.tick(T0);
    d.tick(T0 + 15 * M);
    alert.acknowledged = { by: "claire", at: T0 + 20 * M };
    expect(show(d.acknowledge(alert))).toEqual(["slack:acknowledged:a", "pagerduty:acknowledged:a"]);
    expect(show(d.acknowledge(alert))).toEqual([]); // told once
    expect(show(d.tick(T0 + 2 * 60 * M))).toEqual([]);
  });

  it("does not escalate while the route is muted, and catches up when the mute window ends", () => {
    const { d, event } = dispatcher({
      windows: [{ name: "lunch", time_intervals: [{ times: ["12:10-13:00"] }] }],
      route: {
        receiver: "slack",
        group_wait: "0s",
        mute_time_intervals: ["lunch"],
        escalate: [{ after: "15m", receiver: "pagerduty" }],
      },
    });
    event("firing", "a", T0);
    expect(show(d.tick(T0))).toEqual(["slack:firing:a"]);
    expect(show(d.tick(T0 + 15 * M))).toEqual([]);
    expect(d.heldReason("a-1")).toEqual({ kind: "mute_window", name: "lunch" });
    expect(show(d.tick(T0 + 60 * M))).toEqual(["pagerduty:firing:a +note"]);
  });

  it("says nothing of an alert that fired and resolved within group_wait", () => {
    const { d, event } = dispatcher();
    event("firing", "a", T0);
    event("resolved", "a", T0 + 10 * S);
    expect(show(d.tick(T0 + 30 * S))).toEqual([]);
    expect(show(d.tick(T0 + 60 * M))).toEqual([]);
  });
});
