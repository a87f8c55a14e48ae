// `tocsin render --rule NAME`: the pages a rule would send, previewed by each receiver's own build
// functions on a representative alert, so wording, escaping and limits can be reviewed before an
// incident does it. Nothing is sent.
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import type { Alert, PageEvent } from "../model/index.js";
import { formatLabels } from "../notify/format.js";
import type { Notification, Notifier, Preview } from "../notify/notifier.js";
import type { CompiledRule } from "../rules/compile.js";
import { loadRules } from "../rules/load.js";
import { previewReceivers } from "./receivers.js";
import { ruleSampleSpec, sampleAlert } from "./sample-alert.js";

const EVENTS: readonly PageEvent[] = ["firing", "escalated", "acknowledged", "reminder", "resolved"];

export interface RenderOptions {
  rule: string;
  channel?: string;
  config?: string;
  rules?: string[];
  event: string;
  format: string;
}

export function registerRender(program: Command): void {
  program
    .command("render")
    .description("preview the page a rule would send on each receiver, without sending anything")
    .requiredOption("--rule <name>", "the rule's alert name, or its id group/alert")
    .option(
      "--channel <name>",
      "a receiver of tocsin.yaml, or a channel type: slack, email, pagerduty, webhook, console (default: every receiver, and console)",
    )
    .option("-c, --config <file>", "tocsin.yaml (default: $TOCSIN_CONFIG, else built-in defaults)")
    .option("--rules <path...>", "rule files or folders (overrides the config's rules.paths)")
    .option("--event <event>", EVENTS.join(", "), "firing")
    .option("--format <format>", "text (for people) or json", "text")
    .action(async (options: RenderOptions) => void process.stdout.write(await render(options)));
}

export interface RenderedPreview extends Preview {
  receiver: string;
}

/** The output of `tocsin render`: previews as text, or {rule, event, alert, previews} as JSON. */
export async function render(options: RenderOptions): Promise<string> {
  const event = EVENTS.find((candidate) => candidate === options.event);
  if (!event) throw new Error(`--event must be one of ${EVENTS.join(", ")}, got "${options.event}"`);
  if (options.format !== "text" && options.format !== "json")
    throw new Error("--format must be text or json");
  const config = await loadConfig(options.config || process.env.TOCSIN_CONFIG || undefined);
  const { rules } = await loadRules(options.rules ?? config.rules.paths, config.window);
  const rule = findRule(rules, options.rule);
  const receivers = previewReceivers(config, options.channel);
  const spec = ruleSampleSpec(rule, config.window);
  const alert = sampleAlert(spec, event);
  const firing = sampleAlert(spec, "firing");
  const previews: RenderedPreview[] = receivers.map(({ name, type, notifier }) => ({
    receiver: name,
    ...(previewOf(notifier, { event, alert }, firing) ?? { channel: type, parts: [] }),
  }));
  if (options.format === "json") {
    return `${JSON.stringify({ rule: rule.id, file: rule.file, event, alert, previews }, null, 2)}\n`;
  }
  return renderText(rule, event, alert, previews);
}

/** By id (group/alert), or by alert name when only one group has it. */
function findRule(rules: readonly CompiledRule[], name: string): CompiledRule {
  const byId = rules.find((rule) => rule.id === name);
  if (byId) return byId;
  const byName = rules.filter((rule) => rule.name === name);
  if (byName.length === 1 && byName[0]) return byName[0];
  if (byName.length > 1) {
    throw new Error(`rule "${name}" is in several groups; name one of ${byName.map((r) => r.id).join(", ")}`);
  }
  const known =
    rules.length > 0 ? `known rules: ${rules.map((rule) => rule.id).join(", ")}` : "no rules loaded";
  throw new Error(`unknown rule "${name}"; ${known}`);
}

/**
 * A later event previews as a reply to the incident's first page, as the outbox threads it: the
 * firing page's stand-in receipt is what the real one would be.
 */
function previewOf(notifier: Notifier, notification: Notification, firing: Alert): Preview | undefined {
  if (!notifier.preview) return undefined;
  if (notification.event === "firing") return notifier.preview(notification);
  const thread = notifier.preview({ event: "firing", alert: firing }).receipt;
  return notifier.preview({ ...notification, ...(thread ? { thread } : {}) });
}

function renderText(rule: CompiledRule, event: PageEvent, alert: Alert, previews: RenderedPreview[]): string {
  const lines = [
    `rule ${rule.id} (${rule.file}), event ${event}`,
    `sample alert ${alert.id}: ${formatLabels(alert.labels)}`,
  ];
  for (const preview of previews) {
    lines.push("", `=== ${preview.receiver} (${preview.channel}) ===`);
    if (preview.parts.length === 0) lines.push("(this channel has no preview)");
    for (const part of preview.parts) {
      const content = part.kind === "json" ? JSON.stringify(JSON.parse(part.content), null, 2) : part.content;
      lines.push(`--- ${part.name} ---`, content.replace(/\n$/, ""));
    }
  }
  return `${lines.join("\n")}\n`;
}
