import { describe, expect, it } from "vitest";
import type { WriterLimits, WriterState } from "../src/store/influx-schedule.js";
import { failureAction, nextStep } from "../src/store/influx-schedule.js";
import { backoffDelay } from "../src/util/backoff.js";

const limits: WriterLimits = { batchSize: 100, flushIntervalMs: 1_000, bufferPoints: 1_000 };
const state = (fields: Partial<WriterState> = {}): WriterState => ({
  now: 10_000,
  memory: 0,
  spilled: 0,
  ...fields,
});

describe("InfluxDB writer: what to do next", () => {
  it("sleeps until woken when nothing waits", () => {
    expect(nextStep(state(), limits)).toEqual({ kind: "wait" });
  });

  it("lets a partial batch wait for the flush interval, then sends it whole", () => {
    expect(nextStep(state({ memory: 10, pendingSince: 9_700 }), limits)).toEqual({ kind: "wait", ms: 700 });
    expect(nextStep(state({ memory: 10, pendingSince: 9_000 }), limits)).toEqual({
      kind: "send",
      from: "memory",
      count: 10,
    });
  });

  it("sends a full batch at once", () => {
    expect(nextStep(state({ memory: 250, pendingSince: 9_999 }), limits)).toEqual({
      kind: "send",
      from: "memory",
      count: 100,
    });
  });

  it("sends what was spilled before what is in memory: the spill holds the oldest points", () => {
    expect(nextStep(state({ memory: 500, spilled: 30, pendingSince: 0 }), limits)).toEqual({
      kind: "send",
      from: "spill",
      count: 30,
    });
    expect(nextStep(state({ spilled: 5_000 }), limits)).toEqual({ kind: "send", from: "spill", count: 100 });
  });

  it("spills the oldest points down to half the buffer when memory is over it", () => {
    expect(nextStep(state({ memory: 1_001, pendingSince: 0 }), limits)).toEqual({
      kind: "spill",
      count: 501,
    });
  });

  it("waits for the backoff after a failure, but still spills meanwhile", () => {
    expect(nextStep(state({ memory: 200, retryAt: 10_400 }), limits)).toEqual({ kind: "wait", ms: 400 });
    expect(nextStep(state({ memory: 1_200, retryAt: 10_400 }), limits)).toEqual({
      kind: "spill",
      count: 700,
    });
  });

  it("does not retry a failing spill before its own backoff", () => {
    expect(nextStep(state({ memory: 1_200, spillRetryAt: 10_050, pendingSince: 0 }), limits)).toEqual({
      kind: "send",
      from: "memory",
      count: 100,
    });
  });

  it("on close, sends what is left without waiting for the flush interval", () => {
    expect(nextStep(state({ memory: 10, pendingSince: 9_999, deadline: 12_000 }), limits)).toEqual({
      kind: "send",
      from: "memory",
      count: 10,
    });
    expect(nextStep(state({ deadline: 12_000 }), limits)).toEqual({ kind: "done" });
  });

  it("on close, gives up sending at the deadline or when the next retry would come after it", () => {
    expect(nextStep(state({ memory: 10, deadline: 10_000 }), limits)).toEqual({ kind: "done" });
    expect(nextStep(state({ memory: 10, retryAt: 13_000, deadline: 12_000 }), limits)).toEqual({
      kind: "done",
    });
    expect(nextStep(state({ memory: 10, retryAt: 11_000, deadline: 12_000 }), limits)).toEqual({
      kind: "wait",
      ms: 1_000,
    });
  });
});

describe("InfluxDB writer: what a failed write means", () => {
  it("retries outages, overload and configuration errors an operator can fix", () => {
    for (const status of [undefined, 500, 502, 503, 429, 408, 401, 403, 404]) {
      expect(failureAction(status, 10)).toBe("retry");
    }
  });

  it("drops points the server rejects as such, which no retry would change", () => {
    expect(failureAction(400, 10)).toBe("drop");
    expect(failureAction(422, 10)).toBe("drop");
  });

  it("splits a batch that is too large, down to a single point", () => {
    expect(failureAction(413, 10)).toBe("split");
    expect(failureAction(413, 1)).toBe("drop");
  });
});

describe("InfluxDB writer: backoff", () => {
  const options = { initialMs: 100, maxMs: 1_000 };

  it("doubles the cap with every failure up to the maximum", () => {
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 10].map((attempts) => backoffDelay(attempts, options, almostOne))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
  });

  it("draws the delay uniformly below the cap (full jitter)", () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(200);
  });

  it("waits at least as long as the server's Retry-After", () => {
    expect(backoffDelay(1, options, () => 0.5, 5_000)).toBe(5_000);
    expect(backoffDelay(4, options, () => 0.5, 10)).toBe(400);
  });
});
