import { describe, expect, it } from "vitest";
import { RetryPolicy } from "../src/notify/retry-policy.js";

const half = () => 0.5;
const almostOne = () => 0.999999;

describe("retry policy", () => {
  it("draws each delay from [0, min(max, base·2^(attempts-1))) with the injected random", () => {
    const policy = new RetryPolicy({ baseMs: 1_000, maxMs: 10_000 });
    const delays = [1, 2, 3, 4, 5, 6].map((attempts) => {
      const decision = policy.decide({ retryable: true, attempts, ageMs: 0 }, half);
      return decision.retry ? decision.delayMs : undefined;
    });
    // caps 1000, 2000, 4000, 8000, 10000 (max), 10000 — halved by the random draw.
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(policy.decide({ retryable: true, attempts: 3, ageMs: 0 }, () => 0)).toEqual({
      retry: true,
      delayMs: 0,
    });
    expect(policy.decide({ retryable: true, attempts: 3, ageMs: 0 }, almostOne)).toEqual({
      retry: true,
      delayMs: 3_999,
    });
  });

  it("waits for Retry-After when it is longer than the backoff, and keeps the backoff when shorter", () => {
    const policy = new RetryPolicy({ baseMs: 1_000, maxMs: 10_000 });
    expect(policy.decide({ retryable: true, retryAfterMs: 60_000, attempts: 1, ageMs: 0 }, half)).toEqual({
      retry: true,
      delayMs: 60_000,
    });
    expect(policy.decide({ retryable: true, retryAfterMs: 100, attempts: 2, ageMs: 0 }, half)).toEqual({
      retry: true,
      delayMs: 1_000,
    });
  });

  it("gives up at once on a failure that is not retryable", () => {
    expect(new RetryPolicy().decide({ retryable: false, attempts: 1, ageMs: 0 }, half)).toEqual({
      retry: false,
      reason: "not retryable",
    });
  });

  it("gives up after maxAttempts, or when the next try would be older than maxAgeMs", () => {
    const policy = new RetryPolicy({ baseMs: 1_000, maxAttempts: 3, maxAgeMs: 10_000 });
    expect(policy.decide({ retryable: true, attempts: 2, ageMs: 0 }, half).retry).toBe(true);
    expect(policy.decide({ retryable: true, attempts: 3, ageMs: 0 }, half).retry).toBe(false);
    // attempt 2: delay 1000; 9000 + 1000 is still within the age limit, 9001 + 1000 is not.
    expect(policy.decide({ retryable: true, attempts: 2, ageMs: 9_000 }, half).retry).toBe(true);
    expect(policy.decide({ retryable: true, attempts: 2, ageMs: 9_001 }, half).retry).toBe(false);
  });
});
