// The write-ahead log of accepted mentions: every mention the API answers 202 for is appended before
// the answer (group commit; fsync by policy), and read back on start, so a crash loses none of them.
// The log is cut in segments, one per checkpoint: a segment is deleted once every mention in it lies
// in windows the series snapshot holds, so the log stays as short as the snapshot interval.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { Journal } from "../util/journal.js";

export interface MentionWalOptions {
  dir: string;
  /** fsync before acknowledging (survives a power loss), or only write (survives a process crash). */
  fsync: boolean;
}

/**
 * One accepted mention as the client sent it, with its event time for checkpoints: its JSON text as
 * it arrived (an NDJSON line), logged without serializing again, or else the mention itself.
 */
export type WalEntry = { time: number; raw: string } | { time: number; raw?: undefined; mention: unknown };

interface Segment {
  sequence: number;
  journal: Journal<unknown>;
  /** Latest event time of its mentions. */
  maxTime: number;
}

const SEGMENT = /^mentions-(\d{8})\.wal$/;
const segmentName = (sequence: number) => `mentions-${String(sequence).padStart(8, "0")}.wal`;

export class MentionWal {
  private segments: Segment[] = [];

  constructor(private readonly options: MentionWalOptions) {}

  /** Opens the log; returns the mentions it holds, oldest segment first, to be counted again. */
  async open(): Promise<unknown[]> {
    const names = await readdir(this.options.dir).catch(() => [] as string[]);
    const sequences = names.flatMap((name) => {
      const match = SEGMENT.exec(name);
      return match ? [Number(match[1])] : [];
    });
    const mentions: unknown[] = [];
    for (const sequence of sequences.sort((a, b) => a - b)) {
      const journal = this.journal(sequence);
      const { records } = await journal.open();
      mentions.push(...records);
      this.segments.push({ sequence, journal, maxTime: latestTime(records) });
    }
    // Appends go to a fresh segment: the recovered ones are cut like any other at the next checkpoint.
    await this.rotate();
    return mentions;
  }

  /** Resolves once the batch is in the log (and fsync'd, by policy). */
  append(entries: readonly WalEntry[]): Promise<void> {
    const current = this.segments.at(-1);
    if (!current) return Promise.reject(new Error("the mention log is not open"));
    for (const entry of entries) if (entry.time > current.maxTime) current.maxTime = entry.time;
    return current.journal.appendJson(
      entries.map((entry) => (entry.raw !== undefined ? entry.raw : JSON.stringify(entry.mention))),
    );
  }

  /**
   * Starts a new segment and deletes the older ones whose mentions all lie before `coveredBefore`:
   * the end of the newest window in a saved series snapshot.
   */
  async checkpoint(coveredBefore: number): Promise<void> {
    await this.rotate();
    const done = this.segments.slice(0, -1).filter((segment) => segment.maxTime < coveredBefore);
    for (const segment of done) {
      await segment.journal.close();
      await rm(segment.journal.path, { force: true });
    }
    this.segments = this.segments.filter((segment) => !done.includes(segment));
  }

  /** Mentions held across the segments (the recovered ones included). */
  get size(): number {
    return this.segments.reduce((sum, segment) => sum + segment.journal.records, 0);
  }

  async close(): Promise<void> {
    for (const segment of this.segments) await segment.journal.close();
    this.segments = [];
  }

  private async rotate(): Promise<void> {
    const sequence = (this.segments.at(-1)?.sequence ?? 0) + 1;
    const journal = this.journal(sequence);
    await journal.open();
    this.segments.push({ sequence, journal, maxTime: Number.NEGATIVE_INFINITY });
  }

  private journal(sequence: number): Journal<unknown> {
    return new Journal(join(this.options.dir, segmentName(sequence)), { fsync: this.options.fsync });
  }
}

function latestTime(records: readonly unknown[]): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const record of records) {
    const createdAt = (record as { created_at?: unknown } | null)?.created_at;
    const time = typeof createdAt === "string" ? Date.parse(createdAt) : Number.NaN;
    if (time > latest) latest = time;
  }
  return latest;
}
