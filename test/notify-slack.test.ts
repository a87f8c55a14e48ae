// The Slack notifier against a local server speaking the Slack Web API (test/helpers/fake-slack-api.ts):
// the shared notifier contract, the Block Kit page, one thread per incident, limits and error mapping.
import { afterEach, describe, expect, it } from "vitest";
import type { Notification, SendResult } from "../src/notify/notifier.js";
import { SLACK_LIMITS, escapeSlack, truncate } from "../src/notify/slack-text.js";
import { slackNotifier } from "../src/notify/slack.js";
import { channelId, startFakeSlackApi } from "./helpers/fake-slack-api.js";
import type { FakeSlackApi, SlackApiRequest } from "./helpers/fake-slack-api.js";
import { acknowledgedAlert, contractAlert, notifierContract } from "./helpers/notifier-contract.js";
import type { Failure } from "./helpers/notifier-contract.js";

const TOKEN = "xoxb-1111-2222-tocsin-test-secret";
const CHANNEL = "#comms-alerts";
const RESOLVED_AT = Date.parse("2026-03-06T14:00:00Z");

/** The contract's failures in Slack's terms: a bad request is Slack refusing the token. */
const SLACK_FAILURE = {
  server_error: "server_error",
  bad_request: "invalid_auth",
  rate_limited: "rate_limited",
  unreachable: "unreachable",
} as const satisfies Record<Failure, string>;

async function startSlack(options: { token?: string; timeout?: string; slowMs?: number } = {}) {
  const api = await startFakeSlackApi({
    token: TOKEN,
    ...(options.slowMs ? { slowMs: options.slowMs } : {}),
  });
  const config = slackNotifier.schema.parse({
    token: options.token ?? TOKEN,
    channel: CHANNEL,
    api_url: api.apiUrl,
    ...(options.timeout ? { timeout: options.timeout } : {}),
  });
  return { api, notifier: slackNotifier.create(config, { name: "slack-comms" }) };
}

/** What a request carried, as one text: form fields decoded, blocks parsed. */
const delivered = (request: SlackApiRequest) => JSON.stringify(request.params);

notifierContract("slack (local server speaking the Slack Web API)", {
  async start() {
    const { api, notifier } = await startSlack();
    return {
      notifier,
      failNext: (failure) => api.failNext(SLACK_FAILURE[failure]),
      delivered: () => api.requests.map(delivered),
      secret: TOKEN,
      stop: () => api.stop(),
    };
  },
  retryAfter: true,
  assertEscaped(payload) {
    expect(payload).not.toContain("<!channel>");
    expect(payload).not.toContain("<script>");
    expect(payload).not.toContain("<https://evil|click>");
    expect(payload).not.toMatch(/@here/i);
    expect(payload).toContain("&lt;!channel&gt;");
    expect(payload).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(payload).toContain("&lt;https://evil|click&gt;");
    expect(payload).toContain("@\u200dhere");
  },
  // A reply names the top message in thread_ts, an update in ts: neither is a new top-level message.
  assertInThread(payload, first) {
    const params = JSON.parse(payload) as { channel?: string; ts?: string; thread_ts?: string };
    expect(params.channel).toBe(first.channel);
    expect(params.thread_ts ?? params.ts).toBe(first.ts);
  },
});

type Block = {
  type: string;
  text?: { text: string };
  fields?: Array<{ text: string }>;
  elements?: Array<{ text: string }>;
};
const blocksOf = (request: SlackApiRequest | undefined) => (request?.params.blocks ?? []) as Block[];
const texts = (blocks: Block[]) =>
  blocks.flatMap((block) => [
    ...(block.text ? [block.text.text] : []),
    ...(block.fields ?? []).map((field) => field.text),
    ...(block.elements ?? []).map((element) => element.text),
  ]);

describe("slack notifier, against a local server speaking the Slack Web API", () => {
  let api: FakeSlackApi | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });
  const start = async (options?: Parameters<typeof startSlack>[0]) => {
    const started = await startSlack(options);
    api = started.api;
    return started;
  };
  const firing: Notification = { event: "firing", alert: contractAlert() };
  const resolved = (thread?: Record<string, string>): Notification => ({
    event: "resolved",
    alert: contractAlert({ state: "resolved", resolvedAt: RESOLVED_AT }),
    ...(thread ? { thread } : {}),
  });

  it("posts a firing alert as Block Kit with the numbers, the summary and the runbook, and returns {channel, ts}", async () => {
    const { api, notifier } = await start();
    const sent = await notifier.send(firing);

    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request?.method).toBe("chat.postMessage");
    expect(request?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.params).toMatchObject({ channel: CHANNEL, link_names: "false", unfurl_links: "false" });
    const blocks = blocksOf(request);
    expect(blocks[0]).toMatchObject({ type: "header" });
    expect(blocks[0]?.text?.text).toContain("FIRING · [CRITICAL] NegativeBuzzSpike: brand=kryptonite");
    expect(blocks[1]?.fields?.map((field) => field.text)).toEqual(
      expect.arrayContaining(["*Observed*\n412", "*Expected*\n46.2", "*Factor*\n8.9×", "*p-value*\n1.2e-30"]),
    );
    const all = texts(blocks).join("\n");
    expect(all).toContain("kryptonite: 412 negative mentions in 5 min");
    expect(all).toContain("<https://wiki.example.com/runbooks/buzz|runbook>");
    expect(String(request?.params.text)).toContain("FIRING: [CRITICAL] NegativeBuzzSpike");
    expect(sent).toEqual({ ok: true, receipt: { channel: channelId(CHANNEL), ts: expect.any(String) } });
  });

  it("on resolve, updates the original message to RESOLVED (chat.update with its ts) and replies in its thread", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");
    const { channel, ts } = first.receipt;

    const result = await notifier.send(resolved(first.receipt));

    expect(result).toEqual({ ok: true, receipt: first.receipt });
    const [, update, reply] = api.requests;
    expect(update?.method).toBe("chat.update");
    expect(update?.params).toMatchObject({ channel, ts });
    expect(blocksOf(update)[0]?.text?.text).toContain("RESOLVED · [CRITICAL] NegativeBuzzSpike");
    expect(reply?.method).toBe("chat.postMessage");
    expect(reply?.params).toMatchObject({ channel, thread_ts: ts, reply_broadcast: "false" });
    expect(texts(blocksOf(reply)).join("\n")).toContain(
      "Resolved at 2026-03-06 12:15 UTC after peaking at 412",
    );
  });

  it("on escalation, updates the original message to ESCALATED and replies in its thread, broadcast to the channel", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");
    const { channel, ts } = first.receipt;

    const escalated = await notifier.send({
      event: "escalated",
      alert: contractAlert(),
      thread: first.receipt,
    });

    expect(escalated).toEqual({ ok: true, receipt: first.receipt });
    const [, update, reply] = api.requests;
    expect(update).toMatchObject({ method: "chat.update", params: { channel, ts } });
    expect(blocksOf(update)[0]?.text?.text).toContain("ESCALATED ·");
    expect(reply).toMatchObject({
      method: "chat.postMessage",
      params: { channel, thread_ts: ts, reply_broadcast: "true" },
    });
  });

  it("on acknowledgement, updates the top message to ACKNOWLEDGED by whom and replies in the thread without broadcast", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");
    const { channel, ts } = first.receipt;

    const alert = acknowledgedAlert({ by: "alice <@U999>", comment: "on it, @channel" });
    const result = await notifier.send({ event: "acknowledged", alert, thread: first.receipt });

    expect(result).toEqual({ ok: true, receipt: first.receipt });
    const [, update, reply] = api.requests;
    expect(update).toMatchObject({ method: "chat.update", params: { channel, ts } });
    expect(blocksOf(update)[0]?.text?.text).toContain(":eyes: ACKNOWLEDGED · [CRITICAL] NegativeBuzzSpike");
    const acknowledged =
      "*Acknowledged*\nalice &lt;@U999&gt; at 2026-03-06 12:20 UTC — on it, @\u200dchannel";
    expect(texts(blocksOf(update))).toContain(acknowledged);
    expect(reply).toMatchObject({
      method: "chat.postMessage",
      params: { channel, thread_ts: ts, reply_broadcast: "false" },
    });
    expect(texts(blocksOf(reply))).toContain(
      "*ACKNOWLEDGED* · *Acknowledged by alice &lt;@U999&gt; at 2026-03-06 12:20 UTC; latest 412 in the window, 8.9× the usual 46.2*",
    );
    expect(texts(blocksOf(reply))).toContain(acknowledged);
  });

  it("on a reminder, only replies in the thread: no update, no broadcast", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");

    const result = await notifier.send({ event: "reminder", alert: contractAlert(), thread: first.receipt });

    expect(result).toEqual({ ok: true, receipt: first.receipt });
    expect(api.requests.map((request) => request.method)).toEqual(["chat.postMessage", "chat.postMessage"]);
    expect(api.requests[1]?.params).toMatchObject({ thread_ts: first.receipt.ts, reply_broadcast: "false" });
    expect(texts(blocksOf(api.requests[1]))[0]).toBe(
      "*STILL FIRING* · *Still firing since 2026-03-06 12:15 UTC: 412 in the window, 8.9× the usual 46.2*",
    );
  });

  it("with a thread receipt, a firing page updates and replies instead of posting a second top-level message", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");

    expect(await notifier.send({ ...firing, thread: first.receipt })).toEqual({
      ok: true,
      receipt: first.receipt,
    });

    const later = api.requests.slice(1);
    expect(later.map((request) => request.method)).toEqual(["chat.update", "chat.postMessage"]);
    expect(later[1]?.params.thread_ts).toBe(first.receipt.ts);
  });

  it("shows Tocsin's note as its own section right under the header, and in the fallback text", async () => {
    const { api, notifier } = await start();
    const note = "silence s-12 ended; this alert resolved meanwhile at 14:05 UTC";
    expect((await notifier.send({ ...resolved(), note })).ok).toBe(true);
    const [request] = api.requests;
    expect(blocksOf(request)[1]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: `:information_source: ${note}` },
    });
    expect(String(request?.params.text).endsWith(`. ${note}`)).toBe(true);
  });

  it("previews exactly the arguments that send passes to the Web API, in the same order", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");
    const acknowledged: Notification = {
      event: "acknowledged",
      alert: acknowledgedAlert({ by: "alice" }),
      note: "acknowledged through the API",
      thread: first.receipt,
    };
    const preview = notifier.preview?.(acknowledged);
    await notifier.send(acknowledged);

    const sent = api.requests.slice(1);
    expect(preview?.channel).toBe("slack");
    expect(preview?.parts.map((part) => part.name)).toEqual(sent.map((request) => request.method));
    preview?.parts.forEach((part, index) => {
      // The Web API takes form fields, all strings, with blocks as JSON: compare in that form.
      const args = JSON.parse(part.content) as Record<string, unknown>;
      const asForm = Object.fromEntries(
        Object.entries(args).map(([key, value]) => [key, key === "blocks" ? value : String(value)]),
      );
      expect(asForm).toEqual(sent[index]?.params);
    });
  });

  it("without a thread receipt, posts a resolve as a new message", async () => {
    const { api, notifier } = await start();
    const result = await notifier.send(resolved());
    expect(result.ok).toBe(true);
    expect(api.requests.map((request) => request.method)).toEqual(["chat.postMessage"]);
    expect(api.requests[0]?.params.thread_ts).toBeUndefined();
    expect(blocksOf(api.requests[0])[0]?.text?.text).toContain("RESOLVED");
  });

  it("sends no thread reply when the update fails retryably, so a retry cannot post the reply twice", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");
    api.failNext("server_error");
    expect(await notifier.send(resolved(first.receipt))).toMatchObject({ ok: false, retryable: true });
    expect(api.requests.map((request) => request.method)).toEqual(["chat.postMessage", "chat.update"]);
  });

  it("still replies in the thread when Slack refuses the update for good (edit window closed)", async () => {
    const { api, notifier } = await start();
    const first = await notifier.send(firing);
    if (!first.ok || !first.receipt) throw new Error("the firing page was not posted");
    api.failNext({ error: "edit_window_closed" });
    expect(await notifier.send(resolved(first.receipt))).toEqual({ ok: true, receipt: first.receipt });
    expect(api.requests.map((request) => request.method)).toEqual([
      "chat.postMessage",
      "chat.update",
      "chat.postMessage",
    ]);
  });

  it("truncates text past the Block Kit limits with …, after escaping and without splitting an entity", async () => {
    const { api, notifier } = await start();
    const alert = contractAlert({
      name: `Spike${"X".repeat(300)}`,
      labels: { brand: "<".repeat(45_000) },
      annotations: { summary: "&".repeat(5_000), description: `${"d".repeat(2_999)}<` },
    });
    expect((await notifier.send({ event: "firing", alert })).ok).toBe(true);

    const [request] = api.requests;
    const blocks = blocksOf(request);
    expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const header = blocks[0]?.text?.text ?? "";
    expect(header).toHaveLength(SLACK_LIMITS.headerText);
    expect(header.endsWith("X…")).toBe(true);
    for (const block of blocks.filter((b) => b.type === "section")) {
      expect(block.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const field of block.fields ?? [])
        expect(field.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    const all = texts(blocks);
    expect(all).toContain(`${"&amp;".repeat(599)}…`);
    expect(all).toContain(`${"d".repeat(2_999)}…`);
    const labels = all.find((text) => text.startsWith("*Labels*")) ?? "";
    expect(labels).toHaveLength(SLACK_LIMITS.fieldText);
    expect(labels).toMatch(/&lt;…$/);
    const text = String(request?.params.text);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
    expect(text).toMatch(/&lt;…$/);
  });

  it("maps Slack's refusals to not retryable, and 5xx, 429 and timeouts to retryable", async () => {
    const { api, notifier } = await start({ timeout: "200ms", slowMs: 1_000 });
    const after = async (failure: Parameters<FakeSlackApi["failNext"]>[0]) => {
      api.failNext(failure);
      return notifier.send(firing);
    };
    expect(await after("channel_not_found")).toEqual({
      ok: false,
      retryable: false,
      error: "slack: channel_not_found",
    });
    expect(await after("invalid_auth")).toEqual({
      ok: false,
      retryable: false,
      error: "slack: invalid_auth",
    });
    expect(await after({ error: "not_in_channel" })).toMatchObject({ retryable: false });
    expect(await after({ error: "invalid_blocks" })).toMatchObject({ retryable: false });
    expect(await after({ error: "msg_too_long" })).toMatchObject({ retryable: false });
    expect(await after({ error: "ratelimited" })).toMatchObject({ retryable: true });
    expect(await after("server_error")).toMatchObject({
      ok: false,
      retryable: true,
      error: expect.stringContaining("500"),
    });
    expect(await after("rate_limited")).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7_000 });
    expect(await after("slow")).toMatchObject({
      ok: false,
      retryable: true,
      error: expect.stringMatching(/timeout/i),
    });
    // One request per send: the client's own retries are off, the pipeline owns them.
    expect(api.requests).toHaveLength(9);
  });

  it("keeps the token out of every error and every request body", async () => {
    const wrongToken = "xoxb-9999-wrong-token-secret";
    const { api, notifier } = await start({ token: wrongToken, timeout: "200ms", slowMs: 1_000 });
    const results: SendResult[] = [await notifier.send(firing)];
    for (const failure of ["server_error", "rate_limited", "slow", "unreachable"] as const) {
      api.failNext(failure);
      results.push(await notifier.send(firing));
    }
    expect(results[0]).toMatchObject({ ok: false, retryable: false, error: "slack: invalid_auth" });
    // Connection refused, or "other side closed" on a kept-alive socket: either way a failed request.
    expect(results.at(-1)).toMatchObject({
      ok: false,
      retryable: true,
      error: expect.stringContaining("request failed"),
    });
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).not.toContain(wrongToken);
    }
    for (const request of api.requests) expect(request.body).not.toContain(wrongToken);
  });
});

describe("slack text escaping and limits", () => {
  it("neutralises Slack's control sequences and bare broadcast mentions in alert text", () => {
    expect(escapeSlack("<@U123> <#C456|general> <!everyone> a&b")).toBe(
      "&lt;@U123&gt; &lt;#C456|general&gt; &lt;!everyone&gt; a&amp;b",
    );
    expect(escapeSlack("@channel @Everyone @here")).toBe("@\u200dchannel @\u200dEveryone @\u200dhere");
  });

  it("cuts to the limit with … and never leaves half an entity or half a surrogate pair", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("ab&amp;cd", 6)).toBe("ab…");
    expect(truncate("ab😀cd", 4)).toBe("ab…");
  });
});

describe("slack receiver config", () => {
  it("rejects unknown keys and fills the API URL and timeout defaults", () => {
    expect(slackNotifier.schema.safeParse({ token: TOKEN, channel: CHANNEL, chanel: "x" }).success).toBe(
      false,
    );
    expect(slackNotifier.schema.parse({ token: TOKEN, channel: CHANNEL })).toEqual({
      token: TOKEN,
      channel: CHANNEL,
      api_url: "https://slack.com/api/",
      ack_button: false,
      timeout: 10_000,
    });
    expect(
      slackNotifier.schema.parse({ token: TOKEN, channel: CHANNEL, api_url: "http://127.0.0.1:9/api" })
        .api_url,
    ).toBe("http://127.0.0.1:9/api/");
  });
});
