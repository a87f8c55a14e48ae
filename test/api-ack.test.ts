import type { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { MIN, T0 } from "./helpers/mentions.js";
import { WINDOW, pagingEngines } from "./helpers/paging-engine.js";

const H = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
/** The alert of `fire(T0)` fires when its window closes. */
const FIRED_AT = T0 + WINDOW;

interface AckView {
  id: string;
  state: string;
  acknowledged?: { by: string; at: string; comment?: string };
  already_acknowledged: boolean;
  error?: string;
}

const start = pagingEngines();

const ack = (app: Hono, id: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(`/v1/alerts/${id}/ack`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** Two receivers, the second paged 10 minutes after the first page if nobody acknowledges. */
const ESCALATING = {
  receivers: ["hook", "second"],
  route: "{ receiver: hook, group_wait: 0s, escalate: [{ after: 10m, receiver: second }] }",
};

describe("POST /v1/alerts/:id/ack", () => {
  it("acknowledges a firing alert: 200 with who, when and why, also in GET /v1/alerts/:id", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    paging.clock.set(FIRED_AT + 2 * MIN);

    const response = await ack(paging.app, id, { by: "claire", comment: "on it, calling legal" });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as AckView;
    expect(answer).toMatchObject({
      id,
      state: "firing",
      acknowledged: { by: "claire", at: iso(FIRED_AT + 2 * MIN), comment: "on it, calling legal" },
      already_acknowledged: false,
    });
    // The answer is the alert as GET /v1/alerts/:id shows it (times as ISO 8601, history included).
    const { already_acknowledged: _already, ...alert } = answer;
    expect(await (await paging.app.request(`/v1/alerts/${id}`)).json()).toEqual(alert);
    expect(alert).toMatchObject({ history: [{ event: "pending", at: iso(FIRED_AT) }, { event: "firing" }] });
  });

  it("keeps the first acknowledgement when acknowledged again, and says so", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    paging.clock.set(FIRED_AT + MIN);
    expect((await ack(paging.app, id, { by: "claire" })).status).toBe(200);
    paging.clock.set(FIRED_AT + 3 * MIN);

    const second = await ack(paging.app, id, { by: "bo", comment: "me too" });
    expect(second.status).toBe(200);
    const view = (await second.json()) as AckView;
    expect(view.already_acknowledged).toBe(true);
    expect(view.acknowledged).toEqual({ by: "claire", at: iso(FIRED_AT + MIN) });
  });

  it("answers 404 for an unknown alert and 409 for one that is no longer firing", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    const unknown = await ack(paging.app, "nope", { by: "claire" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "no alert nope" });

    // Quiet windows for longer than keep_firing_for (1h) resolve it.
    paging.tickAt(FIRED_AT + H + 2 * WINDOW);
    expect(paging.engine.alert(id)?.state).toBe("resolved");
    const resolved = await ack(paging.app, id, { by: "claire" });
    expect(resolved.status).toBe(409);
    expect(((await resolved.json()) as AckView).error).toBe(
      `alert ${id} is resolved; only a firing alert can be acknowledged`,
    );
    expect(paging.engine.alert(id)?.acknowledged).toBeUndefined();
  });

  it("refuses a body without a person, with unknown keys or that is not JSON, with 400", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    const cases: Array<[unknown, string | RegExp]> = [
      ["{by", 'the body must be JSON such as {"by": "claire"}'],
      [{}, /^by: /],
      [{ by: "   " }, /^by: /],
      [{ by: 7 }, /^by: /],
      [{ by: "claire", comment: 5 }, /^comment: /],
      [{ by: "claire", until: "noon" }, /until/],
      [[], /^body: /],
    ];
    for (const [body, error] of cases) {
      const response = await ack(paging.app, id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: string };
      if (typeof error === "string") expect(answer.error).toBe(error);
      else expect(answer.error).toMatch(error);
    }
    expect(paging.engine.alert(id)?.acknowledged).toBeUndefined();
  });

  it("needs the admin token when one is set", async () => {
    const paging = await start({ tokens: { admin: "adm" } });
    const id = paging.fire(T0);
    expect((await ack(paging.app, id, { by: "claire" })).status).toBe(401);
    expect(paging.engine.alert(id)?.acknowledged).toBeUndefined();
    expect((await ack(paging.app, id, { by: "claire" }, { authorization: "Bearer adm" })).status).toBe(200);
  });

  it("tells the receiver that was paged: the webhook gets acknowledged after firing, with who", async () => {
    const paging = await start({ receivers: ["hook"], route: "{ receiver: hook, group_wait: 0s }" });
    const id = paging.fire(T0);
    expect(await paging.engine.drainPages(5_000)).toBe(true);
    expect(paging.events("hook").map((e) => e.event)).toEqual(["firing"]);

    paging.clock.set(FIRED_AT + MIN);
    expect((await ack(paging.app, id, { by: "claire", comment: "on it" })).status).toBe(200);
    expect((await ack(paging.app, id, { by: "bo" })).status).toBe(200);
    expect(await paging.engine.drainPages(5_000)).toBe(true);
    const events = paging.events("hook");
    expect(events.map((e) => [e.event, e.alert.id])).toEqual([
      ["firing", id],
      ["acknowledged", id],
    ]);
    expect(events[1]?.alert.acknowledged).toEqual({ by: "claire", at: FIRED_AT + MIN, comment: "on it" });
  });

  it("escalates an unacknowledged alert to the next receiver 10 minutes after its first page", async () => {
    const paging = await start(ESCALATING);
    const id = paging.fire(T0);
    paging.tickAt(FIRED_AT + 10 * MIN - 1);
    expect(await paging.engine.drainPages(5_000)).toBe(true);
    expect(paging.events("second")).toEqual([]);

    paging.tickAt(FIRED_AT + 10 * MIN);
    expect(await paging.engine.drainPages(5_000)).toBe(true);
    const second = paging.events("second");
    expect(second.map((e) => [e.event, e.alert.id])).toEqual([["firing", id]]);
    expect(second[0]?.note).toBe("Escalated: not acknowledged within 10m of the first page to hook.");
    expect(paging.events("hook").map((e) => e.event)).toEqual(["firing"]);
  });

  it("never escalates an alert acknowledged before the escalation delay, and tells only who was paged", async () => {
    const paging = await start(ESCALATING);
    const id = paging.fire(T0);
    paging.clock.set(FIRED_AT + 9 * MIN);
    expect((await ack(paging.app, id, { by: "claire" })).status).toBe(200);
    for (const at of [FIRED_AT + 10 * MIN, FIRED_AT + 30 * MIN, FIRED_AT + 50 * MIN]) paging.tickAt(at);
    expect(await paging.engine.drainPages(5_000)).toBe(true);
    expect(paging.events("second")).toEqual([]);
    expect(paging.events("hook").map((e) => e.event)).toEqual(["firing", "acknowledged"]);
    expect(paging.engine.alert(id)?.state).toBe("firing");
  });

  it("never escalates an alert acknowledged before its first page went out", async () => {
    const paging = await start({
      receivers: ["hook", "second"],
      route: "{ receiver: hook, group_wait: 2m, escalate: [{ after: 10m, receiver: second }] }",
    });
    const id = paging.fire(T0);
    paging.clock.set(FIRED_AT + MIN);
    expect((await ack(paging.app, id, { by: "claire" })).status).toBe(200);
    paging.tickAt(FIRED_AT + 2 * MIN); // the group's first tick: hook is paged, acknowledgement included
    for (const at of [FIRED_AT + 12 * MIN, FIRED_AT + 30 * MIN]) paging.tickAt(at);
    expect(await paging.engine.drainPages(5_000)).toBe(true);
    expect(paging.events("second")).toEqual([]);
    const hook = paging.events("hook");
    expect(hook.map((e) => e.event)).toEqual(["firing"]);
    expect(hook[0]?.alert.acknowledged).toEqual({ by: "claire", at: FIRED_AT + MIN });
  });
});
