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
    username: z.string().min(1).optional().describe("v1 user, when authentication is on."),
    password: z.string().min(1).optional().describe("v1 password: write it as ${INFLUX_PASSWORD}."),
    org: z.string().min(1).optional().describe("v2 organisation."),
    bucket: z.string().min(1).optional().describe("v2 bucket."),
    token: z.string().min(1).optional().describe("v2 API token: write it as ${INFLUX_TOKEN}."),
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
    if ((settings.username === undefined) !== (settings.password === undefined))
      context.addIssue({ code: "custom", path: ["password"], message: "username and password go together" });
  });

export type InfluxSettings = z.output<typeof influxSettingsSchema>;
