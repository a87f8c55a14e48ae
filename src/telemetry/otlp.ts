// The OpenTelemetry SDK for `tocsin run`: spans batched and exported over OTLP/HTTP when the standard
// environment variables ask for it. Imported only then, so a run without tracing loads none of it.
// Endpoint, headers, timeout, sampler and batching come from the standard OTEL_* variables, read by
// the SDK itself (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
import { DiagLogLevel, diag } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { Logger } from "./logger.js";

/** How long an exit waits for the last spans to be exported. */
const SHUTDOWN_TIMEOUT_MS = 3_000;

export interface Tracing {
  /** Where spans go, for the log. */
  endpoint: string;
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/** Registers the global tracer provider; the engine's spans (telemetry/tracing.ts) start recording. */
export function startOtlpTracing(endpoint: string, logger: Logger): Tracing {
  // The SDK reports export failures through its diagnostic logger, silent unless given one.
  diag.setLogger(
    {
      error: (message, ...args) => logger.warn({ otel: args }, `OpenTelemetry: ${message}`),
      warn: (message, ...args) => logger.warn({ otel: args }, `OpenTelemetry: ${message}`),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: "tocsin" }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults.
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // Also installs the AsyncLocalStorage context manager the engine's nested spans rely on.
  provider.register();
  return {
    endpoint,
    async shutdown() {
      // A collector that is down must neither hold the exit (the exporter retries for up to
      // OTEL_EXPORTER_OTLP_TIMEOUT, 10 s) nor make it fail: the spans are lost, the log says so.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`not done after ${SHUTDOWN_TIMEOUT_MS} ms`)),
          SHUTDOWN_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([provider.shutdown(), timeout]);
      } catch (error) {
        logger.warn({ err: error }, "OpenTelemetry: the last spans could not be exported");
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
