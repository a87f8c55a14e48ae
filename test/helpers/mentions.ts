// Builders for hand-written test mentions: every field a test does not care about gets a default.
import type { Mention } from "../../src/model/index.js";

export const T0 = Date.parse("2026-03-02T10:00:00Z");
export const MIN = 60_000;

let counter = 0;

export function mention(overrides: Partial<Mention> & { at?: number } = {}): Mention {
  const { at, ...rest } = overrides;
  const time = at ?? rest.time ?? T0;
  counter++;
  return {
    id: `m${counter}`,
    brand: "kryptonite",
    text: "a mention",
    channel: "twitter",
    created_at: new Date(time).toISOString(),
    ...rest,
    time,
  };
}

/** The same mention as a plain JSON value, the way a client would send it. */
export function wire(overrides: Partial<Mention> & { at?: number } = {}): Record<string, unknown> {
  const { time: _time, ...rest } = mention(overrides);
  return rest;
}
