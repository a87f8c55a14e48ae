// tocsin.yaml: every key optional, every default here, unknown keys refused (design.md §4).
import { z } from "zod";
import { duration, listenAddress, size } from "./fields.js";
import { checkNotifyReferences, notifySections } from "./notify-sections.js";
import { influxSettingsSchema } from "../store/influx-config.js";
import { calendarSchema } from "../rules/calendar.js";
import { durationField } from "../util/schema-fields.js";

/** A server timeout: zero would mean "never" to node:http, so it is refused. */
const timeout = () => durationField({ what: "a timeout", allowZero: false });

export const configSchema = z
  .strictObject({
    listen: listenAddress().default("127.0.0.1:8080"),
    /** Where snapshots, logs and other local state live. */
    data_dir: z.string().min(1).default(".tocsin"),
    window: duration("a window width").prefault("5m"),
    /** How long after a window ends its late mentions are still counted in it. */
    lateness: duration().prefault("2m"),
    storage: z
      .strictObject({
        /** memory: the embedded store; influx: the memory store plus InfluxDB (storage.influx). */
        type: z.enum(["memory", "influx"]).default("memory"),
        retention: duration().prefault("8d"),
        /** Snapshot the memory store to data_dir on shutdown and every snapshot_interval. */
        snapshot: z.boolean().default(true),
        snapshot_interval: duration().prefault("5m"),
        influx: influxSettingsSchema.optional(),
      })
      .superRefine((storage, context) => {
        if (storage.type === "influx" && !storage.influx)
          context.addIssue({
            code: "custom",
            path: ["influx"],
            message: "storage.influx is required with type: influx",
          });
      })
      .prefault({}),
    ingest: z
      .strictObject({
        body_limit: size()
          .prefault("16MiB")
          .describe("Largest POST /v1/mentions body; a larger one gets 413 before more of it is read."),
        max_line_bytes: size()
          .prefault("1MiB")
          .describe("Longest NDJSON line; a longer one is rejected with its line number, the rest kept."),
        max_batch: z
          .number()
          .int()
          .positive()
          .default(10_000)
          .describe(
            "Most mentions (lines or array items) in one POST; a larger batch gets 413, none ingested.",
          ),
        max_channels_per_brand: z
          .number()
          .int()
          .positive()
          .default(50)
          .describe(
            "Distinct channels with their own series per brand; mentions of further channels count under channel `other`.",
          ),
        /** Mention ids remembered for duplicate detection (the newest half to all of them). */
        dedup_capacity: z.number().int().positive().default(1_000_000),
        /** Live runs refuse mentions dated further ahead than this (clock skew guard). */
        max_future: duration().prefault("15m"),
        /**
         * The write-ahead log of accepted mentions (data_dir/wal): appended before POST /v1/mentions
         * answers 202 and read back on start. fsync: wait for the disk (survives a power loss) rather
         * than only the OS (survives a process crash).
         */
        wal: z
          .strictObject({ enabled: z.boolean().default(true), fsync: z.boolean().default(true) })
          .prefault({}),
      })
      .prefault({}),
    api: z
      .strictObject({
        rate_limit: z
          .strictObject({
            mentions_per_second: z
              .number()
              .positive()
              .default(50_000)
              .describe("Mentions per second each bearer token (or client IP without auth) may post."),
            mentions_burst: z
              .number()
              .positive()
              .default(100_000)
              .describe("Mentions a client may post at once after being idle (the token bucket's size)."),
            admin_requests_per_second: z
              .number()
              .positive()
              .default(20)
              .describe("Requests per second each client may make to the other /v1/ calls."),
            admin_burst: z.number().positive().default(100).describe("The admin token bucket's size."),
          })
          .prefault({})
          .describe(
            "Token buckets per bearer token (per client IP without auth); beyond them, 429 with Retry-After.",
          ),
        headers_timeout: timeout()
          .prefault("10s")
          .describe("A client must send a request's headers within this (slowloris guard)."),
        request_timeout: timeout()
          .prefault("60s")
          .describe("A client must send a whole request, body included, within this."),
        keep_alive_timeout: timeout()
          .prefault("5s")
          .describe("An idle keep-alive connection is closed after this."),
      })
      .superRefine((api, context) => {
        if (api.headers_timeout > api.request_timeout)
          context.addIssue({
            code: "custom",
            path: ["headers_timeout"],
            message: "headers_timeout must not be longer than request_timeout (node:http refuses it)",
          });
      })
      .prefault({})
      .describe("How the HTTP API protects itself from floods and slow clients."),
    classify: z
      .strictObject({
        /** Provider and lexicon scores below this are negative (VADER's compound convention). */
        negative_below: z.number().min(-1).max(1).default(-0.05),
        positive_above: z.number().min(-1).max(1).default(0.05),
      })
      .prefault({}),
    rules: z
      .strictObject({
        /** Rule files or folders (searched recursively for *.yaml and *.yml). */
        paths: z.array(z.string().min(1)).default(["rules"]),
        /** Reload when a rule file changes; a bad edit is refused and the last good rules keep running. */
        watch: z.boolean().default(true),
      })
      .prefault({}),
    feeds: z
      .strictObject({
        stalled_after: duration("a silence")
          .prefault("20m")
          .describe(
            "Event time without a mention before a (brand, channel) feed may be stalled; longer than the feed's normal delivery delay.",
          ),
        min_expected: z
          .number()
          .positive()
          .default(20)
          .describe(
            "Mentions the feed's learned hour-of-day profile must expect over the silence: a live feed stays that silent with probability e^-min_expected.",
          ),
      })
      .prefault({})
      .describe(
        "The per-source deadman: FeedStalled when a feed is silent for stalled_after and its profile expected min_expected mentions meanwhile (not on quiet nights).",
      ),
    alerts: z
      .strictObject({
        /** Ended alerts kept for GET /v1/alerts. */
        history: z.number().int().positive().default(1000),
        /** JSON-lines log of alert events, relative to data_dir; empty to turn it off. */
        log: z.string().default("alerts.jsonl"),
        /** Print alert events on stdout. */
        console: z.boolean().default(true),
        /** Silences file, relative to data_dir; empty keeps silences in memory only. */
        silences: z.string().default("silences.json"),
      })
      .prefault({}),
    outbox: z
      .strictObject({
        /** Cap of the first retry's delay; doubles with every failed attempt (full jitter). */
        retry_initial: duration().prefault("1s"),
        /** Largest delay between two tries; a longer Retry-After from the channel is still honoured. */
        retry_max: duration().prefault("5m"),
        /** A page not delivered this long after it was decided is given up on (and logged). */
        give_up_after: duration().prefault("24h"),
      })
      .prefault({}),
    responsiveness: z
      .strictObject({
        overdue_after: duration("a response limit")
          .prefault("1h")
          .describe(
            "How long a negative mention may wait for a brand reply before it is due: counted by response_rate, and by unanswered_overdue while unanswered.",
          ),
        period: duration("a period")
          .prefault("24h")
          .describe(
            "Trailing period of response_rate, first_response_seconds and unanswered_overdue; replies to older negative mentions are ignored.",
          ),
      })
      .superRefine((responsiveness, context) => {
        if (responsiveness.overdue_after >= responsiveness.period)
          context.addIssue({
            code: "custom",
            path: ["overdue_after"],
            message: "overdue_after must be shorter than period (nothing could be overdue)",
          });
      })
      .prefault({})
      .describe("Does the brand answer its complaints: the response metrics of every series."),
    /** Planned campaigns: volume rules expect `multiplier` × their usual level instead of muting. */
    calendar: calendarSchema.default([]),
    /** A YAML or JSON list of more calendar entries, read once at start (no hot reload). */
    calendar_file: z.string().min(1).optional(),
    log: z
      .strictObject({
        level: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
      })
      .prefault({}),
    slack: z
      .strictObject({
        signing_secret: z
          .string()
          .min(1)
          .optional()
          .describe(
            "The Slack app's signing secret, as ${SLACK_SIGNING_SECRET}: turns on POST /v1/slack/actions (the Acknowledge button), each request verified with it.",
          ),
      })
      .prefault({}),
    ...notifySections,
  })
  .superRefine(checkNotifyReferences)
  .superRefine((config, context) => {
    // A button Slack cannot call back about is a button that fails when pressed.
    if (config.slack.signing_secret !== undefined) return;
    for (const [name, receiver] of Object.entries(config.receivers)) {
      if ((receiver as { type?: string; ack_button?: boolean }).ack_button !== true) continue;
      context.addIssue({
        code: "custom",
        message: `receiver ${name} has ack_button: true, which needs slack.signing_secret (POST /v1/slack/actions verifies Slack's callbacks with it)`,
        path: ["receivers", name, "ack_button"],
      });
    }
  });

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
