// OpenTelemetry spans of the pipeline, through @opentelemetry/api only: with no SDK registered (`tocsin
// run` without OTEL_EXPORTER_OTLP_ENDPOINT, backtests, most tests) every call here skips the span
// machinery altogether (see `traced`).
//
// One trace follows a mention batch to the page it caused: tocsin.ingest → tocsin.window.close (a child
// of the batch that closed the window, linked to every batch that put mentions in it) →
// tocsin.rules.evaluate → tocsin.alert.transition; the page carries that transition's W3C traceparent
// through the outbox, whose tocsin.notification.send spans are its children (src/notify/send-span.ts).
// Attributes are counts, ids, rule names and label values: never mention text, never a secret.
import {
  INVALID_SPAN_CONTEXT,
  ProxyTracerProvider,
  SpanStatusCode,
  context,
  defaultTextMapSetter,
  trace,
} from "@opentelemetry/api";
import type { Attributes, Link, Span, SpanContext } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

export const TRACER_NAME = "tocsin";
const tracer = trace.getTracer(TRACER_NAME);
const propagator = new W3CTraceContextPropagator();

/** A window links to at most this many of the batches that fed it (the first ones). */
const MAX_BATCH_LINKS = 32;

/** The API's provider until an SDK registers one: its proxy then delegates to the no-op provider. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
/** What `run` gets when nothing traces: records nothing, and its context is the invalid one. */
const UNTRACED_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Whether a tracer provider is registered (otlp.ts, or an embedder's own SDK). Asked on every span:
 * unregistered, the API's no-op still allocates a span and a context per call, and a backtest closes
 * one window (two spans) per point, which made those spans the largest cost of a backtest.
 */
export function traced(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_PROVIDER;
}

/** Runs `run` in an active span that records a throw and always ends. */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  run: (span: Span) => T,
  links: Link[] = [],
): T {
  if (!traced()) return run(UNTRACED_SPAN);
  return tracer.startActiveSpan(name, { attributes, links }, (span) => {
    try {
      return run(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The active span's context as a W3C traceparent, when there is a valid one. */
export function activeTraceparent(): string | undefined {
  const carrier: { traceparent?: string } = {};
  propagator.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

export interface IngestCounts {
  accepted: number;
  rejected: readonly unknown[];
  duplicates: number;
  late: number;
}

/** What a transition span says about its alert: ids, rule, severity and the brand/channel labels. */
export interface TracedAlert {
  id: string;
  rule: string;
  name: string;
  severity: string;
  labels: Readonly<Record<string, string>>;
}

export function alertAttributes(event: string, alert: TracedAlert): Attributes {
  return {
    "tocsin.alert.event": event,
    "tocsin.alert.id": alert.id,
    "tocsin.alert.rule": alert.rule,
    "tocsin.alert.name": alert.name,
    "tocsin.alert.severity": alert.severity,
    ...(alert.labels.brand === undefined ? {} : { "tocsin.brand": alert.labels.brand }),
    ...(alert.labels.channel === undefined ? {} : { "tocsin.channel": alert.labels.channel }),
  };
}

/**
 * The engine's spans. A window usually closes long after most of its mentions arrived (a later batch,
 * or the clock's tick), so each batch notes the windows it fed and the window's span links back to
 * them: a batch leads to the page even when another batch, or no batch, closed its window.
 */
export class PipelineTracing {
  /** Window start → the batch spans that put mentions in it; emptied as windows close. */
  private readonly feeders = new Map<number, SpanContext[]>();

  constructor(private readonly windowMs: number) {}

  /**
   * One ingest batch. `run` gets `fed(eventTime)` to call for each mention counted into a window, or
   * undefined when the span is not recording (no SDK, not sampled), so the untraced path pays nothing.
   */
  ingest<T extends IngestCounts>(lines: number, run: (fed: ((time: number) => void) | undefined) => T): T {
    return inSpan("tocsin.ingest", { "tocsin.ingest.lines": lines }, (span) => {
      const result = run(span.isRecording() ? this.feeder(span.spanContext()) : undefined);
      span.setAttributes({
        "tocsin.ingest.accepted": result.accepted,
        "tocsin.ingest.rejected": result.rejected.length,
        "tocsin.ingest.duplicates": result.duplicates,
        "tocsin.ingest.late": result.late,
      });
      return result;
    });
  }

  /** One closed window: its store write, listeners and rule evaluation. */
  window<T>(start: number, series: number, run: () => T): T {
    const batches = this.feeders.get(start) ?? [];
    // Windows close in order: nothing will be added to this one or an older one again.
    for (const key of this.feeders.keys()) if (key <= start) this.feeders.delete(key);
    // An untraced window needs neither links nor attributes (the ISO date was the costly part).
    if (!traced()) return run();
    const links = batches.map((batch) => ({ context: batch }));
    const attributes = {
      "tocsin.window.start": new Date(start).toISOString(),
      "tocsin.window.series": series,
    };
    return inSpan("tocsin.window.close", attributes, run, links);
  }

  /** Every rule on one window; `run` returns how many (rule, series) pairs it judged. */
  evaluation(rules: number, run: () => number): void {
    if (!traced()) {
      run();
      return;
    }
    inSpan("tocsin.rules.evaluate", { "tocsin.rules": rules }, (span) => {
      span.setAttribute("tocsin.rules.judged", run());
    });
  }

  /** A lifecycle event or an acknowledgement; pages it causes are sent as children of this span. */
  transition<T>(event: string, alert: TracedAlert, run: () => T): T {
    return inSpan("tocsin.alert.transition", alertAttributes(event, alert), run);
  }

  private feeder(batch: SpanContext): (time: number) => void {
    let last = Number.NaN;
    return (time) => {
      // The windower's own arithmetic (aggregate/windower.ts): windows are aligned on the epoch.
      const start = Math.floor(time / this.windowMs) * this.windowMs;
      if (start === last) return;
      last = start;
      let batches = this.feeders.get(start);
      if (batches === undefined) this.feeders.set(start, (batches = []));
      if (batches.length < MAX_BATCH_LINKS && !batches.includes(batch)) batches.push(batch);
    };
  }
}

/**
 * The trace context of each alert's latest transition, by alert id, for the pages decided later (a
 * group's wait, an escalation, a silence's end). Bounded: the oldest entries go first.
 */
export class AlertTraces {
  private readonly byAlert = new Map<string, string>();

  constructor(private readonly capacity = 10_000) {}

  /** Remembers the active span's context for the alert; nothing when no span is active. */
  remember(alertId: string): void {
    const traceparent = activeTraceparent();
    if (traceparent === undefined) return;
    this.byAlert.delete(alertId);
    this.byAlert.set(alertId, traceparent);
    if (this.byAlert.size > this.capacity) {
      const oldest = this.byAlert.keys().next();
      if (!oldest.done) this.byAlert.delete(oldest.value);
    }
  }

  /** What a page about the alert carries: its transition's context, else the active one. */
  of(alertId: string): { traceparent: string } | undefined {
    const traceparent = this.byAlert.get(alertId) ?? activeTraceparent();
    return traceparent === undefined ? undefined : { traceparent };
  }
}
