import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { matcherJSON } from "../src/alerting/matchers.js";
import { SilenceBook } from "../src/alerting/silence-book.js";
import type { Silence } from "../src/alerting/silences.js";

const H = 3_600_000;
const T0 = Date.parse("2026-03-06T09:00:00Z");

const plain = (silence: Silence) => ({ ...silence, matchers: silence.matchers.map(matcherJSON) });

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tocsin-silence-book-"));
  file = join(dir, "silences.json");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const recall = {
  id: "recall",
  matchers: ['brand="kryptonite"', { name: "severity", op: "=~", value: "warning|critical" }],
  startsAt: "2026-03-06T09:00:00Z",
  endsAt: "2026-03-06T12:00:00+01:00",
  createdBy: "ana",
  comment: "planned recall announcement",
};

describe("SilenceBook", () => {
  it("reopens the file with the same silences: ids, matchers and times", async () => {
    const book = await SilenceBook.open(file);
    expect((await book.add(recall, T0)).ok).toBe(true);
    const added = await book.add(
      { matchers: ['channel="reddit"'], endsAt: T0 + 2 * H, createdBy: "bo", comment: "drill" },
      T0 + 1000,
    );
    expect(added.ok).toBe(true);

    const reopened = await SilenceBook.open(file);
    const silences = reopened.silences.list(T0 + 1000).map(plain);
    expect(silences).toEqual([
      {
        id: "recall",
        matchers: [
          { name: "brand", op: "=", value: "kryptonite" },
          { name: "severity", op: "=~", value: "warning|critical" },
        ],
        startsAt: T0,
        endsAt: T0 + 2 * H, // 12:00+01:00 is 11:00Z
        createdBy: "ana",
        comment: "planned recall announcement",
        state: "active",
      },
      {
        id: added.ok ? added.silence.id : "",
        matchers: [{ name: "channel", op: "=", value: "reddit" }],
        startsAt: T0 + 1000,
        endsAt: T0 + 2 * H,
        createdBy: "bo",
        comment: "drill",
        state: "active",
      },
    ]);
    // The regex matchers are compiled again on load, so the reopened book silences as before.
    const labels = { brand: "kryptonite", severity: "critical", channel: "news" };
    expect(reopened.silences.silencedBy(labels, T0 + H).map((s) => s.id)).toEqual(["recall"]);
    expect(reopened.silences.silencedBy({ ...labels, severity: "info" }, T0 + H)).toEqual([]);
  });

  it("persists an expiry: the reopened silence has ended at the time it was expired", async () => {
    const book = await SilenceBook.open(file);
    await book.add(recall, T0);
    expect(await book.expire("recall", T0 + H)).toBe(true);
    expect(await book.expire("recall", T0 + H + 1)).toBe(false);
    expect(await book.expire("unknown", T0 + H)).toBe(false);

    const reopened = await SilenceBook.open(file);
    expect(reopened.silences.get("recall")?.endsAt).toBe(T0 + H);
    expect(reopened.silences.list(T0 + H)[0]?.state).toBe("expired");
    expect(reopened.silences.silencedBy({ brand: "kryptonite", severity: "warning" }, T0 + H)).toEqual([]);
  });

  it("ends a silence expired at the very time it started, or before it started, at once", async () => {
    const book = await SilenceBook.open(file);
    await book.add({ ...recall, id: "now", startsAt: T0 }, T0);
    await book.add({ ...recall, id: "later", startsAt: T0 + H, endsAt: T0 + 2 * H }, T0);
    expect(await book.expire("now", T0)).toBe(true);
    expect(await book.expire("later", T0)).toBe(true);
    expect(book.silences.list(T0).map((s) => [s.id, s.state])).toEqual([
      ["later", "expired"],
      ["now", "expired"],
    ]);
    expect(book.silences.silencedBy({ brand: "kryptonite", severity: "warning" }, T0)).toEqual([]);
    expect(await book.expire("now", T0)).toBe(false);
    // The file still loads: the expired silences keep endsAt after startsAt.
    expect((await SilenceBook.open(file)).silences.list(T0).map((s) => s.state)).toEqual([
      "expired",
      "expired",
    ]);
  });

  it("opens a missing file as no silences and creates it on the first change", async () => {
    const book = await SilenceBook.open(join(dir, "state", "silences.json"));
    expect(book.silences.list(T0)).toEqual([]);
    await book.add(recall, T0);
    expect(JSON.parse(await readFile(join(dir, "state", "silences.json"), "utf8"))).toHaveLength(1);
  });

  it("keeps silences in memory only without a path", async () => {
    const book = await SilenceBook.open(undefined);
    expect((await book.add(recall, T0)).ok).toBe(true);
    expect(book.silences.list(T0).map((s) => s.id)).toEqual(["recall"]);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses a file that is not JSON, naming the file", async () => {
    await writeFile(file, '[{"id": "a",');
    await expect(SilenceBook.open(file)).rejects.toThrow(`${file}: not valid JSON`);
  });

  it("refuses a file with a bad silence, naming the file and the field path", async () => {
    const good = { ...recall, matchers: ['brand="kryptonite"'] };
    await writeFile(file, JSON.stringify([good, { ...good, id: "b", endsAt: "soon" }]));
    await expect(SilenceBook.open(file)).rejects.toThrow(`${file}: [1].endsAt: expected a time`);

    await writeFile(file, JSON.stringify([{ ...good, matchers: ['brand=~"(unclosed"'] }]));
    await expect(SilenceBook.open(file)).rejects.toThrow(`${file}: [0].matchers[0]: invalid regex`);

    await writeFile(file, JSON.stringify([{ ...good, endsAt: "2026-03-06T08:00:00Z" }]));
    await expect(SilenceBook.open(file)).rejects.toThrow(
      `${file}: [0].endsAt: endsAt must be after startsAt`,
    );

    await writeFile(file, JSON.stringify({ silences: [] }));
    await expect(SilenceBook.open(file)).rejects.toThrow(`${file}: Invalid input: expected array`);
  });

  it("refuses an add that ends in the past or before it starts, and leaves the file as it was", async () => {
    const book = await SilenceBook.open(file);
    await book.add(recall, T0);
    const before = await readFile(file, "utf8");

    expect(await book.add({ ...recall, id: "past", startsAt: T0 - 2 * H, endsAt: T0 - H }, T0)).toEqual({
      ok: false,
      error: "endsAt: must be in the future",
    });
    expect(await book.add({ ...recall, id: "now", startsAt: T0 - H, endsAt: T0 }, T0)).toEqual({
      ok: false,
      error: "endsAt: must be in the future",
    });
    expect(await book.add({ ...recall, id: "backwards", startsAt: T0 + 2 * H, endsAt: T0 + H }, T0)).toEqual({
      ok: false,
      error: "endsAt: must be after startsAt",
    });
    expect(await book.add({ ...recall, id: "x", endsAt: "tomorrow" }, T0)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^endsAt: expected a time/) as unknown,
    });
    expect(await book.add({ ...recall, id: "x", comment: "" }, T0)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^comment: /) as unknown,
    });
    expect(await book.add({ ...recall, id: "x", extra: 1 }, T0)).toMatchObject({ ok: false });

    expect(book.silences.list(T0).map((s) => s.id)).toEqual(["recall"]);
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("refuses a silence whose matchers would match every alert (Alertmanager's rule)", async () => {
    const book = await SilenceBook.open(file);
    expect(await book.add({ ...recall, matchers: ['brand=~".*"', 'team!="x"'] }, T0)).toEqual({
      ok: false,
      error: "matchers: every matcher matches an empty label: this would silence every alert",
    });
    expect((await book.add({ ...recall, matchers: ['brand=~".+"'] }, T0)).ok).toBe(true);
  });

  it("undoes a change it could not save: memory and file never disagree", async () => {
    const book = await SilenceBook.open(join(dir, "missing-dir-is-a-file", "silences.json"));
    await writeFile(join(dir, "missing-dir-is-a-file"), "not a directory");
    await expect(book.add(recall, T0)).rejects.toThrow();
    expect(book.silences.list(T0)).toEqual([]);
  });

  it("gives a silence without an id a fresh one, starting now", async () => {
    const book = await SilenceBook.open(file);
    const input = { matchers: ['brand="kryptonite"'], endsAt: T0 + H, createdBy: "ana", comment: "drill" };
    const first = await book.add(input, T0);
    const second = await book.add(input, T0);
    if (!first.ok || !second.ok) throw new Error("refused");
    expect(first.silence.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.silence.id).not.toBe(first.silence.id);
    expect(first.silence.startsAt).toBe(T0);
    expect(book.silences.list(T0)).toHaveLength(2);
  });

  it("replaces the silence with the id given, in memory and in the file", async () => {
    const book = await SilenceBook.open(file);
    await book.add(recall, T0);
    const replaced = await book.add(
      { ...recall, matchers: ['brand="acme"'], endsAt: T0 + 5 * H, comment: "extended" },
      T0 + H,
    );
    expect(replaced.ok).toBe(true);

    for (const silences of [book.silences, (await SilenceBook.open(file)).silences]) {
      const all = silences.list(T0 + H);
      expect(all).toHaveLength(1);
      expect(plain(all[0] as Silence)).toMatchObject({
        id: "recall",
        matchers: [{ name: "brand", op: "=", value: "acme" }],
        endsAt: T0 + 5 * H,
        comment: "extended",
      });
    }
  });

  it("writes atomically: after many changes only the silences file is in the directory", async () => {
    const book = await SilenceBook.open(file);
    for (let i = 0; i < 5; i++) await book.add({ ...recall, id: `s${i}` }, T0);
    await book.expire("s0", T0 + 1);
    expect(await readdir(dir)).toEqual(["silences.json"]);
    expect(JSON.parse(await readFile(file, "utf8"))).toHaveLength(5);
  });

  it("drops silences that expired more than a week before a change", async () => {
    const book = await SilenceBook.open(file);
    await book.add({ ...recall, id: "old", endsAt: T0 + H }, T0);
    await book.add({ ...recall, id: "new", endsAt: T0 + 200 * H }, T0 + 170 * H);
    expect(book.silences.list(T0 + 170 * H).map((s) => s.id)).toEqual(["new"]);
    expect((await SilenceBook.open(file)).silences.get("old")).toBeUndefined();
  });
});
