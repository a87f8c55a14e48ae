// OpenTelemetry spans, collected in memory from a real engine paging a real (local) webhook: one trace
// leads from the mention batch to the page it caused, across the outbox's asynchronous send.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-node";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { otlpTracesEndpoint } from "../src/telemetry/otlp-endpoint.js";
import { MIN, T0, wire } from "./helpers/mentions.js";
import type { PagingEngine } from "./helpers/paging-engine.js";
import { WINDOW, pagingEngines } from "./helpers/paging-engine.js";
import { waitUntil } from "./helpers/tocsin-process.js";

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
afterEach(() => exporter.reset());
afterAll(() => provider.shutdown());

const start = pagingEngines();
const PAGED = { receivers: ["hook"], route: "{ receiver: hook, group_wait: 0s }" };
/** Mention text and the webhook's signing secret: neither may appear in any span. */
const TEXT = "this brand poisoned my cat, avoid";
const SECRET = "test-secret";

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((span) => span.name === name);
const one = (name: string, attributes: Record<string, unknown> = {}): ReadableSpan => {
  const found = named(name).filter((span) =>
    Object.entries(attributes).every(([key, value]) => span.attributes[key] === value),
  );
  expect(found, `${name} ${JSON.stringify(attributes)}`).toHaveLength(1);
  return found[0] as ReadableSpan;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;

/** A batch of `count` mentions of kryptonite at `at`, negative ones by default. */
function batch(at: number, count: number, sentiment = "negative") {
  return {
    values: Array.from({ length: count }, (_, i) => ({
      line: i + 1,
      value: wire({ at: at + i, sentiment, text: TEXT } as never),
    })),
    errors: [],
  };
}

/** Waits until the receiver got `count` requests and their send spans ended. */
async function pagesSent(paging: PagingEngine, count: number): Promise<ReadableSpan[]> {
  await waitUntil(`${count} send span(s)`, () => named("tocsin.notification.send").length >= count, 10_000);
  expect(paging.hooks.get("hook")?.requests).toHaveLength(count);
  return named("tocsin.notification.send");
}

describe("tracing", () => {
  it("follows a mention batch through its window, rules and alert transition to the webhook page it caused", async () => {
    const paging = await start(PAGED);
    const { engine, clock } = paging;
    // Batch A feeds the window; batch B, one window later, closes it (a replay's clock follows events).
    engine.ingest(batch(T0, 5));
    clock.set(T0 + WINDOW);
    engine.ingest(batch(T0 + WINDOW, 1, "neutral"));
    const [send] = await pagesSent(paging, 1);

    const fed = one("tocsin.ingest", { "tocsin.ingest.accepted": 5 });
    const closing = one("tocsin.ingest", { "tocsin.ingest.accepted": 1 });
    expect(fed.attributes).toMatchObject({ "tocsin.ingest.lines": 5, "tocsin.ingest.rejected": 0 });
    const window = one("tocsin.window.close", { "tocsin.window.start": new Date(T0).toISOString() });
    const rules = one("tocsin.rules.evaluate");
    const firing = one("tocsin.alert.transition", { "tocsin.alert.event": "firing" });

    // The parent chain, send → transition → rules → window → the batch that closed the window …
    expect(parentOf(send as ReadableSpan)).toBe(idOf(firing));
    expect(parentOf(firing)).toBe(idOf(rules));
    expect(parentOf(rules)).toBe(idOf(window));
    expect(parentOf(window)).toBe(idOf(closing));
    expect(parentOf(closing)).toBeUndefined();
    for (const span of [send, firing, rules, window] as ReadableSpan[])
      expect(traceOf(span)).toBe(traceOf(closing));
    // … and a link from the window to the batch whose mentions it counted.
    expect(window.links.map((link) => link.context.spanId)).toEqual([idOf(fed)]);

    const alertId = engine.listAlerts("firing")[0]?.id;
    expect(window.attributes).toEqual({
      "tocsin.window.start": new Date(T0).toISOString(),
      "tocsin.window.series": 2, // kryptonite × twitter, and kryptonite × all
    });
    expect(rules.attributes).toEqual({ "tocsin.rules": 1, "tocsin.rules.judged": 1 });
    expect(firing.attributes).toEqual({
      "tocsin.alert.event": "firing",
      "tocsin.alert.id": alertId,
      "tocsin.alert.rule": "buzz/NegativeBuzz",
      "tocsin.alert.name": "NegativeBuzz",
      "tocsin.alert.severity": "warning",
      "tocsin.brand": "kryptonite",
      "tocsin.channel": "all",
    });
    expect(send?.attributes).toEqual({
      "tocsin.receiver": "hook",
      "tocsin.alert.event": "firing",
      "tocsin.alert.id": alertId,
      "tocsin.alert.rule": "buzz/NegativeBuzz",
      "tocsin.alert.name": "NegativeBuzz",
      "tocsin.brand": "kryptonite",
      "tocsin.channel": "all",
      "tocsin.notification.attempt": 1,
      "tocsin.notification.ok": true,
    });

    // The page was journalled with its transition's context, so a send after a restart joins the trace.
    const journal = await readFile(join(paging.dataDir, "outbox", "outbox.jsonl"), "utf8");
    expect(journal).toContain(`"traceparent":"00-${traceOf(firing)}-${idOf(firing)}-01"`);

    const everything = JSON.stringify(
      spans().map((span) => [span.name, span.attributes, span.events, span.links, span.status]),
    );
    expect(everything).not.toContain(TEXT);
    expect(everything).not.toContain(SECRET);
  });

  it("links a window closed by the clock to the batches that fed it, and the page to that trace", async () => {
    const paging = await start(PAGED);
    paging.engine.ingest(batch(T0, 2));
    paging.engine.ingest(batch(T0 + MIN, 3));
    paging.tickAt(T0 + WINDOW);
    const [send] = await pagesSent(paging, 1);

    const window = one("tocsin.window.close", { "tocsin.window.start": new Date(T0).toISOString() });
    expect(parentOf(window)).toBeUndefined();
    const batches = named("tocsin.ingest").map(idOf);
    expect(batches).toHaveLength(2);
    expect(window.links.map((link) => link.context.spanId)).toEqual(batches);
    expect(traceOf(send as ReadableSpan)).toBe(traceOf(window));
  });

  it("makes each retry of a page its own send span under the same transition, the failure recorded", async () => {
    const paging = await start(PAGED);
    paging.hooks.get("hook")?.failNext("server_error");
    paging.fire(T0);
    const sends = await pagesSent(paging, 2);

    const firing = one("tocsin.alert.transition", { "tocsin.alert.event": "firing" });
    expect(sends.map(parentOf)).toEqual([idOf(firing), idOf(firing)]);
    expect(sends.map((span) => span.attributes["tocsin.notification.attempt"])).toEqual([1, 2]);
    expect(sends[0]?.attributes).toMatchObject({
      "tocsin.notification.ok": false,
      "tocsin.notification.retryable": true,
    });
    expect(sends[0]?.status).toMatchObject({ code: 2 /* ERROR */, message: expect.stringContaining("500") });
    expect(sends[1]?.status.code).toBe(0);
  });

  it("sends the acknowledgement's page as a child of the acknowledgement's span", async () => {
    const paging = await start(PAGED);
    const id = paging.fire(T0);
    await pagesSent(paging, 1);
    expect(paging.engine.acknowledge(id, "claire").ok).toBe(true);
    await pagesSent(paging, 2);

    const ack = one("tocsin.alert.transition", { "tocsin.alert.event": "acknowledged" });
    const send = one("tocsin.notification.send", { "tocsin.alert.event": "acknowledged" });
    expect(parentOf(send)).toBe(idOf(ack));
    expect(ack.attributes).toMatchObject({ "tocsin.alert.id": id, "tocsin.brand": "kryptonite" });
  });
});

describe("when tocsin run exports traces", () => {
  it("exports when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, and only then", () => {
    expect(otlpTracesEndpoint({})).toBeUndefined();
    expect(otlpTracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toBe(
      "http://collector:4318/v1/traces",
    );
    expect(
      otlpTracesEndpoint({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:4318/custom",
      }),
    ).toBe("http://traces:4318/custom");
    expect(
      otlpTracesEndpoint({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" }),
    ).toBeUndefined();
    expect(
      otlpTracesEndpoint({
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_TRACES_EXPORTER: "none",
      }),
    ).toBeUndefined();
  });
});
