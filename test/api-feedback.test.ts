// POST /v1/alerts/:id/feedback through the Hono app: verdicts are stored durably, listed with the
// alert, validated strictly, and behind the admin token.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { FeedbackRecord } from "../src/alerting/feedback-book.js";
import { MIN, T0 } from "./helpers/mentions.js";
import { WINDOW, pagingEngine, pagingEngines } from "./helpers/paging-engine.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";

const iso = (ms: number) => new Date(ms).toISOString();
/** The alert of `fire(T0)` fires when its window closes. */
const FIRED_AT = T0 + WINDOW;

const start = pagingEngines();

const feedback = (app: Hono, id: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(`/v1/alerts/${id}/feedback`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("POST /v1/alerts/:id/feedback", () => {
  it("stores a verdict with the alert's identity: 201, one fsync'd line, shown in GET /v1/alerts/:id", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    paging.clock.set(FIRED_AT + 7 * MIN);

    const response = await feedback(paging.app, id, {
      verdict: "false_alarm",
      note: "  a contest with a negative hashtag ",
      by: "claire",
    });
    expect(response.status).toBe(201);
    const record = (await response.json()) as FeedbackRecord;
    const alert = paging.engine.alert(id)!;
    expect(record).toEqual({
      alertId: id,
      fingerprint: alert.fingerprint,
      rule: "buzz/NegativeBuzz",
      name: "NegativeBuzz",
      labels: { brand: "kryptonite", channel: "all" },
      activeAt: iso(FIRED_AT),
      firedAt: iso(FIRED_AT),
      verdict: "false_alarm",
      note: "a contest with a negative hashtag",
      by: "claire",
      at: iso(FIRED_AT + 7 * MIN),
    });
    const lines = (await readFile(join(paging.dataDir, "feedback.jsonl"), "utf8")).split("\n");
    expect(lines.slice(0, -1).map((line) => JSON.parse(line) as unknown)).toEqual([record]);
    expect(lines.at(-1)).toBe("");

    const shown = (await (await paging.app.request(`/v1/alerts/${id}`)).json()) as {
      feedback: FeedbackRecord[];
    };
    expect(shown.feedback).toEqual([record]);
  });

  it("keeps several verdicts per alert in order, the latest last, and a resolved alert takes one too", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    paging.clock.set(FIRED_AT + MIN);
    expect((await feedback(paging.app, id, { verdict: "expected", by: "bo" })).status).toBe(201);
    // Quiet windows for longer than keep_firing_for (1h) resolve it.
    paging.tickAt(FIRED_AT + 60 * MIN + 2 * WINDOW);
    expect(paging.engine.alert(id)?.state).toBe("resolved");
    const late = await feedback(paging.app, id, { verdict: "real_crisis" });
    expect(late.status).toBe(201);
    expect(await late.json()).toMatchObject({ verdict: "real_crisis", resolvedAt: expect.any(String) });
    expect(paging.engine.feedbackFor(id).map((f) => [f.verdict, f.by])).toEqual([
      ["expected", "bo"],
      ["real_crisis", undefined],
    ]);
  });

  it("keeps the feedback across a restart", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "tocsin-feedback-"));
    try {
      const first = await pagingEngine({ dataDir });
      const id = first.fire(T0);
      expect((await feedback(first.app, id, { verdict: "real_crisis", note: "recall" })).status).toBe(201);
      await first.close();
      const second = await pagingEngine({ dataDir, now: FIRED_AT + MIN });
      expect(second.engine.feedbackFor(id)).toMatchObject([
        { alertId: id, verdict: "real_crisis", note: "recall" },
      ]);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("answers 404 for an unknown alert", async () => {
    const paging = await start();
    const response = await feedback(paging.app, "nope", { verdict: "expected" });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "no alert nope" });
  });

  it("refuses a bad body with 400 and stores nothing", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    const cases: Array<[unknown, string | RegExp]> = [
      ["{verdict", 'the body must be JSON such as {"verdict": "false_alarm"}'],
      [{}, /^verdict: /],
      [{ verdict: "maybe" }, /^verdict: /],
      [{ verdict: "expected", note: 5 }, /^note: /],
      [{ verdict: "expected", note: "x".repeat(2001) }, /^note: /],
      [{ verdict: "expected", by: "  " }, /^by: /],
      [{ verdict: "expected", by: "x".repeat(201) }, /^by: /],
      [{ verdict: "expected", score: 3 }, /score/],
      [[], /^body: /],
    ];
    for (const [body, error] of cases) {
      const response = await feedback(paging.app, id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const answer = (await response.json()) as { error: string };
      if (typeof error === "string") expect(answer.error).toBe(error);
      else expect(answer.error).toMatch(error);
    }
    expect(paging.engine.feedbackFor(id)).toEqual([]);
  });

  it("needs the admin token when one is set", async () => {
    const paging = await start({ tokens: { admin: "adm" } });
    const id = paging.fire(T0);
    expect((await feedback(paging.app, id, { verdict: "expected" })).status).toBe(401);
    expect(
      (await feedback(paging.app, id, { verdict: "expected" }, { authorization: "Bearer adm" })).status,
    ).toBe(201);
  });
});
