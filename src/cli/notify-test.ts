// `tocsin notify test --channel NAME`: a clearly-labelled test page through one receiver of the real
// tocsin.yaml (its real token, address or key), firing then resolved in its thread, so a receiver can
// be proven before an incident needs it. Prints what each send returned; exit 1 when one failed.
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import type { PageEvent } from "../model/index.js";
import type { Receipt, SendResult } from "../notify/notifier.js";
import { systemClock } from "../util/clock.js";
import { configuredReceiver } from "./receivers.js";
import { sampleAlert } from "./sample-alert.js";
import type { SampleSpec } from "./sample-alert.js";

interface NotifyTestOptions {
  channel: string;
  config?: string;
}

export function registerNotify(program: Command): void {
  program
    .command("notify")
    .description("work with the receivers of tocsin.yaml")
    .command("test")
    .description("send a test page (firing, then resolved in its thread) through one configured receiver")
    .requiredOption("--channel <receiver>", "the receiver's name under receivers in tocsin.yaml")
    .option("-c, --config <file>", "tocsin.yaml (default: $TOCSIN_CONFIG)")
    .action(async (options: NotifyTestOptions) => {
      const { lines, ok } = await notifyTest(options);
      process.stdout.write(`${lines.join("\n")}\n`);
      if (!ok) process.exitCode = 1;
    });
}

const NOTE = "This is a test sent by `tocsin notify test`: nothing is wrong, no action is needed.";

/** The test alert: its name, label and texts say what it is wherever it lands. */
function testSpec(receiver: string, now: number): SampleSpec {
  return {
    rule: "tocsin/TocsinTest",
    name: "TocsinTest",
    labels: { test: "true" },
    // A test must not wake anyone at high urgency.
    severity: "info",
    firedAt: now,
    windowMs: 5 * 60_000,
    forMs: 0,
    annotations: () => ({
      summary: `Test page for receiver ${receiver}: if you read this, Tocsin can reach you here.`,
    }),
  };
}

/** Sends the test pages; `lines` says what each send returned (errors never carry secrets). */
export async function notifyTest(options: NotifyTestOptions): Promise<{ lines: string[]; ok: boolean }> {
  const config = await loadConfig(options.config || process.env.TOCSIN_CONFIG || undefined);
  const { name, type, notifier } = configuredReceiver(config, options.channel);
  const spec = testSpec(name, systemClock.now());
  const lines = [`receiver ${name} (${type}):`];
  const send = async (event: PageEvent, thread?: Receipt): Promise<SendResult> => {
    const result = await notifier.send({
      event,
      alert: sampleAlert(spec, event),
      note: NOTE,
      ...(thread && { thread }),
    });
    lines.push(`  ${event}: ${describe(result)}`);
    return result;
  };
  try {
    const firing = await send("firing");
    if (!firing.ok) {
      lines.push("  resolved: not sent, the firing page failed");
      return { lines, ok: false };
    }
    const resolved = await send("resolved", firing.receipt);
    return { lines, ok: resolved.ok };
  } finally {
    await notifier.close?.();
  }
}

function describe(result: SendResult): string {
  if (result.ok) return `ok${result.receipt ? `, receipt ${JSON.stringify(result.receipt)}` : ""}`;
  const retry = result.retryAfterMs === undefined ? "" : `, retry after ${result.retryAfterMs} ms`;
  return `failed (${result.retryable ? "retryable" : "not retryable"}${retry}): ${result.error}`;
}
