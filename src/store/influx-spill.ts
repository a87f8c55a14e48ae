// Points that did not fit in memory during an InfluxDB outage, on disk until they are written: an
// append-only file of JSON-encoded line-protocol lines, fsync'd on every append, and a cursor file
// (replaced atomically) saying how far the file has been delivered. Reads start at the cursor;
// once everything is delivered the file is emptied. Lines are JSON strings because a line-protocol
// string field may hold characters a plain text file would split on. Opening drops a torn last line
// left by a crash mid-append: that append never completed, so its points were still held in memory
// (and went down with the process, like everything a crash catches in memory).
// One process and one caller at a time: the InfluxDB writer's loop makes every call, in sequence.
import { mkdir, open, readFile, rm } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { syncDirectory, writeFileAtomic } from "../util/atomic-file.js";

export interface SpillBatch {
  lines: string[];
  /** Records the batch covers, unreadable ones included. */
  records: number;
  /** Byte offset just past the batch: commit() the batch once its lines are written. */
  end: number;
}

export interface SpillOpenResult {
  /** Points waiting in the file. */
  pending: number;
  /** Bytes of an incomplete last line that were dropped. */
  tornBytes: number;
}

const NEWLINE = 0x0a;
const READ_CHUNK = 1 << 20;

export class SpillFile {
  readonly path: string;
  private readonly cursorPath: string;
  private handle: FileHandle | undefined;
  private size = 0;
  private cursor = 0;
  private count = 0;
  private skipped = 0;

  constructor(readonly dir: string) {
    this.path = join(dir, "points.jsonl");
    this.cursorPath = join(dir, "points.cursor");
  }

  /** Points waiting (appended, not yet committed). */
  get pending(): number {
    return this.count;
  }

  /** Unreadable records skipped so far (corruption: we never write them). */
  get unreadable(): number {
    return this.skipped;
  }

  async open(): Promise<SpillOpenResult> {
    await mkdir(this.dir, { recursive: true });
    const handle = await open(this.path, "a+");
    this.handle = handle;
    syncDirectory(this.dir);
    const { size } = await handle.stat();
    const end = await this.lastLineEnd(size);
    if (end < size) {
      // Cut the torn tail, or the next append would be glued to it.
      await handle.truncate(end);
      await handle.sync();
    }
    this.size = end;
    this.cursor = await this.readCursor();
    if (this.cursor > this.size) {
      // The file was emptied but the cursor not yet removed when we stopped: it points at nothing.
      await rm(this.cursorPath, { force: true });
      this.cursor = 0;
    }
    this.count = await this.countLines(this.cursor);
    if (this.count === 0 && (this.size > 0 || this.cursor > 0)) await this.reset();
    return { pending: this.count, tornBytes: size - end };
  }

  /** Appends lines; resolves once they are on disk (written and fsync'd). */
  async append(lines: readonly string[]): Promise<void> {
    const handle = this.opened();
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join("");
    const bytes = Buffer.from(text);
    try {
      await handle.write(bytes);
      await handle.sync();
    } catch (error) {
      // Leave no partial append behind: the caller keeps these points and may try again.
      await handle.truncate(this.size).catch(() => undefined);
      throw error;
    }
    this.size += bytes.length;
    this.count += lines.length;
  }

  /** Up to `max` of the oldest waiting records; unreadable ones are skipped (counted at commit). */
  async read(max: number): Promise<SpillBatch> {
    const handle = this.opened();
    const lines: string[] = [];
    let records = 0;
    let consumed = this.cursor;
    let readAt = this.cursor;
    let unparsed: Buffer = Buffer.alloc(0);
    while (records < max && readAt < this.size) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, this.size - readAt));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, readAt);
      if (bytesRead === 0) break;
      readAt += bytesRead;
      unparsed = Buffer.concat([unparsed, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let end = unparsed.indexOf(NEWLINE); records < max && end >= 0;) {
        const line = parseLine(unparsed.subarray(start, end));
        if (line !== undefined) lines.push(line);
        records += 1;
        start = end + 1;
        end = unparsed.indexOf(NEWLINE, start);
      }
      consumed += start;
      unparsed = unparsed.subarray(start);
    }
    return { lines, records, end: consumed };
  }

  /** The batch was written: advance the cursor durably, or empty the file when it is all delivered. */
  async commit(batch: SpillBatch): Promise<void> {
    this.skipped += batch.records - batch.lines.length;
    this.count = Math.max(0, this.count - batch.records);
    if (batch.end >= this.size) {
      this.count = 0;
      await this.reset();
      return;
    }
    await writeFileAtomic(this.cursorPath, `${batch.end}\n`);
    this.cursor = batch.end;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Empties the file first, then removes the cursor: a crash in between leaves a cursor past the end. */
  private async reset(): Promise<void> {
    const handle = this.opened();
    await handle.truncate(0);
    await handle.sync();
    await rm(this.cursorPath, { force: true });
    syncDirectory(this.dir);
    this.size = 0;
    this.cursor = 0;
  }

  private async readCursor(): Promise<number> {
    let text: string;
    try {
      text = await readFile(this.cursorPath, "utf8");
    } catch {
      return 0;
    }
    const value = Number(text.trim());
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  }

  /** Offset just past the last newline of the first `size` bytes (0 when there is none). */
  private async lastLineEnd(size: number): Promise<number> {
    const handle = this.opened();
    for (let end = size; end > 0;) {
      const start = Math.max(0, end - READ_CHUNK);
      const chunk = Buffer.alloc(end - start);
      await handle.read(chunk, 0, chunk.length, start);
      const newline = chunk.lastIndexOf(NEWLINE);
      if (newline >= 0) return start + newline + 1;
      end = start;
    }
    return 0;
  }

  private async countLines(from: number): Promise<number> {
    const handle = this.opened();
    let count = 0;
    for (let position = from; position < this.size;) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, this.size - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      for (let at = chunk.indexOf(NEWLINE); at >= 0 && at < bytesRead; at = chunk.indexOf(NEWLINE, at + 1))
        count += 1;
      position += bytesRead;
    }
    return count;
  }

  private opened(): FileHandle {
    if (this.handle === undefined) throw new Error(`spill file ${this.path} is not open`);
    return this.handle;
  }
}

function parseLine(bytes: Buffer): string | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString("utf8"));
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
