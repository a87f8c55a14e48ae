// `tocsin notify test` against local servers speaking each channel's shape — the Slack Web API
// (test/helpers/fake-slack-api.ts), the PagerDuty Events v2 API and a webhook receiver
// (fake-http-receiver.ts), SMTP (smtp-sink.ts) — named by a real tocsin.yaml, as a user runs it.
import { spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { notifyTest } from "../src/cli/notify-test.js";
import type { FakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { jsonAnswer, startFakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import type { FakeSlackApi } from "./helpers/fake-slack-api.js";
import { startFakeSlackApi } from "./helpers/fake-slack-api.js";
import type { SmtpSink } from "./helpers/smtp-sink.js";
import { startSmtpSink } from "./helpers/smtp-sink.js";

const ROOT = new URL("..", import.meta.url).pathname;
const SLACK_TOKEN = "xoxb-7777-notify-test-secret";
const ROUTING_KEY = "N0T1FYTESTd0e5n0t1eave7he5erver0";
const WEBHOOK_SECRET = "whsec_notify_test_0123456789";

let slack: FakeSlackApi;
let pagerduty: FakeHttpReceiver;
let webhook: FakeHttpReceiver;
let smtp: SmtpSink;
let config: string;

beforeAll(async () => {
  slack = await startFakeSlackApi({ token: SLACK_TOKEN });
  pagerduty = await startFakeHttpReceiver((request) => {
    const { dedup_key } = JSON.parse(request.body) as { dedup_key: string };
    return jsonAnswer(202, { status: "success", message: "Event processed", dedup_key });
  });
  webhook = await startFakeHttpReceiver(() => ({ status: 204 }));
  smtp = await startSmtpSink();
  config = join(await mkdtemp(join(tmpdir(), "tocsin-notify-test-")), "tocsin.yaml");
  await writeFile(
    config,
    `receivers:
  comms-slack: { type: slack, token: "\${SLACK_TOKEN}", channel: "#comms-alerts", api_url: "${slack.apiUrl}" }
  wrong-token: { type: slack, token: "\${WRONG_TOKEN}", channel: "#comms-alerts", api_url: "${slack.apiUrl}" }
  oncall: { type: pagerduty, routing_key: "\${PAGERDUTY_ROUTING_KEY}", events_url: "${pagerduty.url}/v2/enqueue" }
  comms-mail: { type: email, host: ${smtp.host}, port: ${smtp.port}, tls: none, from: "Tocsin <tocsin@example.com>", to: oncall@example.com }
  hook: { type: webhook, url: "${webhook.url}/hooks/tocsin", secret: "\${WEBHOOK_SECRET}" }
`,
  );
  vi.stubEnv("SLACK_TOKEN", SLACK_TOKEN);
  vi.stubEnv("WRONG_TOKEN", "xoxb-0000-wrong-token-secret");
  vi.stubEnv("PAGERDUTY_ROUTING_KEY", ROUTING_KEY);
  vi.stubEnv("WEBHOOK_SECRET", WEBHOOK_SECRET);
});

afterAll(async () => {
  await Promise.all([slack.stop(), pagerduty.stop(), webhook.stop(), smtp.stop()]);
});

/** `tocsin notify test` as a child process; asynchronous, so the servers here can answer it. */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "notify", "test", ...args], {
    cwd: ROOT,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (data: Buffer) => void (stdout += data.toString()));
  child.stderr.on("data", (data: Buffer) => void (stderr += data.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

describe("tocsin notify test, against local servers speaking the Slack, PagerDuty Events v2, SMTP and webhook shapes", () => {
  it("posts a labelled test page to Slack, then resolves it in its thread, and exits 0", async () => {
    const before = slack.requests.length;
    const run = await cli("--channel", "comms-slack", "--config", config);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [post, update, reply] = slack.requests.slice(before);
    expect(post?.method).toBe("chat.postMessage");
    expect(post?.params.thread_ts).toBeUndefined();
    expect(String(post?.params.text)).toContain("FIRING: [INFO] TocsinTest: test=true");
    expect(JSON.stringify(post?.params.blocks)).toContain("This is a test sent by `tocsin notify test`");
    expect(update).toMatchObject({ method: "chat.update", params: { ts: expect.any(String) } });
    expect(reply).toMatchObject({ method: "chat.postMessage", params: { thread_ts: update?.params.ts } });
    expect(run.stdout).toMatch(
      /^receiver comms-slack \(slack\):\n {2}firing: ok, receipt \{"channel":"CCOMMSALERTS","ts":"[\d.]+"\}\n {2}resolved: ok, receipt/,
    );
    expect(run.stdout).not.toContain(SLACK_TOKEN);
  });

  it("reports a refused send with its error and exits 1, without the token in the output", async () => {
    const run = await cli("--channel", "wrong-token", "--config", config);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      "receiver wrong-token (slack):\n" +
        "  firing: failed (not retryable): slack: invalid_auth\n" +
        "  resolved: not sent, the firing page failed\n",
    );
  });

  it("triggers then resolves one PagerDuty incident with the same dedup_key", async () => {
    const { lines, ok } = await notifyTest({ channel: "oncall", config });
    expect(ok).toBe(true);
    const events = pagerduty.requests.map(
      (request) => JSON.parse(request.body) as { event_action: string; dedup_key: string; payload?: object },
    );
    expect(events.map((event) => event.event_action)).toEqual(["trigger", "resolve"]);
    expect(events[1]?.dedup_key).toBe(events[0]?.dedup_key);
    expect(events[0]?.payload).toMatchObject({
      summary: expect.stringContaining("[INFO] TocsinTest: test=true"),
      severity: "info",
      custom_details: { note: expect.stringContaining("tocsin notify test") },
    });
    expect(lines[1]).toBe(`  firing: ok, receipt {"dedup_key":"${events[0]?.dedup_key}"}`);
    expect(lines.join("\n")).not.toContain(ROUTING_KEY);
  });

  it("emails the test page, then the resolution as a reply in its thread", async () => {
    expect((await notifyTest({ channel: "comms-mail", config })).ok).toBe(true);
    const [opening, reply] = smtp.mails.map(({ parsed }) => parsed);
    expect(opening?.subject).toContain("TocsinTest test=true — firing");
    expect(opening?.text).toContain("Note: This is a test sent by `tocsin notify test`");
    expect(reply?.inReplyTo).toBe(opening?.messageId);
  });

  it("posts the firing and resolved events to a webhook", async () => {
    expect((await notifyTest({ channel: "hook", config })).ok).toBe(true);
    const bodies = webhook.requests.map((request) => JSON.parse(request.body) as Record<string, unknown>);
    expect(bodies.map((body) => body.event)).toEqual(["firing", "resolved"]);
    expect(bodies[0]).toMatchObject({
      note: expect.stringContaining("test"),
      alert: { labels: { test: "true" } },
    });
  });

  it("refuses a receiver that is not configured, listing the configured ones", async () => {
    await expect(notifyTest({ channel: "nope", config })).rejects.toThrow(
      'unknown receiver "nope"; configured receivers: comms-slack, wrong-token, oncall, comms-mail, hook',
    );
  });
});
