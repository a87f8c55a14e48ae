// A span around each attempt to send a page: a child of the alert transition that caused it, whose
// W3C traceparent the page carries through the outbox journal (Notification.trace), so the send joins
// that trace however late, and after however many retries or restarts, it goes out. The API's no-op
// when no OpenTelemetry SDK is registered. Attributes name the receiver, event, alert, brand and channel; the
// error is the notifier's, which never holds a secret (notifier.ts).
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { parseTraceParent } from "@opentelemetry/core";
import type { Notification, SendResult } from "./notifier.js";

const tracer = trace.getTracer("tocsin");

export function tracedSend(
  receiver: string,
  notification: Notification,
  attempt: number,
  send: () => Promise<SendResult>,
): Promise<SendResult> {
  const { event, alert } = notification;
  const parent = notification.trace && parseTraceParent(notification.trace.traceparent);
  const context = parent ? trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true }) : ROOT_CONTEXT;
  const attributes = {
    "tocsin.receiver": receiver,
    "tocsin.alert.event": event,
    "tocsin.alert.id": alert.id,
    "tocsin.alert.rule": alert.rule,
    "tocsin.alert.name": alert.name,
    "tocsin.notification.attempt": attempt,
    ...(alert.labels.brand === undefined ? {} : { "tocsin.brand": alert.labels.brand }),
    ...(alert.labels.channel === undefined ? {} : { "tocsin.channel": alert.labels.channel }),
  };
  const options = { kind: SpanKind.CLIENT, attributes };
  return tracer.startActiveSpan("tocsin.notification.send", options, context, async (span) => {
    try {
      const result = await send();
      span.setAttribute("tocsin.notification.ok", result.ok);
      if (!result.ok) {
        span.setAttribute("tocsin.notification.retryable", result.retryable);
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
      }
      return result;
    } finally {
      span.end();
    }
  });
}
