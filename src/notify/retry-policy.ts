// When to try a failed send again: capped exponential backoff with full jitter, the channel's
// Retry-After when it asks for longer, and a point where waiting longer is pointless. Pure: the random
// source and the attempt's age come from the caller.
//
// Full jitter (delay drawn uniformly from [0, cap)) spreads the retries of many incidents hitting one
// recovering channel: https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/

import { backoffDelay } from "../util/backoff.js";

export interface RetryPolicyOptions {
  /** Cap of the first retry's delay; doubles with every failed attempt. Default 1 s. */
  baseMs?: number;
  /** Largest backoff cap; a longer Retry-After is still honoured. Default 5 min. */
  maxMs?: number;
  /** Give up after this many failed attempts. Default: no limit. */
  maxAttempts?: number;
  /** Give up when the next try would come this long after the message was enqueued. Default 24 h. */
  maxAgeMs?: number;
}

export interface FailedAttempt {
  retryable: boolean;
  /** The channel asked to wait this long (429 Retry-After). */
  retryAfterMs?: number;
  /** Failed attempts so far, this one included (1 after the first failure). */
  attempts: number;
  /** Time since the message was enqueued. */
  ageMs: number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

export class RetryPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly maxAttempts: number;
  readonly maxAgeMs: number;

  constructor(options: RetryPolicyOptions = {}) {
    this.baseMs = options.baseMs ?? 1_000;
    this.maxMs = options.maxMs ?? 300_000;
    this.maxAttempts = options.maxAttempts ?? Infinity;
    this.maxAgeMs = options.maxAgeMs ?? 86_400_000;
  }

  /** `random` returns a number in [0, 1), like Math.random. */
  decide(failure: FailedAttempt, random: () => number): RetryDecision {
    if (!failure.retryable) return { retry: false, reason: "not retryable" };
    if (failure.attempts >= this.maxAttempts) {
      return { retry: false, reason: `gave up after ${failure.attempts} attempts` };
    }
    const options = { initialMs: this.baseMs, maxMs: this.maxMs };
    const delayMs = backoffDelay(failure.attempts, options, random, failure.retryAfterMs);
    if (failure.ageMs + delayMs > this.maxAgeMs) {
      return { retry: false, reason: `gave up after ${failure.attempts} attempts: too old to retry` };
    }
    return { retry: true, delayMs };
  }
}
