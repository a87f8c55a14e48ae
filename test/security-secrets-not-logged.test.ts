import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, REDACTED } from "../src/telemetry/logger.js";
import { ROOT } from "./helpers/tocsin-process.js";

/** Distinctive values, so finding one anywhere in the output is a leak. */
const SECRETS = {
  TOCSIN_INGEST_TOKEN: "ingest-LEAK-7d1f0c",
  TOCSIN_ADMIN_TOKEN: "admin-LEAK-52aa9e",
  SLACK_BOT_TOKEN: "xoxb-LEAK-3e8b11",
  SLACK_SIGNING_SECRET: "signing-LEAK-0b77c4",
  PAGERDUTY_ROUTING_KEY: "routing-LEAK-c0ffee",
  SMTP_PASSWORD: "smtp-LEAK-91d2aa",
  WEBHOOK_SECRET: "webhook-LEAK-4f4f4f",
};

const CONFIG = (dir: string, extra = "") => `data_dir: ${dir}
rules: { paths: [], watch: false }
alerts: { console: false, log: "" }
log: { level: trace }
slack: { signing_secret: "\${SLACK_SIGNING_SECRET}" }
receivers:
  comms-slack: { type: slack, token: "\${SLACK_BOT_TOKEN}", channel: "#comms" }
  oncall: { type: pagerduty, routing_key: "\${PAGERDUTY_ROUTING_KEY}" }
  mail: { type: email, host: smtp.example.com, user: tocsin, password: "\${SMTP_PASSWORD}", from: "t@example.com", to: [c@example.com] }
  hook: { type: webhook, url: "http://127.0.0.1:9/hook", secret: "\${WEBHOOK_SECRET}" }
route: { receiver: comms-slack }
${extra}`;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `tocsin run` on the config; `whileUp` runs against its URL, then it is stopped by PID. */
async function runTocsin(config: string, whileUp?: (url: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "tocsin-secrets-"));
  dirs.push(dir);
  const file = join(dir, "tocsin.yaml");
  await writeFile(file, config.replaceAll("DATA_DIR", dir));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "run", "-c", file, "--listen", "127.0.0.1:0"],
    { cwd: ROOT, env: { ...process.env, ...SECRETS }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (data: Buffer) => (output += data.toString()));
  let started = false;
  child.stderr.on("data", (data: Buffer) => {
    output += data.toString();
    const url = /tocsin listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url && !started) {
      started = true;
      void (whileUp ?? (async () => {}))(url).finally(() => child.kill("SIGTERM"));
    }
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, output, started };
}

const leaks = (output: string) => Object.values(SECRETS).filter((secret) => output.includes(secret));

describe("secrets never reach the logs", () => {
  it("a run at log level trace, with good and bad tokens and a bad Slack signature, prints none", async () => {
    const { output, started } = await runTocsin(CONFIG("DATA_DIR"), async (url) => {
      const get = (token: string) =>
        fetch(`${url}/v1/alerts`, { headers: { authorization: `Bearer ${token}` } });
      expect((await get(SECRETS.TOCSIN_ADMIN_TOKEN)).status).toBe(200);
      expect((await get(`${SECRETS.TOCSIN_INGEST_TOKEN}`)).status).toBe(401);
      const slack = await fetch(`${url}/v1/slack/actions`, {
        method: "POST",
        headers: {
          "x-slack-request-timestamp": "1",
          "x-slack-signature": `v0=${SECRETS.SLACK_SIGNING_SECRET}`,
        },
        body: "payload=%7B%7D",
      });
      expect(slack.status).toBe(401);
      await fetch(`${url}/v1/rules/reload`, {
        method: "POST",
        headers: { authorization: `Bearer ${SECRETS.TOCSIN_ADMIN_TOKEN}` },
      });
    });
    expect(started).toBe(true);
    expect(output).toContain("Slack callback refused");
    expect(leaks(output)).toEqual([]);
  }, 30_000);

  it("an invalid config that holds secrets is reported without them", async () => {
    const bad = CONFIG("DATA_DIR", "unknown_key: 1\n").replace('channel: "#comms"', "channel: 5");
    const { code, output, started } = await runTocsin(bad);
    expect(started).toBe(false);
    expect(code).toBe(1);
    expect(output).toContain("invalid config");
    expect(leaks(output)).toEqual([]);
  }, 30_000);

  it("the logger redacts secrets by key: configs, request headers and HTTP client errors", () => {
    let out = "";
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    const logger = createLogger({ pretty: false, destination });
    logger.info({ receivers: { s: { type: "slack", token: SECRETS.SLACK_BOT_TOKEN } } }, "receivers");
    logger.info({ config: { slack: { signing_secret: SECRETS.SLACK_SIGNING_SECRET } } }, "config");
    logger.info(
      { receiver: { routing_key: SECRETS.PAGERDUTY_ROUTING_KEY, auth: { pass: SECRETS.SMTP_PASSWORD } } },
      "x",
    );
    logger.info({ headers: { authorization: `Bearer ${SECRETS.TOCSIN_ADMIN_TOKEN}` } }, "request");
    // axios (under @slack/web-api) errors carry the request config, bot token included.
    const error = Object.assign(new Error("request failed"), {
      config: { headers: { Authorization: `Bearer ${SECRETS.SLACK_BOT_TOKEN}` } },
    });
    logger.error({ err: error, webhook: { secret: SECRETS.WEBHOOK_SECRET } }, "send failed");
    expect(leaks(out)).toEqual([]);
    expect(out.split(REDACTED).length - 1).toBe(7);
    expect(out).toContain('"msg":"send failed"');
  });
});
