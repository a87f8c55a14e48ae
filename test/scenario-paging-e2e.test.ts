// End to end: the demo crisis replayed into `tocsin run`, paging through the real Slack client against
// a local server speaking the Slack Web API, nodemailer against a real SMTP server, and the PagerDuty
// notifier against a local server speaking Events API v2. Two incidents (NegativeBuzzSpike, which
// escalates to critical, and NegativeSlowBurn): each channel gets one trigger per incident, the
// escalation as an update of that incident, and exactly one resolve per incident.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { pagerDutyEvents, startFakePagerDuty, writeDemoFile } from "./helpers/paging-fixtures.js";
import type { FakeSlackApi, SlackApiRequest } from "./helpers/fake-slack-api.js";
import { startFakeSlackApi } from "./helpers/fake-slack-api.js";
import type { SmtpSink } from "./helpers/smtp-sink.js";
import { startSmtpSink } from "./helpers/smtp-sink.js";
import { exited, startTocsin, waitUntil } from "./helpers/tocsin-process.js";

const SLACK_TOKEN = "xoxb-e2e-token";
const ROUTING_KEY = "R0UTINGKEYE2E0000000000000000000";

let dir: string;
let slack: FakeSlackApi;
let smtp: SmtpSink;
let pagerduty: FakeHttpReceiver;
let stdout = "";
let metrics = "";

const pdEvents = () => pagerDutyEvents(pagerduty);
const slackText = (request: SlackApiRequest) => String(request.params.text ?? "");
const alertName = (text: string) => /(NegativeBuzzSpike|NegativeSlowBurn)/.exec(text)?.[1] ?? text;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-e2e-"));
  slack = await startFakeSlackApi({ token: SLACK_TOKEN });
  smtp = await startSmtpSink();
  pagerduty = await startFakePagerDuty();
  const demo = await writeDemoFile(dir);
  const config = join(dir, "tocsin.yaml");
  await writeFile(
    config,
    `listen: 127.0.0.1:0
data_dir: ${join(dir, "state")}
storage: { snapshot: false }
rules: { paths: [rules/negative-buzz.yaml], watch: false }
alerts: { console: false }
receivers:
  comms-slack: { type: slack, token: "\${E2E_SLACK_TOKEN}", channel: "#comms-alerts", api_url: "${slack.apiUrl}" }
  comms-mail:
    type: email
    host: 127.0.0.1
    port: ${smtp.port}
    tls: none
    from: "Tocsin <tocsin@example.com>"
    to: [comms@example.com]
  oncall: { type: pagerduty, routing_key: "\${E2E_ROUTING_KEY}", events_url: "${pagerduty.url}/v2/enqueue" }
route:
  receiver: comms-slack
  group_by: [brand]
  repeat_interval: 30d
  routes:
    - receiver: comms-slack
      continue: true
      escalate: [{ after: 15m, receiver: oncall }]
    - receiver: comms-mail
`,
  );
  const tocsin = await startTocsin(["--config", config, "--replay", demo, "--speed", "0"], {
    E2E_SLACK_TOKEN: SLACK_TOKEN,
    E2E_ROUTING_KEY: ROUTING_KEY,
  });
  try {
    await tocsin.waitForLog(/replay of .* done/);
    const resolves = () =>
      slack.requests.filter((r) => r.params.thread_ts && /^RESOLVED/.test(slackText(r))).length;
    await waitUntil("both resolves on every channel", () => {
      const mails = smtp.mails.filter((m) => /resolved/i.test(m.parsed.subject ?? "")).length;
      const pd = pdEvents().filter((e) => e.event_action === "resolve").length;
      return resolves() >= 2 && mails >= 2 && pd >= 2;
    });
    await waitUntil("an empty outbox", async () => {
      const metrics = await (await fetch(`${tocsin.url}/metrics`)).text();
      return /^tocsin_outbox_depth 0$/m.test(metrics);
    });
    // Anything sent twice would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stdout = tocsin.stdout();
    metrics = await (await fetch(`${tocsin.url}/metrics`)).text();
  } finally {
    tocsin.child.kill("SIGTERM");
    await exited(tocsin.child);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([slack?.stop(), smtp?.stop(), pagerduty?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("demo crisis paged end to end", () => {
  it("Slack (local server speaking the Web API): one thread per incident, the escalation broadcast in it, one resolve each", () => {
    const posted = slack.requests.filter((r) => r.method === "chat.postMessage");
    const tops = posted.filter((r) => !r.params.thread_ts);
    expect(tops.every((r) => /^FIRING/.test(slackText(r)))).toBe(true);
    // The fake server numbers its messages in posting order; a thread is keyed by its top's ts.
    const threads = new Map(
      tops.map((top) => [`${1_772_798_400 + posted.indexOf(top) + 1}`, alertName(slackText(top))]),
    );
    const replies = new Map<string, string[]>();
    for (const reply of posted.filter((r) => r.params.thread_ts)) {
      const name = threads.get(String(reply.params.thread_ts).split(".")[0] ?? "") ?? "unthreaded";
      const look = `${slackText(reply).split(":")[0]}${reply.params.reply_broadcast === "true" ? " (broadcast)" : ""}`;
      replies.set(name, [...(replies.get(name) ?? []), look]);
    }
    expect([...threads.values()].sort()).toEqual(["NegativeBuzzSpike", "NegativeSlowBurn"]);
    expect(Object.fromEntries(replies)).toEqual({
      NegativeBuzzSpike: ["ESCALATED (broadcast)", "ESCALATED (broadcast)", "RESOLVED"],
      NegativeSlowBurn: ["ESCALATED (broadcast)", "ESCALATED (broadcast)", "RESOLVED"],
    });
    const updates = slack.requests
      .filter((r) => r.method === "chat.update")
      .map((r) => slackText(r).split(":")[0]);
    expect(updates.sort()).toEqual([
      "ESCALATED",
      "ESCALATED",
      "ESCALATED",
      "ESCALATED",
      "RESOLVED",
      "RESOLVED",
    ]);
    expect(slack.requests.every((r) => r.authorization === `Bearer ${SLACK_TOKEN}`)).toBe(true);
  });

  it("email (real SMTP server): one first mail per incident, the escalation and one resolve in its thread", () => {
    const first = smtp.mails.filter((m) => !m.parsed.inReplyTo);
    const thread = (messageId: string | undefined) =>
      smtp.mails
        .filter((m) => m.parsed.inReplyTo === messageId)
        .map((m) => /(escalated|resolved)/i.exec(m.parsed.subject ?? "")?.[1]?.toLowerCase());
    const byName = Object.fromEntries(
      first.map((m) => [alertName(m.parsed.subject ?? ""), thread(m.parsed.messageId)]),
    );
    expect(byName).toEqual({
      NegativeBuzzSpike: ["escalated", "escalated", "resolved"],
      NegativeSlowBurn: ["escalated", "escalated", "resolved"],
    });
    expect(smtp.mails).toHaveLength(8);
  });

  it("PagerDuty (local server speaking Events API v2): an unacknowledged incident escalates to it after 15 minutes; one incident key each, resolved once", () => {
    const events = pdEvents();
    const keys = [...new Set(events.map((e) => e.dedup_key))];
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const actions = events.filter((e) => e.dedup_key === key).map((e) => e.event_action);
      expect(actions[0]).toBe("trigger");
      expect(actions.at(-1)).toBe("resolve");
      expect(actions.filter((a) => a === "resolve")).toHaveLength(1);
    }
    const firstTrigger = events.find((e) => e.event_action === "trigger");
    expect(String(firstTrigger?.payload?.custom_details.note)).toMatch(/not acknowledged within 15m/);
    expect(pagerduty.requests.every((r) => !r.body.includes("<script>"))).toBe(true);
  });

  it("counts what it sent per receiver and what is still firing on /metrics", () => {
    // Slack: two triggers, four escalations, two resolves; email alike; PagerDuty as escalated to.
    expect(metrics).toMatch(/^tocsin_notifications_total\{receiver="comms-slack",outcome="sent"\} 8$/m);
    expect(metrics).toMatch(/^tocsin_notifications_total\{receiver="comms-mail",outcome="sent"\} 8$/m);
    expect(metrics).toMatch(/^tocsin_alerts_firing 0$/m);
    expect(metrics).not.toMatch(/outcome="failed"/);
  });

  it("leaves the console to the configured notifiers: nothing printed per alert when console is off", () => {
    expect(stdout).not.toMatch(/FIRING/);
  });
});
