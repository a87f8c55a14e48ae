// Replays NDJSON history (a file or stdin) into a sink, paced by event time at `speed` times real
// time, or as fast as possible with speed 0. The sink's own clock is the ReplayClock given here.
import type { ReplayClock } from "../util/clock.js";
import { readNdjson } from "./ndjson-reader.js";
import type { LineValue, ParsedBatch } from "./parse-batch.js";

export interface ReplayOptions {
  clock: ReplayClock;
  maxLineBytes?: number;
  /** Waits `ms` of wall time; injectable so tests do not sleep. */
  sleep?: (ms: number) => Promise<void>;
  /** Stops the replay early. */
  signal?: AbortSignal;
}

export interface ReplaySummary {
  lines: number;
  parseErrors: number;
}

/** Items due within this much wall time are sent together rather than one sleep each. */
const PACING_SLACK_MS = 20;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function replay(
  source: AsyncIterable<Buffer | string>,
  sink: (batch: ParsedBatch) => void,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  const { clock } = options;
  const sleep = options.sleep ?? defaultSleep;
  const summary: ReplaySummary = { lines: 0, parseErrors: 0 };
  const reader = readNdjson(
    source,
    options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes },
  );
  for await (const batch of reader) {
    if (options.signal?.aborted) break;
    summary.lines += batch.values.length + batch.errors.length;
    summary.parseErrors += batch.errors.length;
    let pending: LineValue[] = [];
    let errors = batch.errors;
    const send = () => {
      if (pending.length === 0 && errors.length === 0) return;
      sink({ values: pending, errors });
      pending = [];
      errors = [];
    };
    for (const item of batch.values) {
      const time = eventTime(item.value);
      if (time !== undefined) {
        const wait = clock.dueAt(time) - clock.wallNow();
        if (wait > PACING_SLACK_MS) {
          send();
          await sleep(wait);
          if (options.signal?.aborted) return summary;
        }
        clock.observe(time);
      }
      pending.push(item);
    }
    send();
  }
  return summary;
}

/** created_at of a decoded line, if it has a readable one; validation proper happens in the sink. */
function eventTime(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const createdAt = (value as { created_at?: unknown }).created_at;
  if (typeof createdAt !== "string") return undefined;
  const time = Date.parse(createdAt);
  return Number.isNaN(time) ? undefined : time;
}
