// `tocsin render`: previews of a rule's pages through the receivers' own build functions, on a
// representative alert whose annotations are rendered by the engine's templates. Nothing is sent: the
// receivers below point at addresses where nothing listens.
import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { render } from "../src/cli/render.js";
import type { RenderedPreview } from "../src/cli/render.js";
import { CHANNEL_TYPES } from "../src/cli/receivers.js";
import type { Alert } from "../src/model/index.js";

const ROOT = new URL("..", import.meta.url).pathname;
const SLACK_TOKEN = "xoxb-4242-render-test-secret";
const ROUTING_KEY = "R3NDERKEYd0e5n0t1eave7he5erver00";
const HOSTILE = "<!channel> @here <script>alert(1)</script> <https://evil|click>";

const RULES = `groups:
  - name: quoted
    match: { brand: kryptonite }
    rules:
      - alert: QuotedPost
        metric: negative
        by: [brand, channel]
        detector: { type: threshold, above: 40 }
        severity: warning
        labels: { team: comms }
        annotations:
          summary: "{{ brand }} on {{ channel }}: {{ value }} negative mentions, {{ factor | round: 1 }}x; top post: ${HOSTILE}"
          runbook_url: "https://wiki.example.com/runbooks/quoted"
      - alert: BuzzSpike
        metric: negative
        by: [brand]
        detector: { type: poisson, baseline: 1d, p_value: 1.0e-4 }
`;

const CONFIG = `receivers:
  comms-slack: { type: slack, token: "\${SLACK_TOKEN}", channel: "#comms-alerts", api_url: "http://127.0.0.1:9/api/" }
  oncall: { type: pagerduty, routing_key: "\${PAGERDUTY_ROUTING_KEY}", events_url: "http://127.0.0.1:9/v2/enqueue" }
route:
  receiver: comms-slack
`;

let dir: string;
let files: { config: string; rules: string };
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-render-"));
  files = { config: join(dir, "tocsin.yaml"), rules: join(dir, "rules.yaml") };
  await writeFile(files.config, CONFIG);
  await writeFile(files.rules, RULES);
  vi.stubEnv("SLACK_TOKEN", SLACK_TOKEN);
  vi.stubEnv("PAGERDUTY_ROUTING_KEY", ROUTING_KEY);
});

/** `tocsin render` as a user runs it, on the test's config and rules. */
function cli(...args: string[]) {
  const all = ["render", ...args, "--config", files.config, "--rules", files.rules];
  return spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...all], {
    cwd: ROOT,
    encoding: "utf8",
    env: process.env,
  });
}

interface JsonOutput {
  rule: string;
  event: string;
  alert: Alert;
  previews: RenderedPreview[];
}

/** `tocsin render` in-process, on the test's config and rules. */
const renderTest = (options: { rule: string; event?: string; channel?: string; format?: string }) =>
  render({ event: "firing", format: "text", ...options, config: files.config, rules: [files.rules] });
const renderJson = async (options: { rule: string; event?: string; channel?: string }) =>
  JSON.parse(await renderTest({ ...options, format: "json" })) as JsonOutput;

const part = (preview: RenderedPreview | undefined, name: string) =>
  preview?.parts.find((candidate) => candidate.name === name)?.content ?? "";

describe("tocsin render", () => {
  it("previews the Slack page with a stranger's text from the annotation escaped, and no token", () => {
    const run = cli("--rule", "QuotedPost", "--channel", "comms-slack", "--format", "json");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const output = JSON.parse(run.stdout) as JsonOutput;
    expect(output).toMatchObject({ rule: "quoted/QuotedPost", event: "firing" });
    expect(output.previews.map(({ receiver, channel }) => [receiver, channel])).toEqual([
      ["comms-slack", "slack"],
    ]);
    const post = part(output.previews[0], "chat.postMessage");
    expect(post).toContain(
      "kryptonite on &lt;channel&gt;: 412 negative mentions, 8.9x; top post: &lt;!channel&gt; @\u200dhere &lt;script&gt;alert(1)&lt;/script&gt; &lt;https://evil|click&gt;",
    );
    expect(post).not.toMatch(/<!channel>|<script>|<https:\/\/evil|@here/);
    expect(post).toContain("<https://wiki.example.com/runbooks/quoted|runbook>");
    expect(run.stdout).not.toContain(SLACK_TOKEN);
  });

  it("exits 1 on an unknown rule, listing the rules it knows", () => {
    const run = cli("--rule", "NoSuchRule");
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      'tocsin: unknown rule "NoSuchRule"; known rules: quoted/QuotedPost, quoted/BuzzSpike\n',
    );
  });

  it("exits 1 on an unknown receiver, listing the receivers and channel types", () => {
    const run = cli("--rule", "QuotedPost", "--channel", "fax");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'tocsin: unknown channel "fax"; receivers: comms-slack, oncall; channel types: slack, email, pagerduty, webhook, console\n',
    );
  });

  it("previews every configured receiver and the console by default, as readable text", async () => {
    const text = await renderTest({ rule: "quoted/QuotedPost" });
    expect(text.split("\n").filter((line) => line.startsWith("==="))).toEqual([
      "=== comms-slack (slack) ===",
      "=== oncall (pagerduty) ===",
      "=== console (console) ===",
    ]);
    expect(text).toContain("sample alert ");
    expect(text).toContain(": brand=kryptonite channel=<channel> team=comms\n");
    expect(text).toContain('  "routing_key": "[routing_key]",');
    expect(text).not.toContain(ROUTING_KEY);
    expect(text).toMatch(/^FIRING {4}warning {2}quoted\/QuotedPost {2}brand=kryptonite/m);
  });

  it("builds the sample alert from the rule: group match, placeholders for open `by` labels, the rule's labels, a p-value only from a p-value detector", async () => {
    const quoted = (await renderJson({ rule: "QuotedPost", channel: "console" })).alert;
    expect(quoted.labels).toEqual({ brand: "kryptonite", channel: "<channel>", team: "comms" });
    expect(quoted.last).toMatchObject({ value: 412, expected: 46.3 });
    expect(quoted.last.factor).toBeCloseTo(8.9, 1);
    expect(quoted.last.pValue).toBeUndefined();
    const spike = (await renderJson({ rule: "BuzzSpike", channel: "console" })).alert;
    expect(spike.labels).toEqual({ brand: "kryptonite", channel: "all" });
    expect(spike.last.pValue).toBeLessThan(1e-4);
  });

  it("previews a later event as a reply in the first page's thread: Slack updates and replies, PagerDuty acknowledges", async () => {
    const output = await renderJson({ rule: "QuotedPost", event: "acknowledged" });
    expect(output.alert.acknowledged).toMatchObject({ by: "<operator>" });
    const [slack, pagerduty] = output.previews;
    expect(slack?.parts.map((p) => p.name)).toEqual(["chat.update", "chat.postMessage"]);
    expect(JSON.parse(part(slack, "chat.postMessage"))).toMatchObject({
      channel: "#comms-alerts",
      thread_ts: expect.any(String),
      reply_broadcast: false,
    });
    expect(part(slack, "chat.update")).toContain("ACKNOWLEDGED");
    expect(part(slack, "chat.update")).toContain("&lt;operator&gt;");
    expect(JSON.parse(part(pagerduty, "event"))).toEqual({
      routing_key: "[routing_key]",
      event_action: "acknowledge",
      dedup_key: expect.stringMatching(/@2026-03-06T12:15:00.000Z$/),
    });
  });

  it("previews every channel type, configured or not", async () => {
    for (const channel of CHANNEL_TYPES) {
      const [preview] = (await renderJson({ rule: "QuotedPost", channel })).previews;
      expect(preview?.channel).toBe(channel);
      expect(preview?.parts.length).toBeGreaterThan(0);
    }
  });

  it("previews a channel type nobody configured with stand-in settings", async () => {
    const output = await renderJson({ rule: "QuotedPost", channel: "webhook", event: "resolved" });
    expect(output.previews.map((preview) => preview.receiver)).toEqual(["webhook"]);
    expect(JSON.parse(part(output.previews[0], "body"))).toMatchObject({
      event: "resolved",
      alert: { state: "resolved" },
    });
  });
});
