// One HTTP POST for the HTTP notifiers (PagerDuty, webhook) and how its answer or failure maps to a
// SendResult: 2xx ok; 408, 429 and 5xx retryable, with the Retry-After the server asked for; other
// statuses (400 bad event, 401/403 bad key, 404, 413) fatal; network errors and timeouts retryable.
// Every error text is scrubbed of the caller's secrets: servers echo keys back, undici quotes URLs.
import { systemClock } from "../util/clock.js";
import { formatDuration } from "../util/duration.js";
import { parseRetryAfter } from "../util/retry-after.js";
import type { Receipt, SendResult } from "./notifier.js";

export interface HttpPost {
  /** Names the channel in errors: "PagerDuty", "webhook". */
  service: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Texts that must never appear in an error: tokens, routing keys, secret parts of the URL. */
  secrets: readonly string[];
  /** The receipt for a 2xx answer, from its status and body text. */
  receipt(status: number, body: string): Receipt | undefined;
  /** Wall-clock time, for Retry-After given as an HTTP-date; the system clock by default. */
  now?: () => number;
}

/** Longest part of a response body quoted in an error. */
const DETAIL_CHARS = 300;

/** Sends the request; never throws. */
export async function postHttp(request: HttpPost): Promise<SendResult> {
  try {
    const response = await fetch(request.url, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      // A redirect would carry the routing key or the signed body to a host nobody configured.
      redirect: "manual",
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) {
      const receipt = request.receipt(response.status, text);
      return receipt ? { ok: true, receipt } : { ok: true };
    }
    return httpFailure(response.status, response.headers.get("retry-after"), text, request);
  } catch (error) {
    return fetchFailure(error, request);
  }
}

type Failure = Extract<SendResult, { ok: false }>;
type Context = Pick<HttpPost, "service" | "secrets" | "now" | "timeoutMs">;

/** Whether a failed status can succeed later: timeouts, rate limits and server errors. */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 429 || status >= 500;

/** A non-2xx answer as a failure. */
export function httpFailure(
  status: number,
  retryAfter: string | null,
  body: string,
  context: Omit<Context, "timeoutMs">,
): Failure {
  const retryable = isRetryableStatus(status);
  const delay = retryable ? parseRetryAfter(retryAfter, (context.now ?? systemClock.now)()) : undefined;
  const detail = body.replace(/\s+/g, " ").trim();
  const quoted = detail.length > DETAIL_CHARS ? `${detail.slice(0, DETAIL_CHARS)}…` : detail;
  const redirect =
    status >= 300 && status < 400 ? " (redirects are not followed: configure the final URL)" : "";
  return {
    ok: false,
    retryable,
    ...(delay === undefined ? {} : { retryAfterMs: delay }),
    error: redact(`${context.service} answered ${status}${redirect}${quoted ? `: ${quoted}` : ""}`, context),
  };
}

/** A request that got no answer: refused, reset, DNS, TLS or timed out. All may work later. */
export function fetchFailure(error: unknown, context: Context): Failure {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return {
      ok: false,
      retryable: true,
      error: `${context.service} did not answer within ${formatDuration(context.timeoutMs)}`,
    };
  }
  // undici says "fetch failed" and puts the reason (ECONNREFUSED 127.0.0.1:443…) in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    retryable: true,
    error: redact(`${context.service} unreachable: ${cause ?? message}`, context),
  };
}

function redact(text: string, { secrets }: Pick<Context, "secrets">): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join("[redacted]");
  return out;
}
