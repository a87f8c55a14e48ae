// What people said about alerts after the fact (POST /v1/alerts/:id/feedback): a false alarm, an
// expected event, or a real crisis. Kept as append-only JSON lines in data_dir/feedback.jsonl, each
// fsync'd before it is acknowledged, so `tocsin evaluate --feedback` can score rules against them.
// Each record carries the alert's identity and times, so the file is useful long after the alert
// has left memory. Opening drops a torn last line left by a crash mid-write.
import { mkdir, open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import type { Alert, Labels } from "../model/index.js";
import { syncDirectory } from "../util/atomic-file.js";
import { readJsonLines } from "../util/json-lines.js";
import { pathText } from "../util/zod-issues.js";

export const VERDICTS = ["false_alarm", "expected", "real_crisis"] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The body of POST /v1/alerts/:id/feedback. */
export const feedbackInputSchema = z.strictObject({
  verdict: z
    .enum(VERDICTS)
    .describe("false_alarm, expected (a known event such as a launch) or real_crisis."),
  note: z.string().trim().max(2000).optional(),
  by: z.string().trim().min(1).max(200).optional().describe("Who gives the verdict."),
});

export type FeedbackInput = z.input<typeof feedbackInputSchema>;

/** One line of feedback.jsonl; times are ISO 8601. */
export interface FeedbackRecord {
  alertId: string;
  fingerprint: string;
  rule: string;
  name: string;
  labels: Labels;
  activeAt: string;
  firedAt?: string;
  resolvedAt?: string;
  verdict: Verdict;
  note?: string;
  by?: string;
  at: string;
}

export type AddFeedback = { ok: true; record: FeedbackRecord } | { ok: false; error: string };

export class FeedbackBook {
  private handle: FileHandle | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly byAlert = new Map<string, FeedbackRecord[]>();

  private constructor(
    readonly path: string | undefined,
    private readonly records: FeedbackRecord[],
  ) {
    for (const record of records) this.index(record);
  }

  /**
   * Reads the file (none yet: no feedback). The file is created by the first feedback, so engines
   * that never get any (backtests) leave no trace. Without a path, feedback stays in memory.
   */
  static async open(path: string | undefined): Promise<FeedbackBook> {
    if (path === undefined) return new FeedbackBook(undefined, []);
    return new FeedbackBook(path, await readFeedback(path, { repair: true }));
  }

  /** Validates the input and appends a record about `alert`; resolves once it is on disk. */
  async add(alert: Alert, input: unknown, now: number): Promise<AddFeedback> {
    const parsed = feedbackInputSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? pathText(issue.path) : "";
      return { ok: false, error: `${where || "body"}: ${issue?.message ?? "invalid feedback"}` };
    }
    const { verdict, note, by } = parsed.data;
    const record: FeedbackRecord = {
      alertId: alert.id,
      fingerprint: alert.fingerprint,
      rule: alert.rule,
      name: alert.name,
      labels: { ...alert.labels },
      activeAt: iso(alert.activeAt),
      ...(alert.firedAt === undefined ? {} : { firedAt: iso(alert.firedAt) }),
      ...(alert.resolvedAt === undefined ? {} : { resolvedAt: iso(alert.resolvedAt) }),
      verdict,
      ...(note ? { note } : {}),
      ...(by ? { by } : {}),
      at: iso(now),
    };
    await this.append(record);
    this.records.push(record);
    this.index(record);
    return { ok: true, record };
  }

  /** Every record, oldest first. */
  list(): FeedbackRecord[] {
    return [...this.records];
  }

  /** The records about one alert, oldest first; the last one is the verdict that counts. */
  forAlert(id: string): FeedbackRecord[] {
    return [...(this.byAlert.get(id) ?? [])];
  }

  async close(): Promise<void> {
    await this.writing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private index(record: FeedbackRecord): void {
    const list = this.byAlert.get(record.alertId);
    if (list) list.push(record);
    else this.byAlert.set(record.alertId, [record]);
  }

  /** Writes one line and fsyncs it; writes are queued so that lines never interleave. */
  private append(record: FeedbackRecord): Promise<void> {
    const path = this.path;
    if (path === undefined) return Promise.resolve();
    const write = this.writing.then(async () => {
      if (this.handle === undefined) {
        await mkdir(dirname(path), { recursive: true });
        this.handle = await open(path, "a");
        syncDirectory(dirname(path));
      }
      await this.handle.write(`${JSON.stringify(record)}\n`);
      await this.handle.sync();
    });
    // A failed write fails its own request; the next one tries again.
    this.writing = write.catch(() => undefined);
    return write;
  }
}

/**
 * Reads a feedback file: every complete line, in order. An incomplete last line (a crash
 * mid-write) is dropped, and with `repair` cut from the file so the next append starts clean; any
 * other unreadable line is an error naming the file and the line. A missing file has no records.
 */
export async function readFeedback(
  path: string,
  options: { repair?: boolean } = {},
): Promise<FeedbackRecord[]> {
  const { lines } = await readJsonLines(path, { repair: options.repair ?? false });
  const records: FeedbackRecord[] = [];
  for (const { number, text } of lines) {
    if (text.trim() === "") continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      throw new Error(`${path}:${number}: not a JSON feedback record`);
    }
    if (!isRecord(record))
      throw new Error(`${path}:${number}: a feedback record needs alertId, rule and verdict`);
    records.push(record);
  }
  return records;
}

function isRecord(value: unknown): value is FeedbackRecord {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.alertId === "string" &&
    typeof record.rule === "string" &&
    typeof record.at === "string" &&
    VERDICTS.includes(record.verdict as Verdict)
  );
}

const iso = (ms: number): string => new Date(ms).toISOString();
