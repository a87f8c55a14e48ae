// readCsvSeries reads the plain NAB layout by hand and everything else through csv-parse: both
// paths must give the same rows, and the hand-read timestamps the same times as Date.parse.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTimestamp, readCsvSeries } from "../src/backtest/csv-series.js";

const dir = await mkdtemp(join(tmpdir(), "tocsin-csv-plain-"));
let files = 0;

async function read(text: string) {
  const path = join(dir, `f${files++}.csv`);
  await writeFile(path, text);
  return readCsvSeries(path, "f.csv");
}

const PLAIN =
  "timestamp,value\n2015-02-26 21:42:53,104\n2015-02-26 21:47:53,0.5\n\n2015-02-26 21:52:53,1e3\n";

describe("readCsvSeries", () => {
  it("reads a plain file as csv-parse reads the same rows written otherwise", async () => {
    const plain = await read(PLAIN);
    expect(plain.rows).toEqual([
      { time: Date.parse("2015-02-26T21:42:53Z"), timestamp: "2015-02-26 21:42:53", value: 104 },
      { time: Date.parse("2015-02-26T21:47:53Z"), timestamp: "2015-02-26 21:47:53", value: 0.5 },
      { time: Date.parse("2015-02-26T21:52:53Z"), timestamp: "2015-02-26 21:52:53", value: 1000 },
    ]);
    // Each of these leaves the plain path: CRLF, quotes, spaces to trim.
    for (const variant of [
      PLAIN.replaceAll("\n", "\r\n"),
      PLAIN.replace("104", '"104"'),
      PLAIN.replace(",0.5", ", 0.5 ").replace("2015-02-26 21:52:53", " 2015-02-26 21:52:53"),
    ]) {
      expect((await read(variant)).rows).toEqual(plain.rows);
    }
  });

  it("leaves other timestamp layouts and bad rows to the general path and its errors", async () => {
    const iso = await read("timestamp,value\n2015-02-26T21:42:53+01:00,1\n2015-02-26 21:47,2\n");
    expect(iso.rows.map((row) => row.time)).toEqual([
      Date.parse("2015-02-26T20:42:53Z"),
      Date.parse("2015-02-26T21:47:00Z"),
    ]);
    await expect(read("timestamp,value\n2015-02-26 21:42:53,1\n2015-02-26 21:47:53,x\n")).rejects.toThrow(
      /f\d+\.csv:3: value "x" is not a number/,
    );
    await expect(read("timestamp,value\n2015-02-26 21:42:53,1,2\n")).rejects.toThrow();
    await expect(read("timestamp,value\n2015-02-26 21:47:53,1\n2015-02-26 21:42:53,2\n")).rejects.toThrow(
      /:3: timestamps must be strictly ascending/,
    );
  });

  it("reads NAB timestamps digit by digit as Date.parse reads them, odd fields included", () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
    const stamp = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        two(19),
        two(39),
        two(29),
        two(69),
        two(69),
        fc.constantFrom(" ", "T"),
      )
      .map(
        ([year, month, day, hour, minute, second, separator]) =>
          `${String(year).padStart(4, "0")}-${month}-${day}${separator}${hour}:${minute}:${second}`,
      );
    fc.assert(
      fc.property(stamp, (text) => {
        expect(parseTimestamp(text)).toBe(Date.parse(`${text.replace(" ", "T")}Z`));
      }),
      { numRuns: 5_000 },
    );
  });
});
