// `tocsin run` as a user runs it, exporting its spans over OTLP/HTTP to a collector named by the
// standard environment variable; here the collector is a local HTTP server answering as OTLP/HTTP does
// (200 to POST /v1/traces), which records what it received.
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeScenario } from "../examples/demo/generate.js";
import type { FakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { startFakeHttpReceiver } from "./helpers/fake-http-receiver.js";
import { exited, startTocsin, waitUntil } from "./helpers/tocsin-process.js";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
}
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: OtlpValue }> };
    scopeSpans: Array<{
      scope: { name: string };
      spans: Array<{ name: string; traceId: string; spanId: string; parentSpanId?: string }>;
    }>;
  }>;
}

let dir: string;
let demo: string;
let config: string;
let collector: FakeHttpReceiver;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-otlp-"));
  demo = join(dir, "demo.ndjson");
  const out = createWriteStream(demo);
  await writeScenario({ days: 1, crisis: false, baseRatePerHour: 20 }, out);
  await new Promise<void>((resolve) => out.end(resolve));
  config = join(dir, "tocsin.yaml");
  await writeFile(
    config,
    `listen: 127.0.0.1:0\ndata_dir: ${join(dir, "state")}\nalerts: { console: false }\n`,
  );
  collector = await startFakeHttpReceiver();
});

afterAll(async () => {
  await collector?.stop();
  await rm(dir, { recursive: true, force: true });
});

const exports = () => collector.requests.filter((r) => r.method === "POST" && r.path === "/v1/traces");
const spanNames = () =>
  new Set(
    exports().flatMap((r) =>
      (JSON.parse(r.body) as OtlpExport).resourceSpans.flatMap((resource) =>
        resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)),
      ),
    ),
  );

describe("tocsin run and OpenTelemetry", () => {
  it("posts OTLP/HTTP trace exports to /v1/traces of a local OTLP-speaking server named by OTEL_EXPORTER_OTLP_ENDPOINT", async () => {
    const tocsin = await startTocsin(["--config", config, "--replay", demo, "--speed", "0"], {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "",
      OTEL_SERVICE_NAME: "",
      OTEL_BSP_SCHEDULE_DELAY: "200",
    });
    try {
      await tocsin.waitForLog(/replay of .* done/);
      expect(tocsin.stderr()).toContain(`exporting spans over OTLP/HTTP to ${collector.url}/v1/traces`);
      await waitUntil("ingest and window spans at the collector", () => {
        const names = spanNames();
        return names.has("tocsin.ingest") && names.has("tocsin.window.close");
      });
    } finally {
      tocsin.child.kill("SIGTERM");
      expect(await exited(tocsin.child)).toBe(0);
    }
    const first = exports()[0];
    expect(first?.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(first?.body ?? "{}") as OtlpExport;
    const resource = body.resourceSpans[0]?.resource.attributes ?? [];
    expect(resource).toContainEqual({ key: "service.name", value: { stringValue: "tocsin" } });
    expect(body.resourceSpans[0]?.scopeSpans[0]?.scope.name).toBe("tocsin");
    expect(spanNames()).toContain("tocsin.rules.evaluate");
  }, 60_000);

  it("posts nothing when OTEL_SDK_DISABLED=true, even with the endpoint set", async () => {
    const before = exports().length;
    const tocsin = await startTocsin(["--config", config, "--replay", demo, "--speed", "0"], {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_SDK_DISABLED: "true",
      OTEL_BSP_SCHEDULE_DELAY: "200",
    });
    try {
      await tocsin.waitForLog(/replay of .* done/);
      // Four export periods: spans, had any been recorded, would have gone out by now.
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(tocsin.stderr()).not.toContain("OTLP");
    } finally {
      tocsin.child.kill("SIGTERM");
      expect(await exited(tocsin.child)).toBe(0);
    }
    expect(exports().length).toBe(before);
  }, 60_000);
});
