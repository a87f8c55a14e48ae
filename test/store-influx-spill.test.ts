import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SpillFile } from "../src/store/influx-spill.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-spill-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `m,brand=b${from + i} v=${from + i} ${from + i}`);

async function opened(): Promise<SpillFile> {
  const spill = new SpillFile(dir);
  await spill.open();
  return spill;
}

describe("spill file", () => {
  it("gives back appended lines oldest first, in batches, and counts what waits", async () => {
    const spill = await opened();
    await spill.append(lines(0, 3));
    await spill.append(lines(3, 5));
    expect(spill.pending).toBe(5);
    const first = await spill.read(4);
    expect(first.lines).toEqual(lines(0, 4));
    await spill.commit(first);
    expect(spill.pending).toBe(1);
    const second = await spill.read(4);
    expect(second.lines).toEqual(lines(4, 5));
    await spill.close();
  });

  it("reads the same batch again until it is committed (a failed write is retried, not skipped)", async () => {
    const spill = await opened();
    await spill.append(lines(0, 3));
    expect((await spill.read(2)).lines).toEqual(lines(0, 2));
    expect((await spill.read(2)).lines).toEqual(lines(0, 2));
    await spill.close();
  });

  it("keeps lines with quotes, backslashes and line breaks intact", async () => {
    const spill = await opened();
    const hostile = ['m text="a \\"b\\" c\\\\" 1', "m,t=a\\,b\\=c\\ d v=1 2", 'm text="x\ny" 3'];
    await spill.append(hostile);
    expect((await spill.read(10)).lines).toEqual(hostile);
    await spill.close();
  });

  it("resumes after a restart where the last delivered batch ended", async () => {
    const spill = await opened();
    await spill.append(lines(0, 6));
    await spill.commit(await spill.read(2));
    await spill.close();
    const again = await opened();
    expect(again.pending).toBe(4);
    expect((await again.read(10)).lines).toEqual(lines(2, 6));
    await again.close();
  });

  it("empties the file and removes the cursor once everything is delivered", async () => {
    const spill = await opened();
    await spill.append(lines(0, 4));
    await spill.commit(await spill.read(2));
    expect(await readdir(dir)).toContain("points.cursor");
    await spill.commit(await spill.read(2));
    expect(spill.pending).toBe(0);
    expect((await stat(spill.path)).size).toBe(0);
    expect(await readdir(dir)).not.toContain("points.cursor");
    await spill.append(lines(4, 5));
    expect((await spill.read(10)).lines).toEqual(lines(4, 5));
    await spill.close();
  });

  it("drops a torn last line left by a crash mid-append, and appends cleanly after it", async () => {
    const good = lines(0, 2).map((line) => `${JSON.stringify(line)}\n`);
    await writeFile(join(dir, "points.jsonl"), `${good.join("")}"m,brand=torn v=1`);
    const spill = new SpillFile(dir);
    expect(await spill.open()).toEqual({ pending: 2, tornBytes: 17 });
    await spill.append(lines(2, 3));
    expect((await spill.read(10)).lines).toEqual(lines(0, 3));
    expect(await readFile(spill.path, "utf8")).toBe(
      [...good, `${JSON.stringify(lines(2, 3)[0])}\n`].join(""),
    );
    await spill.close();
  });

  it("skips and counts a complete line it cannot read, without stalling the lines after it", async () => {
    const [a, b] = lines(0, 2).map((line) => JSON.stringify(line));
    await writeFile(join(dir, "points.jsonl"), `${a}\nnot json\n${b}\n`);
    const spill = await opened();
    expect(spill.pending).toBe(3);
    const batch = await spill.read(10);
    expect(batch.lines).toEqual(lines(0, 2));
    await spill.commit(batch);
    expect(spill.unreadable).toBe(1);
    expect(spill.pending).toBe(0);
    await spill.close();
  });

  it("treats a cursor past the end (a crash while emptying the file) as nothing waiting", async () => {
    await writeFile(join(dir, "points.cursor"), "123\n");
    const spill = await opened();
    expect(spill.pending).toBe(0);
    expect(await readdir(dir)).not.toContain("points.cursor");
    await spill.append(lines(0, 8));
    await spill.close();
    const again = await opened();
    expect((await again.read(10)).lines).toEqual(lines(0, 8));
    await again.close();
  });
});
