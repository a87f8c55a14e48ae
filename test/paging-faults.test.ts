// Fault injection on the real delivery path (the outbox driving the real Slack client and PagerDuty
// notifier) against local servers speaking the Slack Web API and PagerDuty Events v2: 500s, a 429 with
// Retry-After, a timeout, and both servers down for a while. Every page of three incidents arrives
// after recovery, in order per incident, none twice.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Alert, PageEvent } from "../src/model/index.js";
import { Delivery } from "../src/notify/delivery.js";
import { RetryPolicy } from "../src/notify/retry-policy.js";
import { jsonAnswer, startFakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { startFakeSlackApi } from "./helpers/fake-slack-api.js";
import { contractAlert } from "./helpers/notifier-contract.js";
import { startSwitchableProxy } from "./helpers/switchable-proxy.js";

const TOKEN = "xoxb-faults";
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type IncidentEvent = Extract<PageEvent, "firing" | "escalated" | "resolved">;

/** The alert as it stood at each event of its incident. */
function incident(n: number): Array<{ event: IncidentEvent; alert: Alert }> {
  const base = Date.parse("2026-03-06T12:00:00Z") + n * 600_000;
  const fingerprint = `f${n}`;
  return [
    {
      event: "firing",
      alert: contractAlert({ id: `${fingerprint}-a`, fingerprint, activeAt: base, severity: "warning" }),
    },
    {
      event: "escalated",
      alert: contractAlert({ id: `${fingerprint}-a`, fingerprint, activeAt: base, severity: "critical" }),
    },
    {
      event: "resolved",
      alert: contractAlert({
        id: `${fingerprint}-a`,
        fingerprint,
        activeAt: base,
        state: "resolved",
        resolvedAt: base + 3_600_000,
      }),
    },
  ];
}

describe("paging under faults (local servers speaking the Slack Web API and PagerDuty Events v2)", () => {
  it("delivers every page after 500s, a 429, a timeout and an outage: in order per incident, none twice", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-faults-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const slack = await startFakeSlackApi({ token: TOKEN });
    cleanups.push(() => slack.stop());
    const pagerduty = await startFakeHttpReceiver((request) => {
      const { dedup_key } = JSON.parse(request.body) as { dedup_key: string };
      return jsonAnswer(202, { status: "success", dedup_key });
    });
    cleanups.push(() => pagerduty.stop());
    const slackProxy = await startSwitchableProxy(Number(new URL(slack.apiUrl).port), { down: true });
    const pdProxy = await startSwitchableProxy(Number(new URL(pagerduty.url).port), { down: true });
    cleanups.push(
      () => slackProxy.stop(),
      () => pdProxy.stop(),
    );

    const delivery = new Delivery({
      dir,
      receivers: {
        slack: {
          type: "slack",
          token: TOKEN,
          channel: "#comms",
          api_url: slackProxy.via(slack.apiUrl),
          timeout: 2_000,
        },
        pagerduty: {
          type: "pagerduty",
          routing_key: "R0UTINGKEYFAULTS0000000000000000",
          events_url: `${pdProxy.via(pagerduty.url)}/v2/enqueue`,
          source: "tocsin",
          timeout: 300,
        },
      },
      policy: new RetryPolicy({ baseMs: 50, maxMs: 400 }),
    });
    await delivery.open();
    cleanups.push(() => delivery.close());

    // Decided while both servers are down: every first attempt fails at the connection.
    for (const n of [1, 2, 3])
      for (const page of incident(n))
        for (const receiver of ["slack", "pagerduty"]) await delivery.send(receiver, page);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(slackProxy.refused).toBeGreaterThan(0);
    expect(pdProxy.refused).toBeGreaterThan(0);

    // They come back, failing the first requests that reach them.
    slack.failNext("server_error");
    slack.failNext("server_error");
    pagerduty.failNext("server_error");
    pagerduty.answerNext({ ...jsonAnswer(429, { status: "throttled" }), headers: { "retry-after": "1" } });
    pagerduty.answerNext({ ...jsonAnswer(202, { status: "success" }), delayMs: 1_000 }); // past the 300 ms timeout
    slackProxy.setDown(false);
    pdProxy.setDown(false);
    expect(await delivery.drain(20_000)).toBe(true);

    // Slack: the two 500s were the first two requests to arrive; the rest are the deliveries.
    const delivered = slack.requests.slice(2);
    const posts = delivered.filter((r) => r.method === "chat.postMessage");
    const tops = posts.filter((r) => !r.params.thread_ts);
    expect(tops).toHaveLength(3);
    for (const top of tops) {
      const ts = `${1_772_798_400 + posts.indexOf(top) + 1}`;
      const thread = posts
        .filter((r) => String(r.params.thread_ts).split(".")[0] === ts)
        .map((r) => String(r.params.text).split(":")[0]);
      expect(thread).toEqual(["ESCALATED", "RESOLVED"]);
    }
    expect(delivered.filter((r) => r.method === "chat.update")).toHaveLength(6);

    // PagerDuty: per incident, trigger, trigger at the raised severity, resolve. The request that
    // timed out did reach the server, so its retry is a byte-identical repeat, which the Events API
    // deduplicates by dedup_key; collapse it and nothing else may repeat.
    const bodies = pagerduty.requests.map((r) => r.body);
    const byKey = new Map<string, string[]>();
    for (const body of bodies) {
      const event = JSON.parse(body) as {
        dedup_key: string;
        event_action: string;
        payload?: { severity: string };
      };
      const list = byKey.get(event.dedup_key) ?? [];
      const step = `${event.event_action}${event.payload ? `:${event.payload.severity}` : ""}`;
      if (list.at(-1) !== step) list.push(step);
      byKey.set(event.dedup_key, list);
    }
    expect([...byKey.values()]).toEqual([
      ["trigger:warning", "trigger:critical", "resolve"],
      ["trigger:warning", "trigger:critical", "resolve"],
      ["trigger:warning", "trigger:critical", "resolve"],
    ]);
    // The 500, the 429 and the timed-out request are the only extra requests.
    expect(bodies.length).toBe(9 + 3);
  }, 60_000);
});
