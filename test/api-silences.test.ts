import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { MIN, T0 } from "./helpers/mentions.js";
import { WINDOW, pagingEngines } from "./helpers/paging-engine.js";

const H = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

interface SilenceView {
  id: string;
  matchers: Array<{ name: string; op: string; value: string }>;
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  state: string;
}

interface AlertView {
  id: string;
  labels: Record<string, string>;
  held?: { kind: string; id?: string; until?: string; createdBy?: string; comment?: string };
}

const kryptonite = {
  matchers: ['brand="kryptonite"'],
  endsAt: iso(T0 + 24 * H),
  createdBy: "ana",
  comment: "recall announced, we know",
};

const start = pagingEngines();
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const post = (app: Hono, body: unknown, headers: Record<string, string> = {}) =>
  app.request("/v1/silences", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const del = (app: Hono, id: string) => app.request(`/v1/silences/${id}`, { method: "DELETE" });

async function list(app: Hono, query = ""): Promise<SilenceView[]> {
  const response = await app.request(`/v1/silences${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { silences: SilenceView[] }).silences;
}

async function alerts(app: Hono): Promise<AlertView[]> {
  return ((await (await app.request("/v1/alerts")).json()) as { alerts: AlertView[] }).alerts;
}

describe("silences API", () => {
  it("creates a silence starting now, lists it, gets it by id and filters by state", async () => {
    const { app } = await start();
    const created = await post(app, kryptonite);
    expect(created.status).toBe(201);
    const silence = (await created.json()) as SilenceView;
    expect(silence).toEqual({
      id: expect.any(String) as unknown,
      matchers: [{ name: "brand", op: "=", value: "kryptonite" }],
      startsAt: iso(T0),
      endsAt: iso(T0 + 24 * H),
      createdBy: "ana",
      comment: "recall announced, we know",
      state: "active",
    });
    const later = await post(app, {
      ...kryptonite,
      id: "night",
      matchers: [{ name: "severity", op: "=~", value: "warning|info" }],
      startsAt: T0 + 12 * H,
    });
    expect(later.status).toBe(201);

    expect((await list(app)).map((s) => [s.id, s.state])).toEqual([
      [silence.id, "active"],
      ["night", "pending"],
    ]);
    expect((await list(app, "?state=pending")).map((s) => s.id)).toEqual(["night"]);
    expect((await list(app, "?state=active")).map((s) => s.id)).toEqual([silence.id]);
    expect(await list(app, "?state=expired")).toEqual([]);
    const odd = await app.request("/v1/silences?state=over");
    expect(odd.status).toBe(400);
    expect(await odd.json()).toEqual({ error: 'unknown state "over"; one of pending, active, expired' });

    const one = await app.request(`/v1/silences/${silence.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(silence);
    const night = (await (await app.request("/v1/silences/night")).json()) as SilenceView;
    expect(night).toMatchObject({
      startsAt: iso(T0 + 12 * H),
      matchers: [{ name: "severity", op: "=~", value: "warning|info" }],
    });
    const missing = await app.request("/v1/silences/nope");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no silence nope" });
  });

  it("deletes a silence by ending it now: then 409 for it, 404 for an unknown id", async () => {
    const { app, clock } = await start();
    const { id } = (await (await post(app, kryptonite)).json()) as SilenceView;
    await post(app, { ...kryptonite, id: "night", startsAt: iso(T0 + 12 * H) });
    clock.set(T0 + 10 * MIN);

    const deleted = await del(app, id);
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ id, state: "expired", endsAt: iso(T0 + 10 * MIN) });
    const again = await del(app, id);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: `silence ${id} has already ended` });
    expect((await del(app, "nope")).status).toBe(404);

    // A pending silence ends before it ever starts.
    const pending = await del(app, "night");
    expect(pending.status).toBe(200);
    expect(await pending.json()).toMatchObject({ id: "night", state: "expired" });
    expect((await list(app, "?state=expired")).map((s) => s.id).sort()).toEqual([id, "night"].sort());
    expect(await list(app, "?state=active")).toEqual([]);
  });

  it("ends a silence deleted in the same millisecond it was created", async () => {
    const { app } = await start();
    const { id } = (await (await post(app, kryptonite)).json()) as SilenceView;
    expect(await (await del(app, id)).json()).toMatchObject({ state: "expired" });
    expect((await del(app, id)).status).toBe(409);
  });

  it("replaces the silence whose id is posted again", async () => {
    const { app, clock } = await start();
    expect((await post(app, { ...kryptonite, id: "recall" })).status).toBe(201);
    clock.set(T0 + H);
    const replaced = await post(app, {
      ...kryptonite,
      id: "recall",
      endsAt: iso(T0 + 48 * H),
      comment: "recall, day two",
    });
    expect(replaced.status).toBe(201);
    expect(await list(app)).toEqual([
      {
        id: "recall",
        matchers: [{ name: "brand", op: "=", value: "kryptonite" }],
        startsAt: iso(T0 + H),
        endsAt: iso(T0 + 48 * H),
        createdBy: "ana",
        comment: "recall, day two",
        state: "active",
      },
    ]);
  });

  it("refuses bad input with 400 and says what is wrong, storing nothing", async () => {
    const { app } = await start();
    const cases: Array<[unknown, string | RegExp]> = [
      [
        { ...kryptonite, matchers: ['brand=~"(kryptonite"'] },
        /^matchers\[0\]: invalid regex "\(kryptonite" for brand/,
      ],
      [
        { ...kryptonite, matchers: ["kryptonite"] },
        /^matchers\[0\]: expected a matcher such as brand="kryptonite"/,
      ],
      [{ ...kryptonite, matchers: [] }, /^matchers: /],
      [{ ...kryptonite, comment: undefined }, /^comment: /],
      [{ ...kryptonite, createdBy: "" }, /^createdBy: /],
      [{ ...kryptonite, endsAt: "next tuesday" }, /^endsAt: expected a time such as/],
      [{ ...kryptonite, endsAt: iso(T0 - H), startsAt: iso(T0 - 2 * H) }, "endsAt: must be in the future"],
      [{ ...kryptonite, startsAt: iso(T0 + 25 * H) }, "endsAt: must be after startsAt"],
      [{ ...kryptonite, colour: "red" }, /colour/],
      ["[{", "the body must be a JSON object describing one silence"],
      ["[]", /expected object/],
    ];
    for (const [body, error] of cases) {
      const response = await post(app, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: string };
      if (typeof error === "string") expect(answer.error).toBe(error);
      else expect(answer.error).toMatch(error);
    }
    expect(await list(app)).toEqual([]);
  });

  it("needs the admin token for every silence call when one is set", async () => {
    const { app } = await start({ tokens: { admin: "adm", ingest: "ing" } });
    const auth = { authorization: "Bearer adm" };
    expect((await app.request("/v1/silences")).status).toBe(401);
    expect((await app.request("/v1/silences/x")).status).toBe(401);
    expect((await post(app, kryptonite)).status).toBe(401);
    expect((await post(app, kryptonite, { authorization: "Bearer ing" })).status).toBe(401);
    expect((await del(app, "x")).status).toBe(401);

    const created = await post(app, { ...kryptonite, id: "x" }, auth);
    expect(created.status).toBe(201);
    expect((await app.request("/v1/silences", { headers: auth })).status).toBe(200);
    expect((await app.request("/v1/silences/x", { method: "DELETE", headers: auth })).status).toBe(200);
  });

  it("keeps silences across an engine restart on the same data dir", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "tocsin-silences-restart-"));
    dirs.push(dataDir);
    const first = await start({ dataDir });
    await post(first.app, { ...kryptonite, id: "recall" });
    await post(first.app, { ...kryptonite, id: "ended" });
    first.clock.set(T0 + MIN);
    await del(first.app, "ended");
    const before = await list(first.app);
    await first.close();

    const second = await start({ dataDir, now: T0 + MIN });
    expect(await list(second.app)).toEqual(before);
    expect((await list(second.app)).map((s) => [s.id, s.state])).toEqual([
      ["ended", "expired"],
      ["recall", "active"],
    ]);
  });

  it("holds the pages of an alert an active silence matches, and pages it at the next group tick once the silence is deleted", async () => {
    const paging = await start({
      receivers: ["hook"],
      route: "{ receiver: hook, group_wait: 0s, group_interval: 1m }",
    });
    const { app, engine } = paging;
    const { id: silenceId } = (await (await post(app, kryptonite)).json()) as SilenceView;

    const silenced = paging.fire(T0); // fires at T0 + 5m; its group ticks at once, then every minute
    const paged = paging.fire(T0 + WINDOW, "acme"); // same group, not silenced: paged at T0 + 10m
    expect(await engine.drainPages(5_000)).toBe(true);
    expect(paging.events("hook").map((e) => [e.event, e.alert.id])).toEqual([["firing", paged]]);

    const views = await alerts(app);
    expect(views.find((a) => a.id === silenced)?.held).toEqual({
      kind: "silence",
      id: silenceId,
      until: iso(T0 + 24 * H),
      createdBy: "ana",
      comment: "recall announced, we know",
    });
    expect(views.find((a) => a.id === paged)?.held).toBeUndefined();

    paging.clock.set(T0 + 2 * WINDOW + 30_000);
    expect((await del(app, silenceId)).status).toBe(200);
    paging.tickAt(T0 + 2 * WINDOW + MIN - 1);
    expect(await engine.drainPages(5_000)).toBe(true);
    expect(paging.events("hook")).toHaveLength(1);

    paging.tickAt(T0 + 2 * WINDOW + MIN); // the group's next tick
    expect(await engine.drainPages(5_000)).toBe(true);
    expect(paging.events("hook").map((e) => [e.event, e.alert.id])).toEqual([
      ["firing", paged],
      ["firing", silenced],
    ]);
    expect((await alerts(app)).find((a) => a.id === silenced)?.held).toBeUndefined();
  });
});
