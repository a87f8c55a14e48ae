import { appendFile, mkdtemp, open, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Journal } from "../src/util/journal.js";

interface Rec {
  n: number;
}

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-journal-"));
  path = join(dir, "j.jsonl");
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const lines = async () => (await readFile(path, "utf8")).split("\n").filter(Boolean);

describe("journal", () => {
  it("writes the appends of one tick with a single fdatasync (group commit)", async () => {
    const probe = await open(join(dir, "probe"), "w");
    const sync = vi.spyOn(Object.getPrototypeOf(probe) as { datasync(): Promise<void> }, "datasync");
    await probe.close();
    const journal = new Journal<Rec>(path);
    await journal.open();
    await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append({ n })));
    expect(sync).toHaveBeenCalledTimes(1);
    await journal.append({ n: 50 });
    expect(sync).toHaveBeenCalledTimes(2);
    expect((await lines()).map((line) => JSON.parse(line).n)).toEqual(
      Array.from({ length: 51 }, (_, n) => n),
    );
    await journal.close();
  });

  it("replays whole lines, drops a torn tail and appends after the last whole line", async () => {
    await writeFile(path, '{"n":1}\n{"n":2}\n{"n":');
    const journal = new Journal<Rec>(path);
    expect(await journal.open()).toEqual({ records: [{ n: 1 }, { n: 2 }], tornBytes: 5 });
    await journal.append({ n: 3 });
    await journal.close();
    expect(await readFile(path, "utf8")).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it("refuses to open over an unreadable line in the middle, naming it", async () => {
    await writeFile(path, '{"n":1}\ngarbage\n{"n":3}\n');
    await expect(new Journal<Rec>(path).open()).rejects.toThrow(`${path}:2: unreadable journal record`);
  });

  it("compacts to the snapshot, which stands in for appends not yet written", async () => {
    const journal = new Journal<Rec>(path);
    await journal.open();
    for (let n = 0; n < 10; n += 1) await journal.append({ n });
    const pending = journal.append({ n: 10 });
    const compacted = journal.compact(() => [{ n: 9 }, { n: 10 }]);
    await Promise.all([pending, compacted]);
    await journal.append({ n: 11 });
    expect(journal.records).toBe(3);
    await journal.close();
    expect((await lines()).map((line) => JSON.parse(line).n)).toEqual([9, 10, 11]);
    const reopened = new Journal<Rec>(path);
    expect((await reopened.open()).records).toEqual([{ n: 9 }, { n: 10 }, { n: 11 }]);
    await reopened.close();
  });

  it("refuses every append after a failed write instead of pretending durability", async () => {
    const journal = new Journal<Rec>(path);
    await journal.open();
    const probe = await open(join(dir, "probe"), "w");
    vi.spyOn(Object.getPrototypeOf(probe) as { datasync(): Promise<void> }, "datasync").mockRejectedValue(
      new Error("EIO"),
    );
    await probe.close();
    await expect(journal.append({ n: 1 })).rejects.toThrow("EIO");
    await expect(journal.append({ n: 2 })).rejects.toThrow("failed");
    expect(journal.failure).toBeInstanceOf(Error);
  });

  it("creates a missing directory and file", async () => {
    const nested = join(dir, "a", "b", "j.jsonl");
    const journal = new Journal<Rec>(nested);
    expect(await journal.open()).toEqual({ records: [], tornBytes: 0 });
    await journal.append({ n: 1 });
    await journal.close();
    await appendFile(nested, "");
    expect(await readFile(nested, "utf8")).toBe('{"n":1}\n');
  });
});
