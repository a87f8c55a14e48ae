// End to end: one crisis that emerges, escalates (its pace keeps doubling the count), reaches the
// critical line, peaks, subsides and ends, replayed into `tocsin run` paging Slack (a local server
// speaking the Web API), email (a real SMTP server) and PagerDuty (a local server speaking Events
// API v2). One incident per channel, told of each worse stage as an update, and resolved once.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import type { FakeSlackApi, SlackApiRequest } from "./helpers/fake-slack-api.js";
import { startFakeSlackApi } from "./helpers/fake-slack-api.js";
import { pagerDutyEvents, startFakePagerDuty } from "./helpers/paging-fixtures.js";
import type { SmtpSink } from "./helpers/smtp-sink.js";
import { startSmtpSink } from "./helpers/smtp-sink.js";
import { exited, startTocsin, waitUntil } from "./helpers/tocsin-process.js";

const SLACK_TOKEN = "xoxb-stages-token";
const ROUTING_KEY = "R0UTINGKEYSTAGES00000000000000000";
const W = 300_000;
const START = Date.parse("2026-03-10T08:00:00Z");
/** Negative mentions per 5-minute window: an hour of background, the crisis, its end. */
const CRISIS = [14, 20, 30, 45, 68, 100, 150, 160, 140, 90, 50, 25, 10];
const NEGATIVE = [...Array<number>(12).fill(0), ...CRISIS, ...Array<number>(8).fill(0)];
const BACKGROUND_NEGATIVE = 2;

let dir: string;
let slack: FakeSlackApi;
let smtp: SmtpSink;
let pagerduty: FakeHttpReceiver;

const slackText = (request: SlackApiRequest) => String(request.params.text ?? "");

/** The replay: each window's negatives and a few neutral mentions, spread over the window. */
function replayLines(): string[] {
  const lines: string[] = [];
  NEGATIVE.forEach((crisis, window) => {
    const negatives = crisis + BACKGROUND_NEGATIVE;
    const total = negatives + 3;
    for (let i = 0; i < total; i++) {
      const time = START + window * W + Math.floor(((i + 0.5) * W) / total);
      const negative = i < negatives;
      lines.push(
        JSON.stringify({
          id: `m-${window}-${i}`,
          brand: "acme",
          channel: "twitter",
          created_at: new Date(time).toISOString(),
          text: negative ? "the acme kettle leaks boiling water, avoid" : "acme kettle arrived today",
          sentiment: negative ? "negative" : "neutral",
          author: { id: `a-${window}-${i}`, name: `user${i}`, followers: 100 },
        }),
      );
    }
  });
  return lines;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-stages-"));
  slack = await startFakeSlackApi({ token: SLACK_TOKEN });
  smtp = await startSmtpSink();
  pagerduty = await startFakePagerDuty();
  const replay = join(dir, "crisis.ndjson");
  await writeFile(replay, `${replayLines().join("\n")}\n`);
  await mkdir(join(dir, "rules"));
  await writeFile(
    join(dir, "rules", "acme.yaml"),
    `groups:
  - name: acme
    match: { brand: acme }
    rules:
      - alert: KettleBacklash
        metric: negative
        by: [brand]
        detector: { type: threshold, above: 12 }
        severity: warning
        critical: { above: 120 }
`,
  );
  const config = join(dir, "tocsin.yaml");
  await writeFile(
    config,
    `listen: 127.0.0.1:0
data_dir: ${join(dir, "state")}
storage: { snapshot: false }
rules: { paths: [${join(dir, "rules")}], watch: false }
alerts: { console: false }
receivers:
  comms-slack: { type: slack, token: "\${STAGES_SLACK_TOKEN}", channel: "#comms-alerts", api_url: "${slack.apiUrl}" }
  comms-mail:
    type: email
    host: 127.0.0.1
    port: ${smtp.port}
    tls: none
    from: "Tocsin <tocsin@example.com>"
    to: [comms@example.com]
  oncall: { type: pagerduty, routing_key: "\${STAGES_ROUTING_KEY}", events_url: "${pagerduty.url}/v2/enqueue" }
route:
  receiver: comms-slack
  group_by: [brand]
  group_wait: 0s
  group_interval: 5m
  repeat_interval: 30d
  routes:
    - { receiver: comms-slack, continue: true }
    - { receiver: comms-mail, continue: true }
    - { receiver: oncall }
`,
  );
  const tocsin = await startTocsin(["--config", config, "--replay", replay, "--speed", "0"], {
    STAGES_SLACK_TOKEN: SLACK_TOKEN,
    STAGES_ROUTING_KEY: ROUTING_KEY,
  });
  try {
    await tocsin.waitForLog(/replay of .* done/);
    await waitUntil("the resolve on every channel", () => {
      const slackResolved = slack.requests.some((r) => r.params.thread_ts && /^RESOLVED/.test(slackText(r)));
      const mailResolved = smtp.mails.some((m) => /resolved/i.test(m.parsed.subject ?? ""));
      const pdResolved = pagerDutyEvents(pagerduty).some((e) => e.event_action === "resolve");
      return slackResolved && mailResolved && pdResolved;
    });
    await waitUntil("an empty outbox", async () =>
      /^tocsin_outbox_depth 0$/m.test(await (await fetch(`${tocsin.url}/metrics`)).text()),
    );
    // Anything sent twice would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  } finally {
    tocsin.child.kill("SIGTERM");
    await exited(tocsin.child);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([slack?.stop(), smtp?.stop(), pagerduty?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("a crisis followed through its stages, end to end", () => {
  it("PagerDuty (local server speaking Events API v2): one dedup key, raised by the escalating stage then by the critical line, resolved once", () => {
    const events = pagerDutyEvents(pagerduty);
    expect(new Set(events.map((e) => e.dedup_key)).size).toBe(1);
    expect(
      events.map((e) =>
        e.event_action === "trigger"
          ? `${String(e.payload?.custom_details.event)}:${e.payload?.severity}:${String(e.payload?.custom_details.stage)}`
          : e.event_action,
      ),
    ).toEqual([
      "firing:warning:emerging",
      "escalated:error:escalating",
      "escalated:critical:escalating",
      "resolve",
    ]);
  });

  it("Slack (local server speaking the Web API): one thread, each escalation an update and a broadcast reply, one resolve", () => {
    const posted = slack.requests.filter((r) => r.method === "chat.postMessage");
    const tops = posted.filter((r) => !r.params.thread_ts);
    expect(tops.map((r) => slackText(r).split(":")[0])).toEqual(["FIRING"]);
    const replies = posted
      .filter((r) => r.params.thread_ts)
      .map(
        (r) => `${slackText(r).split(":")[0]}${r.params.reply_broadcast === "true" ? " (broadcast)" : ""}`,
      );
    expect(replies).toEqual(["ESCALATED (broadcast)", "ESCALATED (broadcast)", "RESOLVED"]);
    expect(new Set(posted.filter((r) => r.params.thread_ts).map((r) => r.params.thread_ts)).size).toBe(1);
    const updates = slack.requests.filter((r) => r.method === "chat.update").map((r) => slackText(r));
    expect(updates.map((text) => text.split(":")[0])).toEqual(["ESCALATED", "ESCALATED", "RESOLVED"]);
  });

  it("email (real SMTP server): the first mail, then each escalation and the resolve in its thread, saying the stage", () => {
    const [first, ...rest] = smtp.mails;
    expect(first?.parsed.inReplyTo).toBeUndefined();
    expect(rest.map((m) => m.parsed.inReplyTo)).toEqual(rest.map(() => first?.parsed.messageId));
    expect(rest.map((m) => /(escalated|resolved)/i.exec(m.parsed.subject ?? "")?.[1]?.toLowerCase())).toEqual(
      ["escalated", "escalated", "resolved"],
    );
    expect(rest[0]?.parsed.text).toMatch(/Stage\s*:?\s*escalating since/);
  });
});
