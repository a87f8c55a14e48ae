// The `storage.influx` section of tocsin.yaml: where the series, readings and alert events go, over
// which write API, and how an outage is ridden out. Secrets are written as ${ENV} references.
import { z } from "zod";
import { durationField } from "../util/schema-fields.js";

export const influxSettingsSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .describe("Base URL of the InfluxDB server, e.g. http://127.0.0.1:8086."),
    api: z
      .enum(["v1", "v2"])
      .default("v1")
      .describe(
        "v1: POST /write?db=&rp= (InfluxDB 1.x); v2: POST /api/v2/write?org=&bucket= with a token (InfluxDB 2.x/3.x, VictoriaMetrics). Reads use InfluxQL /query on both.",
      ),
    database: z
      .string()
      .min(1)
      .default("tocsin")
      .describe("v1 database; with v2, the database name InfluxQL reads map to the bucket (DBRP)."),
    retention_policy: z
      .string()
      .min(1)
      .optional()
      .describe("v1 retention policy; the database's default if absent."),
    create_database: z
      .boolean()
      .default(true)
      .describe(
        "v1: CREATE DATABASE on start when it is missing (a no-op when it exists; needs admin rights with authentication on, and a refusal is only logged).",
      ),
    username: z.string().min(1).optional().describe("v1 user, when authentication is on."),
    password: z.string().min(1).optional().describe("v1 password: write it as ${INFLUX_PASSWORD}."),
    org: z.string().min(1).optional().describe("v2 organisation."),
    bucket: z.string().min(1).optional().describe("v2 bucket."),
    token: z
      .string()
      .min(1)
      .optional()
      .describe(
        "API token of InfluxDB 2.x/3.x: write it as ${INFLUX_TOKEN}. Sent as `Authorization: Token` on writes and InfluxQL reads (also with api: v1, for the 1.x-compatible endpoints of 2.x/3.x).",
      ),
    batch_size: z.number().int().positive().default(5_000).describe("Points per write request."),
    flush_interval: durationField({ what: "a flush interval", allowZero: false })
      .prefault("1s")
      .describe("How long points may wait before they are written."),
    buffer_points: z
      .number()
      .int()
      .positive()
      .default(100_000)
      .describe("Points held in memory while InfluxDB is unreachable; beyond this they spill to disk."),
    timeout: durationField({ what: "a timeout", allowZero: false })
      .prefault("10s")
      .describe("How long one write or query may take."),
    retry_delay: durationField({ what: "a retry delay", allowZero: false })
      .prefault("1s")
      .describe(
        "Backoff cap of the first retry of a failed write; it doubles with every failure, with full jitter.",
      ),
    retry_max_delay: durationField({ what: "a retry delay", allowZero: false })
      .prefault("30s")
      .describe("Largest backoff cap between retries (a longer Retry-After from the server is honoured)."),
    close_timeout: durationField({ what: "a timeout", allowZero: false })
      .prefault("10s")
      .describe(
        "On stop, how long to keep writing what is buffered; the rest is spilled to disk and sent on the next start.",
      ),
    warmup: z
      .boolean()
      .default(true)
      .describe(
        "On start, load the last storage.retention of windows from InfluxDB into the detectors' memory.",
      ),
  })
  .superRefine((settings, context) => {
    if (settings.api === "v2") {
      for (const key of ["org", "bucket", "token"] as const) {
        if (!settings[key])
          context.addIssue({ code: "custom", path: [key], message: `${key} is required with api: v2` });
      }
    }
    if (settings.retry_delay > settings.retry_max_delay)
      context.addIssue({
        code: "custom",
        path: ["retry_delay"],
        message: "retry_delay must not exceed retry_max_delay",
      });
    if ((settings.username === undefined) !== (settings.password === undefined))
      context.addIssue({ code: "custom", path: ["password"], message: "username and password go together" });
  });

export type InfluxSettings = z.output<typeof influxSettingsSchema>;
