// Crash safety of paging through `tocsin run`: the demo crisis is replayed while Slack and PagerDuty
// (local servers speaking their APIs, behind a proxy that resets every connection) are unreachable;
// the engine is killed with SIGKILL while its sends keep failing, the servers come back, and a
// restarted engine delivers every page the first one decided, each exactly once, threaded and in order.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { pagerDutyEvents, startFakePagerDuty, writeDemoFile } from "./helpers/paging-fixtures.js";
import type { FakeSlackApi } from "./helpers/fake-slack-api.js";
import { startFakeSlackApi } from "./helpers/fake-slack-api.js";
import type { SwitchableProxy } from "./helpers/switchable-proxy.js";
import { startSwitchableProxy } from "./helpers/switchable-proxy.js";
import type { RunningTocsin } from "./helpers/tocsin-process.js";
import { exited, startTocsin, waitUntil } from "./helpers/tocsin-process.js";

const SLACK_TOKEN = "xoxb-crash-token";

let dir: string;
let config: string;
let demo: string;
let slack: FakeSlackApi;
let pagerduty: FakeHttpReceiver;
let proxies: SwitchableProxy[];

const metric = async (tocsin: RunningTocsin, pattern: RegExp) => {
  const text = await (await fetch(`${tocsin.url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? Number.NaN);
};
const depth = (tocsin: RunningTocsin) => metric(tocsin, /^tocsin_outbox_depth (\d+)$/m);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-crash-"));
  slack = await startFakeSlackApi({ token: SLACK_TOKEN });
  pagerduty = await startFakePagerDuty();
  const slackProxy = await startSwitchableProxy(Number(new URL(slack.apiUrl).port), { down: true });
  const pdProxy = await startSwitchableProxy(Number(new URL(pagerduty.url).port), { down: true });
  proxies = [slackProxy, pdProxy];
  demo = await writeDemoFile(dir);
  config = join(dir, "tocsin.yaml");
  await writeFile(
    config,
    `listen: 127.0.0.1:0
data_dir: ${join(dir, "state")}
storage: { snapshot: false }
rules: { paths: [rules/negative-buzz.yaml], watch: false }
alerts: { console: false }
outbox: { retry_initial: 200ms, retry_max: 1s }
receivers:
  comms-slack: { type: slack, token: ${SLACK_TOKEN}, channel: "#comms-alerts", api_url: "${slackProxy.via(slack.apiUrl)}", timeout: 2s }
  oncall: { type: pagerduty, routing_key: R0UTINGKEYCRASH00000000000000000, events_url: "${pdProxy.via(pagerduty.url)}/v2/enqueue", timeout: 2s }
route:
  receiver: comms-slack
  repeat_interval: 30d
  routes:
    - { receiver: comms-slack, continue: true }
    - { receiver: oncall }
`,
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([...(proxies ?? []).map((p) => p.stop()), slack?.stop(), pagerduty?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

describe("paging across a crash", () => {
  it("delivers after a SIGKILL what the killed engine could not send, none lost, none twice", async () => {
    const first = await startTocsin(["--config", config, "--replay", demo, "--speed", "0"]);
    let decided: number;
    try {
      await first.waitForLog(/replay of .* done/);
      await waitUntil("failed attempts on both receivers", () => proxies.every((p) => p.refused > 0));
      decided = await depth(first);
      expect(decided).toBeGreaterThanOrEqual(8);
      expect(
        await metric(first, /^tocsin_notifications_total\{receiver="oncall",outcome="retried"\} (\d+)$/m),
      ).toBeGreaterThan(0);
    } finally {
      first.child.kill("SIGKILL");
      await exited(first.child);
    }
    expect(slack.requests).toHaveLength(0);
    expect(pagerduty.requests).toHaveLength(0);

    for (const proxy of proxies) proxy.setDown(false);
    const second = await startTocsin(["--config", config]);
    try {
      await second.waitForLog(/resuming pending notifications/);
      await waitUntil("an empty outbox", async () => (await depth(second)) === 0);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // a duplicate would arrive now
      expect(
        await metric(second, /^tocsin_notifications_total\{receiver="comms-slack",outcome="sent"\} (\d+)$/m),
      ).toBe(slack.requests.filter((r) => r.method === "chat.postMessage").length);
    } finally {
      second.child.kill("SIGTERM");
      await exited(second.child);
    }

    // Slack: two threads, each opened once; every later page updated and replied in its own thread.
    const posted = slack.requests.filter((r) => r.method === "chat.postMessage");
    const tops = posted.filter((r) => !r.params.thread_ts);
    expect(tops.map((r) => String(r.params.text).split(":")[0])).toEqual(["FIRING", "FIRING"]);
    const replies = posted.filter((r) => r.params.thread_ts).map((r) => String(r.params.text).split(":")[0]);
    expect(replies.sort()).toEqual([
      "ESCALATED",
      "ESCALATED",
      "ESCALATED",
      "ESCALATED",
      "RESOLVED",
      "RESOLVED",
    ]);
    expect(slack.requests.filter((r) => r.method === "chat.update")).toHaveLength(6);

    // PagerDuty: per incident key, the trigger first and one resolve last.
    const events = pagerDutyEvents(pagerduty);
    const keys = [...new Set(events.map((e) => e.dedup_key))];
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      const actions = events.filter((e) => e.dedup_key === key).map((e) => e.event_action);
      expect(actions[0]).toBe("trigger");
      expect(actions.slice(1, -1).every((a) => a === "trigger")).toBe(true);
      expect(actions.at(-1)).toBe("resolve");
    }
    // Every page decided before the crash went out exactly once: 5 Slack pages (8 calls), the rest PagerDuty.
    expect(tops.length + replies.length + events.length).toBe(decided);
  }, 120_000);
});
