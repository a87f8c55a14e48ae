import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "../src/api/server.js";
import type { RunningServer } from "../src/api/server.js";
import { createApp } from "../src/api/app.js";
import { parseConfig } from "../src/config/load.js";
import { SLACK_ACK_ACTION_ID, slackPlan } from "../src/notify/slack-blocks.js";
import { T0 } from "./helpers/mentions.js";
import { WINDOW, pagingEngines } from "./helpers/paging-engine.js";
import type { PagingEngine } from "./helpers/paging-engine.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

/** What Slack posts when someone presses the button: a form with one field, `payload`, of JSON. */
const pressed = (alertId: string, username = "claire") =>
  new URLSearchParams({
    payload: JSON.stringify({
      type: "block_actions",
      user: { id: "U0123", username, name: username, team_id: "T0" },
      actions: [{ type: "button", action_id: SLACK_ACK_ACTION_ID, value: alertId, block_id: "b1" }],
      response_url: "https://hooks.slack.com/actions/T0/1/abc",
    }),
  }).toString();

/** Signed as Slack signs (https://api.slack.com/authentication/verifying-requests-from-slack), by hand. */
const sign = (secret: string, timestamp: string, body: string) =>
  `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

const start = pagingEngines();
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A firing alert, Slack callbacks on, and the API on a real loopback socket. */
async function firingAlert(options: { tokens?: boolean; secret?: string | undefined } = {}) {
  const tokens = options.tokens ? { ingest: "ingest-t", admin: "admin-t" } : {};
  const paging = await start({ tokens });
  const id = paging.fire(T0);
  paging.clock.set(T0 + WINDOW + 60_000);
  // The engine reads the secret per request; tocsin.yaml would say slack: { signing_secret: … }.
  paging.engine.config.slack.signing_secret = "secret" in options ? options.secret : SECRET;
  const server = await startServer(createApp(paging.engine, tokens), "127.0.0.1:0", tokens);
  servers.push(server);
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${server.url}/v1/slack/actions`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body,
    });
  return { paging, id, post };
}

const acknowledged = (paging: PagingEngine, id: string) => paging.engine.alert(id)?.acknowledged;

describe("POST /v1/slack/actions", () => {
  it("a correctly signed Acknowledge press acknowledges the alert as the Slack user: 200", async () => {
    const { paging, id, post } = await firingAlert();
    const body = pressed(id, "claire.dupont");
    const timestamp = nowSeconds();
    const response = await post(body, {
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": sign(SECRET, timestamp, body),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, alert: id, already_acknowledged: false });
    expect(acknowledged(paging, id)).toMatchObject({
      by: "claire.dupont",
      comment: "acknowledged from Slack",
    });
  });

  it("needs no bearer token (Slack has none), even when the API tokens are set", async () => {
    const { paging, id, post } = await firingAlert({ tokens: true });
    const body = pressed(id);
    const timestamp = nowSeconds();
    const response = await post(body, {
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": sign(SECRET, timestamp, body),
    });
    expect(response.status).toBe(200);
    expect(acknowledged(paging, id)?.by).toBe("claire");
  });

  it("a tampered body (signature of another alert's press): 401, nothing acknowledged", async () => {
    const { paging, id, post } = await firingAlert();
    const timestamp = nowSeconds();
    const signedFor = pressed("some-other-alert");
    const response = await post(pressed(id), {
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": sign(SECRET, timestamp, signedFor),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "bad X-Slack-Signature" });
    expect(acknowledged(paging, id)).toBeUndefined();
  });

  it("signed with a wrong secret: 401, nothing acknowledged", async () => {
    const { paging, id, post } = await firingAlert();
    const body = pressed(id);
    const timestamp = nowSeconds();
    const response = await post(body, {
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": sign(`${SECRET}x`, timestamp, body),
    });
    expect(response.status).toBe(401);
    expect(acknowledged(paging, id)).toBeUndefined();
  });

  it("a replay with an old timestamp, correctly signed: 401, nothing acknowledged", async () => {
    const { paging, id, post } = await firingAlert();
    const body = pressed(id);
    const sixMinutesAgo = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const response = await post(body, {
      "x-slack-request-timestamp": sixMinutesAgo,
      "x-slack-signature": sign(SECRET, sixMinutesAgo, body),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toMatch(/more than five minutes/);
    expect(acknowledged(paging, id)).toBeUndefined();
  });

  it("a timestamp moved to now under an old signature: 401", async () => {
    const { paging, id, post } = await firingAlert();
    const body = pressed(id);
    const old = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const response = await post(body, {
      "x-slack-request-timestamp": nowSeconds(),
      "x-slack-signature": sign(SECRET, old, body),
    });
    expect(response.status).toBe(401);
    expect(acknowledged(paging, id)).toBeUndefined();
  });

  it("no signature headers: 401; without slack.signing_secret the route is off: 404", async () => {
    const { id, post } = await firingAlert();
    expect((await post(pressed(id), {})).status).toBe(401);
    const off = await firingAlert({ secret: undefined });
    const body = pressed(off.id);
    const timestamp = nowSeconds();
    const response = await off.post(body, {
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": sign(SECRET, timestamp, body),
    });
    expect(response.status).toBe(404);
    expect(acknowledged(off.paging, off.id)).toBeUndefined();
  });
});

describe("the Acknowledge button", () => {
  it("is on the page of a firing alert when the receiver asks for it, carrying its id, and gone once acknowledged", async () => {
    const paging = await start();
    const id = paging.fire(T0);
    const alert = paging.engine.alert(id);
    if (!alert) throw new Error("no alert");
    const receiver = { channel: "#comms", ack_button: true };
    const plain = slackPlan({ channel: "#comms" }, { event: "firing", alert }).post.blocks;
    expect(plain.some((block) => block.type === "actions")).toBe(false);
    const firing = slackPlan(receiver, { event: "firing", alert }).post.blocks;
    expect(firing).toContainEqual({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Acknowledge" },
          action_id: "tocsin_ack",
          value: id,
          style: "primary",
        },
      ],
    });
    paging.engine.acknowledge(id, "claire");
    const thread = { channel: "C1", ts: "1.2" };
    const plan = slackPlan(receiver, { event: "acknowledged", alert, thread });
    expect(plan.update?.blocks.some((block) => block.type === "actions")).toBe(false);
    expect(plan.post.blocks.some((block) => block.type === "actions")).toBe(false);
  });

  it("is refused in the config without slack.signing_secret, which its callbacks need", () => {
    const yaml = (extra: string) =>
      `receivers:\n  comms: { type: slack, token: xoxb-1, channel: "#comms", ack_button: true }\n${extra}`;
    expect(() => parseConfig(yaml(""), "tocsin.yaml", {})).toThrow(
      /tocsin\.yaml:2:\d+: .*ack_button: true, which needs slack\.signing_secret/,
    );
    expect(
      parseConfig(yaml("slack: { signing_secret: s3cret }\n"), "tocsin.yaml", {}).receivers.comms,
    ).toMatchObject({
      ack_button: true,
    });
  });
});
