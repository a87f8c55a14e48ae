// The alerting state as plain data: a dispatcher and an alert book saved (through JSON, as on disk)
// and restored make the same decisions as ones that never stopped; page keys name each page; the
// state file picks the saved state that matches the series snapshot.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AlertBook } from "../src/alerting/alert-book.js";
import type { Page } from "../src/alerting/dispatcher.js";
import { Dispatcher } from "../src/alerting/dispatcher.js";
import type { Judgement, LifecyclePolicy } from "../src/alerting/lifecycle.js";
import { Muter } from "../src/alerting/muter.js";
import { routeTreeSchema } from "../src/alerting/route-tree.js";
import { Silences } from "../src/alerting/silences.js";
import type { Alert, AlertEvent } from "../src/model/index.js";
import { encodeState, loadState, saveState } from "../src/util/state-file.js";

const S = 1_000;
const M = 60 * S;
const T0 = Date.parse("2026-03-06T12:00:00Z");
const ROUTE = {
  receiver: "slack",
  group_by: ["brand"],
  group_wait: "30s",
  group_interval: "1m",
  repeat_interval: "10m",
  escalate: [{ after: "5m", receiver: "pagerduty" }],
};

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function dispatcher(): Dispatcher {
  const silences = new Silences();
  return new Dispatcher({
    route: routeTreeSchema.parse(ROUTE),
    muter: new Muter({ silences, inhibitRules: [], muteWindows: [] }),
    silences,
    alerts: () => [],
  });
}

function alert(more: Partial<Alert> = {}): Alert {
  const measure = { time: T0, value: 10, expected: 1, factor: 10, score: 5 };
  return {
    id: "a-1",
    fingerprint: "a",
    rule: "g/Spike",
    name: "Spike",
    labels: { brand: "kryptonite" },
    state: "firing",
    severity: "warning",
    activeAt: T0,
    firedAt: T0,
    last: measure,
    peak: measure,
    annotations: {},
    flapping: false,
    history: [{ at: T0, event: "firing", severity: "warning", value: 10 }],
    ...more,
  };
}

const show = (pages: Page[]) => pages.map((page) => `${page.receiver} ${page.key}`);

describe("dispatcher state", () => {
  it("restored from JSON mid-incident, pages what an uninterrupted dispatcher pages, nothing again", () => {
    const steady = dispatcher();
    const saved = dispatcher();
    const firing: AlertEvent = { type: "firing", alert: alert() };
    for (const d of [steady, saved]) {
      d.observe(firing, T0);
      expect(show(d.tick(T0 + 30 * S))).toEqual(["slack a-1:firing"]);
    }
    const restored = dispatcher();
    restored.restore(throughJson(saved.save()));

    const escalated = alert({
      severity: "critical",
      history: [...alert().history, { at: T0 + 2 * M, event: "escalated", severity: "critical", value: 50 }],
    });
    const later = (d: Dispatcher) => [
      ...show(d.tick(T0 + M)),
      ...(d.observe({ type: "escalated", alert: escalated }, T0 + 2 * M), show(d.tick(T0 + 2 * M))),
      ...show(d.tick(T0 + 6 * M)),
      ...show(d.tick(T0 + 13 * M)),
      ...show(d.tick(T0 + 24 * M)),
    ];
    const expected = later(steady);
    expect(expected).toEqual([
      "slack a-1:escalated:1",
      "pagerduty a-1:firing",
      "slack a-1:reminder:1",
      "slack a-1:reminder:2",
    ]);
    expect(later(restored)).toEqual(expected);
  });

  it("drops saved groups and escalations whose route the configuration no longer has", () => {
    const saved = dispatcher();
    saved.observe({ type: "firing", alert: alert() }, T0);
    const state = throughJson(saved.save());
    for (const group of state.groups) group.route = "0.9";
    const restored = dispatcher();
    restored.restore(state);
    expect(show(restored.tick(T0 + 30 * S))).toEqual([]);
  });
});

describe("alert book state", () => {
  const policy: LifecyclePolicy = { forMs: 0, keepFiringForMs: 0, severity: "warning" };
  const identity = { fingerprint: "a", rule: "g/Spike", name: "Spike", labels: { brand: "kryptonite" } };
  const judgement = (time: number, breach: boolean): Judgement => ({
    time,
    measure: { time: time - 5 * M, value: breach ? 50 : 2, expected: 2, factor: 1, score: 0 },
    breach,
    critical: false,
    holds: breach,
  });

  it("carries an open episode through JSON: the restored book resolves the same episode", () => {
    const book = new AlertBook();
    expect(book.judge(identity, judgement(T0, true), policy).map((e) => e.type)).toEqual([
      "pending",
      "firing",
    ]);
    const restored = new AlertBook();
    restored.restore(throughJson(book.save()));
    expect(restored.isActive("a")).toBe(true);
    const [resolved] = restored.judge(identity, judgement(T0 + 5 * M, false), policy);
    expect(resolved).toMatchObject({ type: "resolved", alert: { id: book.list()[0]?.id } });
    expect(restored.activeSpans("a")).toEqual([[T0, T0 + 5 * M]]);
  });
});

describe("state file", () => {
  it("loads the newest saved state matching the series, else the one saved before, else says why not", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "tocsin-state-")), "alerting.state");
    expect(await loadState(path, 1)).toEqual({ ok: false, reason: "none" });
    await saveState(path, encodeState(1, { n: "first" }, 10));
    await saveState(path, encodeState(2, { n: "second" }, 20));
    expect(await loadState(path, 2)).toEqual({ ok: true, state: { n: "second" }, savedAt: 20 });
    // A crash after the state was written but before the series snapshot: the older pair matches.
    expect(await loadState(path, 1)).toEqual({ ok: true, state: { n: "first" }, savedAt: 10 });
    expect(await loadState(path, 3)).toEqual({ ok: false, reason: "mismatch" });
    await writeFile(path, "{ torn");
    expect(await loadState(path, 3)).toMatchObject({ ok: false, reason: "unreadable" });
  });
});
