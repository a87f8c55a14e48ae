// Binary snapshot of the memory store: a JSON header (keys, ranges, window width) followed by the
// Float64 rows of every key. Written to a temporary file, fsynced, then renamed, so a crash mid-write
// leaves the previous snapshot intact.
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../util/atomic-file.js";
import type { SeriesKey } from "../model/index.js";

const MAGIC = "TOCSINS2";
const VERSION = 1;

export interface SnapshotKey {
  key: SeriesKey;
  /** Window index of the first row. */
  first: number;
  rows: Float64Array;
}

export interface Snapshot {
  windowMs: number;
  metrics: readonly string[];
  savedAt: number;
  keys: SnapshotKey[];
}

interface Header {
  version: number;
  windowMs: number;
  metrics: string[];
  savedAt: number;
  keys: Array<{ labels: Record<string, string>; first: number; count: number }>;
}

export function encodeSnapshot(snapshot: Snapshot): Buffer {
  const columns = snapshot.metrics.length;
  const header: Header = {
    version: VERSION,
    windowMs: snapshot.windowMs,
    metrics: [...snapshot.metrics],
    savedAt: snapshot.savedAt,
    keys: snapshot.keys.map(({ key, first, rows }) => ({
      labels: { ...key },
      first,
      count: rows.length / columns,
    })),
  };
  const json = Buffer.from(JSON.stringify(header), "utf8");
  // Pad so the Float64 data starts 8-byte aligned and can be viewed without copying.
  const headerEnd = align8(MAGIC.length + 4 + json.length);
  const dataBytes = snapshot.keys.reduce((sum, entry) => sum + entry.rows.byteLength, 0);
  const out = Buffer.alloc(headerEnd + dataBytes);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  let offset = headerEnd;
  for (const { rows } of snapshot.keys) {
    Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).copy(out, offset);
    offset += rows.byteLength;
  }
  return out;
}

/** Decodes a snapshot; throws an Error that says what is wrong with the file. */
export function decodeSnapshot(buffer: Buffer): Snapshot {
  if (buffer.length < MAGIC.length + 4 || buffer.toString("latin1", 0, MAGIC.length) !== MAGIC) {
    throw new Error("not a Tocsin series snapshot");
  }
  const jsonLength = buffer.readUInt32LE(MAGIC.length);
  const header = JSON.parse(
    buffer.toString("utf8", MAGIC.length + 4, MAGIC.length + 4 + jsonLength),
  ) as Header;
  if (header.version !== VERSION) throw new Error(`unsupported snapshot version ${header.version}`);
  const columns = header.metrics.length;
  let offset = align8(MAGIC.length + 4 + jsonLength);
  const keys: SnapshotKey[] = header.keys.map(({ labels, first, count }) => {
    const bytes = count * columns * 8;
    if (offset + bytes > buffer.length) throw new Error("snapshot is truncated");
    // Copy out so the rows do not pin the whole file buffer.
    const rows = new Float64Array(count * columns);
    Buffer.from(rows.buffer).set(buffer.subarray(offset, offset + bytes));
    offset += bytes;
    return { key: labels, first, rows };
  });
  return { windowMs: header.windowMs, metrics: header.metrics, savedAt: header.savedAt, keys };
}

export async function writeSnapshotFile(path: string, snapshot: Snapshot): Promise<void> {
  await writeFileAtomic(path, encodeSnapshot(snapshot));
}

/** Reads a snapshot file; resolves to undefined when there is none yet. */
export async function readSnapshotFile(path: string): Promise<Snapshot | undefined> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return decodeSnapshot(buffer);
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;
