// Retry-After (RFC 9110 §10.2.3), as servers send it on 429 and 503: delay-seconds or an HTTP-date.
// Shared by the HTTP notifiers and the InfluxDB writer.

/**
 * The delay in milliseconds from `now`; undefined when absent or unreadable. A date in the past
 * means "now": 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only a date that starts with its day name ("Fri, 06 Mar 2026 12:00:00 GMT"): V8's Date.parse
  // would also read "1.5" as a date in 2001.
  const at = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
