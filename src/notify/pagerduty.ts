// "pagerduty": pages through the PagerDuty Events API v2 (POST /v2/enqueue, JSON, answers 202;
// https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). One episode is one incident:
// firing triggers it, an escalation triggers again with the same dedup_key and the raised severity
// (PagerDuty updates the open incident instead of opening a second one), an acknowledgement
// acknowledges it, resolved resolves it; a reminder sends nothing.
// The summary, which PagerDuty reads out in calls and SMS, comes only from the rule name, the labels
// and our numbers; strangers' text (summary and description annotations) travels in custom_details,
// which PagerDuty shows as escaped text, and never becomes a link.
import { Liquid } from "liquidjs";
import { z } from "zod";
import type { Alert, Severity } from "../model/index.js";
import { durationField } from "../util/schema-fields.js";
import { formatNumber, formatPValue, formatTime } from "./format.js";
import { postHttp } from "./http-result.js";
import { buildMessage, eventTime } from "./message.js";
import type { Message } from "./message.js";
import type {
  Notification,
  Notifier,
  NotifierDefinition,
  Preview,
  PreviewPart,
  SendResult,
} from "./notifier.js";

// Limits of the Events API v2: summary 1024 characters, dedup_key 255, whole event 512 KB.
const SUMMARY_CHARS = 1024;
const DEDUP_KEY_CHARS = 255;
const MAX_BODY_BYTES = 512 * 1024;
/** Each annotation quoted in custom_details; keeps the event far below 512 KB. */
const DETAIL_CHARS = 4096;

const liquid = new Liquid({ strictFilters: true, strictVariables: false, ownPropertyOnly: true });

const schema = z.strictObject({
  routing_key: z
    .string()
    .min(1)
    .describe(
      "Integration key of the PagerDuty service (Events API v2 integration). A secret: write it as ${PAGERDUTY_ROUTING_KEY}.",
    ),
  events_url: z
    .url({ protocol: /^https?$/ })
    .default("https://events.pagerduty.com/v2/enqueue")
    .describe(
      "Events API v2 endpoint; the EU service region uses https://events.eu.pagerduty.com/v2/enqueue.",
    ),
  source: z
    .string()
    .min(1)
    .default("tocsin")
    .describe("payload.source: the system that saw the problem, shown on the incident."),
  dedup_key: z
    .string()
    .min(1)
    .superRefine((text, context) => {
      try {
        liquid.parse(text);
      } catch (error) {
        context.addIssue({
          code: "custom",
          message: `invalid dedup_key template: ${(error as Error).message}`,
        });
      }
    })
    .optional()
    .describe(
      "Liquid template of the incident key over rule, fingerprint, episode_start (ISO time) and the labels. Default: the alert fingerprint (rule + labels) and its episode start, so a new crisis opens a new incident and an escalation updates the open one. Leaving episode_start out merges every episode of a series into one incident.",
    ),
  timeout: durationField({ what: "a timeout", allowZero: false })
    .prefault("10s")
    .describe("How long to wait for PagerDuty's answer before reporting a retryable failure."),
});

type Config = z.output<typeof schema>;

// Tocsin's severities are a subset of PagerDuty's (critical, error, warning, info).
const SEVERITY: Record<Severity, PagerDutySeverity> = {
  critical: "critical",
  warning: "warning",
  info: "info",
};
type PagerDutySeverity = "critical" | "error" | "warning" | "info";
const RAISED: Record<PagerDutySeverity, PagerDutySeverity> = {
  critical: "critical",
  error: "critical",
  warning: "error",
  info: "warning",
};

/** An escalating crisis raises the incident one step above the rule's severity (same dedup_key). */
const severityOf = (alert: Alert): PagerDutySeverity =>
  alert.stage === "escalating" ? RAISED[SEVERITY[alert.severity]] : SEVERITY[alert.severity];

export const pagerdutyNotifier: NotifierDefinition<typeof schema> = {
  type: "pagerduty",
  description: "Opens, updates and resolves PagerDuty incidents through the Events API v2.",
  schema,
  create: (config, { name }) => new PagerDutyNotifier(config, name),
};

class PagerDutyNotifier implements Notifier {
  readonly name: string;
  private readonly config: Config;
  private readonly template: ReturnType<Liquid["parse"]> | undefined;

  constructor(config: Config, name: string) {
    this.name = name;
    this.config = config;
    this.template = config.dedup_key === undefined ? undefined : liquid.parse(config.dedup_key);
  }

  async send(notification: Notification): Promise<SendResult> {
    const { event, dedupKey } = this.build(notification);
    // PagerDuty re-notifies an open incident by the service's own escalation policy and urgency
    // rules; a second trigger would change nothing, so a reminder is done without a call.
    if (!event) return { ok: true, receipt: { dedup_key: dedupKey } };
    const body = JSON.stringify(event);
    const bytes = Buffer.byteLength(body);
    if (bytes > MAX_BODY_BYTES) {
      return {
        ok: false,
        retryable: false,
        error: `PagerDuty event is ${bytes} bytes, over the 512 KB limit`,
      };
    }
    return postHttp({
      service: "PagerDuty",
      url: this.config.events_url,
      headers: { "content-type": "application/json" },
      body,
      timeoutMs: this.config.timeout,
      secrets: [this.config.routing_key],
      receipt: (_status, text) => ({ dedup_key: answeredKey(text) ?? dedupKey }),
    });
  }

  preview(notification: Notification): Preview {
    const { event, dedupKey } = this.build(notification);
    const part: PreviewPart = event
      ? { name: "event", content: JSON.stringify({ ...event, routing_key: "[routing_key]" }), kind: "json" }
      : {
          name: "nothing sent",
          content:
            "No request for a reminder: PagerDuty re-notifies an open incident by its own escalation policy.",
          kind: "text",
        };
    return { channel: "pagerduty", parts: [part], receipt: { dedup_key: dedupKey } };
  }

  /**
   * The Events v2 event of a notification, or none for a reminder, and the incident's key.
   * Resolve and acknowledge carry no payload (the API takes only routing_key, event_action, dedup_key).
   */
  private build(notification: Notification): { event?: object; dedupKey: string } {
    const dedupKey = notification.thread?.dedup_key ?? this.dedupKey(notification.alert);
    const routing = { routing_key: this.config.routing_key };
    switch (notification.event) {
      case "reminder":
        return { dedupKey };
      case "resolved":
        return { event: { ...routing, event_action: "resolve", dedup_key: dedupKey }, dedupKey };
      case "acknowledged":
        return { event: { ...routing, event_action: "acknowledge", dedup_key: dedupKey }, dedupKey };
      default:
        return { event: this.trigger(notification, dedupKey), dedupKey };
    }
  }

  /** The incident of this episode: the same for firing, escalated and resolved. */
  private dedupKey(alert: Alert): string {
    const start = new Date(alert.activeAt).toISOString();
    const fallback = `${alert.fingerprint}@${start}`;
    if (!this.template) return fallback;
    // Labels first so that a label called "rule" cannot stand in for the rule.
    const variables = {
      ...alert.labels,
      rule: alert.rule,
      fingerprint: alert.fingerprint,
      episode_start: start,
    };
    let key: string;
    try {
      key = (liquid.renderSync(this.template, variables) as string).trim();
    } catch {
      return fallback;
    }
    return key === "" ? fallback : truncate(key, DEDUP_KEY_CHARS);
  }

  private trigger(notification: Notification, dedupKey: string) {
    const { alert } = notification;
    const message = buildMessage(notification);
    const measure = alert.last;
    return {
      routing_key: this.config.routing_key,
      event_action: "trigger",
      dedup_key: dedupKey,
      payload: {
        summary: summaryOf(message),
        source: this.config.source,
        severity: severityOf(alert),
        timestamp: new Date(eventTime(notification)).toISOString(),
        custom_details: {
          event: notification.event,
          ...(message.note === undefined ? {} : { note: truncate(message.note, DETAIL_CHARS) }),
          rule: truncate(alert.rule, DETAIL_CHARS),
          observed: formatNumber(measure.value),
          expected: formatNumber(measure.expected),
          factor: `${formatNumber(measure.factor)}×`,
          ...(measure.pValue === undefined ? {} : { p_value: formatPValue(measure.pValue) }),
          since: formatTime(alert.firedAt ?? alert.activeAt),
          ...(alert.stage ? { stage: alert.stage } : {}),
          ...(alert.annotations.campaign
            ? { campaign: truncate(alert.annotations.campaign, DETAIL_CHARS) }
            : {}),
          labels: alert.labels,
          ...(message.summary === undefined ? {} : { summary: truncate(message.summary, DETAIL_CHARS) }),
          ...(message.description === undefined
            ? {}
            : { description: truncate(message.description, DETAIL_CHARS) }),
          ...(message.why === undefined ? {} : { explanation: explanationDetails(message.why) }),
        },
      },
      // Only the rule's own *_url annotations (buildMessage keeps http(s) ones): no link from mentions.
      links: message.links.map((link) => ({ href: link.url, text: link.text })),
      client: "Tocsin",
    };
  }
}

/**
 * The explanation as one custom_details text (PagerDuty shows it escaped): the plain-words line, terms,
 * top posts without their links (strangers'), spread.
 */
function explanationDetails(why: NonNullable<Message["why"]>): string {
  const lines = [
    why.plain,
    ...(why.terms.length === 0 ? [] : [`Emerging terms: ${why.terms.join(", ")}`]),
    ...why.posts.map((post, i) => `${i + 1}. ${post.excerpt} — ${post.by}`),
    ...(why.spread === "" ? [] : [`Spread: ${why.spread}`]),
  ];
  return truncate(lines.join("\n"), DETAIL_CHARS);
}

/**
 * Title and headline, and Tocsin's note when it fits whole and is plain words: the summary is read
 * out by phone and SMS, and a note may quote markup or mentions, which stay in custom_details.note.
 */
function summaryOf(message: Message): string {
  const base = `${message.title} — ${message.headline}`;
  const noted = message.note === undefined ? base : `${base} — ${message.note}`;
  const plain = message.note === undefined || /^[\p{L}\p{N}\s.,:;()'/%+=#–—-]*$/u.test(message.note);
  return truncate(plain && noted.length <= SUMMARY_CHARS ? noted : base, SUMMARY_CHARS);
}

/** The dedup_key PagerDuty says it used (it echoes ours), when its answer has one. */
function answeredKey(text: string): string | undefined {
  try {
    const answer: unknown = JSON.parse(text);
    const key = (answer as { dedup_key?: unknown } | null)?.dedup_key;
    return typeof key === "string" && key !== "" ? key : undefined;
  } catch {
    return undefined;
  }
}

/** At most `max` UTF-16 units, ending in "…" when cut, never splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
