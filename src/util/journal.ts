// An append-only JSON-lines file, fsync'd before an append is acknowledged: the durable memory of
// the outbox and of accepted mentions (the write-ahead log). Appends made within one tick share one
// write and one fsync (group commit); with `fsync: false` an append is acknowledged once written to
// the OS (it survives a process crash, not a power loss). Opening replays
// the records, dropping a torn last line left by a crash mid-write. Rewriting replaces the file with a
// snapshot (write a temporary file, fsync, rename, fsync the directory), so a crash leaves either the
// old file or the new one, never a mix.
import { syncDirectory } from "./atomic-file.js";
import { readJsonLines } from "./json-lines.js";
import { mkdir, open, rename } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

interface Pending {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Rewrite<R> {
  snapshot: () => R[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface ReplayResult<R> {
  records: R[];
  /** Bytes of an incomplete last line that were dropped (0 when the file ended cleanly). */
  tornBytes: number;
}

export class Journal<R> {
  private handle: FileHandle | undefined;
  private buffer: Pending[] = [];
  private rewrite: Rewrite<R> | undefined;
  private running: Promise<void> | undefined;
  private broken: unknown;
  private count = 0;

  constructor(
    readonly path: string,
    private readonly options: { fsync?: boolean } = {},
  ) {}

  /** Records in the file, counting those appended but not yet written. */
  get records(): number {
    return this.count;
  }

  /** Set once a write or fsync failed; every later append is refused. */
  get failure(): unknown {
    return this.broken;
  }

  /** Reads the records back and opens the file for appending. */
  async open(): Promise<ReplayResult<R>> {
    await mkdir(dirname(this.path), { recursive: true });
    // Cut the torn tail, or the next append would be glued to it.
    const { lines, tornBytes } = await readJsonLines(this.path, { repair: true });
    const records = lines.map(({ number, text }) => {
      try {
        return JSON.parse(text) as R;
      } catch {
        throw new Error(`${this.path}:${number}: unreadable journal record`);
      }
    });
    const created = lines.length === 0 && tornBytes === 0;
    this.handle = await open(this.path, "a");
    if (created) syncDirectory(dirname(this.path));
    this.count = records.length;
    return { records, tornBytes };
  }

  /** Resolves once the record is on disk (written and fsync'd). */
  append(record: R): Promise<void> {
    return this.appendAll([record]);
  }

  /** Resolves once every record is on disk: one promise for a batch (a request's mentions). */
  appendAll(records: readonly R[]): Promise<void> {
    return this.appendJson(records.map((record) => JSON.stringify(record)));
  }

  /**
   * appendAll for records already serialized, one JSON text each without a line break (a mention
   * exactly as its NDJSON line arrived): nothing is serialized again.
   */
  appendJson(texts: readonly string[]): Promise<void> {
    if (this.broken !== undefined) return Promise.reject(this.brokenError());
    if (this.handle === undefined) return Promise.reject(new Error("journal is not open"));
    if (texts.length === 0) return Promise.resolve();
    this.count += texts.length;
    let lines = "";
    for (const text of texts) lines += `${text}\n`;
    return new Promise((resolve, reject) => {
      this.buffer.push({ line: lines, resolve, reject });
      this.start();
    });
  }

  /**
   * Replaces the file with the records `snapshot` returns. It is called just before the rewrite, and
   * must reflect every record appended so far: appends not yet written are dropped in its favour.
   */
  compact(snapshot: () => R[]): Promise<void> {
    if (this.broken !== undefined) return Promise.reject(this.brokenError());
    if (this.rewrite !== undefined) return Promise.reject(new Error("a rewrite is already queued"));
    return new Promise((resolve, reject) => {
      this.rewrite = { snapshot, resolve, reject };
      this.start();
    });
  }

  /** Resolves when everything appended so far is on disk. */
  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }

  private start(): void {
    if (this.running !== undefined) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      // Appends made after the loop's last check but before this callback still need a writer.
      if (this.broken === undefined && (this.buffer.length > 0 || this.rewrite !== undefined)) this.start();
    });
  }

  private async drain(): Promise<void> {
    // Let the rest of this tick's appends join the batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.buffer.length > 0 || this.rewrite !== undefined) {
      const batch = this.buffer;
      this.buffer = [];
      const rewrite = this.rewrite;
      this.rewrite = undefined;
      try {
        if (rewrite !== undefined) {
          const records = rewrite.snapshot();
          this.count = records.length;
          await this.replaceWith(records);
        } else {
          const handle = this.handle;
          if (handle === undefined) throw new Error("journal is closed");
          await handle.write(batch.map((pending) => pending.line).join(""));
          // fdatasync: an append's data and the size that reaches it, without the timestamps fsync
          // also writes (half the disk work on most filesystems).
          if (this.options.fsync !== false) await handle.datasync();
        }
        for (const pending of batch) pending.resolve();
        rewrite?.resolve();
      } catch (error) {
        this.broken = error;
        for (const pending of [...batch, ...this.buffer]) pending.reject(this.brokenError());
        rewrite?.reject(this.brokenError());
        (this.rewrite as Rewrite<R> | undefined)?.reject(this.brokenError());
        this.buffer = [];
        this.rewrite = undefined;
        return;
      }
    }
  }

  private async replaceWith(records: R[]): Promise<void> {
    const temporary = join(dirname(this.path), `.${basename(this.path)}.compact`);
    const file = await open(temporary, "w");
    try {
      await file.write(records.map((record) => `${JSON.stringify(record)}\n`).join(""));
      await file.sync();
    } finally {
      await file.close();
    }
    await this.handle?.close();
    this.handle = undefined;
    await rename(temporary, this.path);
    syncDirectory(dirname(this.path));
    this.handle = await open(this.path, "a");
  }

  private brokenError(): Error {
    return new Error(`journal ${this.path} failed: ${String(this.broken)}`, { cause: this.broken });
  }
}
