import { appendFile, mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MentionWal } from "../src/ingest/mention-wal.js";

const T0 = Date.parse("2026-03-02T10:00:00Z");
const entry = (i: number, time = T0 + i * 1000) => ({
  time,
  mention: { id: `m${i}`, created_at: new Date(time).toISOString() },
});

describe("write-ahead log of accepted mentions", () => {
  it("gives back every appended mention in order after a reopen, a torn last line dropped", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-wal-"));
    const wal = new MentionWal({ dir, fsync: true });
    expect(await wal.open()).toEqual([]);
    await Promise.all([wal.append([entry(1), entry(2)]), wal.append([entry(3)])]);
    // A crash mid-write: half a record at the end of the segment.
    const [segment] = (await readdir(dir)).sort().slice(-1);
    await appendFile(join(dir, segment!), '{"id":"m4","crea');
    const again = new MentionWal({ dir, fsync: true });
    expect(await again.open()).toEqual([entry(1), entry(2), entry(3)].map((e) => e.mention));
    await again.close();
  });

  it("deletes at a checkpoint only the segments whose mentions all lie in windows the snapshot holds", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tocsin-wal-"));
    const wal = new MentionWal({ dir, fsync: false });
    await wal.open();
    await wal.append([entry(1), entry(2)]);
    await wal.checkpoint(T0); // nothing covered yet: both segments stay
    await wal.append([entry(100)]);
    await wal.checkpoint(T0 + 50_000); // the first segment (up to m2) is covered; m100 is not
    expect(wal.size).toBe(1);
    await wal.close();
    const reopened = new MentionWal({ dir, fsync: false });
    expect(await reopened.open()).toEqual([entry(100).mention]);
    await reopened.checkpoint(T0 + 200_000);
    expect(reopened.size).toBe(0);
    expect((await readdir(dir)).length).toBe(1); // the fresh segment appends go to
    await reopened.close();
  });
});
