// Capped exponential backoff with full jitter: the delay before try n+1 is drawn uniformly from
// [0, min(max, initial * 2^(n-1))), which spreads the retries of many callers hitting one recovering
// server (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). A server's
// Retry-After wins when it asks for longer. Shared by the notification outbox and the InfluxDB writer.

export interface BackoffOptions {
  /** Cap of the first retry's delay, ms. */
  initialMs: number;
  /** Largest cap, ms. */
  maxMs: number;
}

/** `attempts` counts failures, this one included; `random` returns a number in [0, 1). */
export function backoffDelay(
  attempts: number,
  options: BackoffOptions,
  random: () => number,
  retryAfterMs?: number,
): number {
  const cap = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(Math.floor(random() * cap), retryAfterMs ?? 0);
}
