// isoInstant reads the common ISO 8601 form digit by digit instead of calling Date.parse: it must give
// Date.parse's instant for every such text on a real day, and NaN (so that the caller falls back to
// Date.parse) for everything else.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoInstant } from "../src/util/iso-instant.js";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });

const two = (n: number) => String(n).padStart(2, "0");

/** The fast form with any field value, real days and impossible ones alike. */
const fastFormArb = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.oneof(fc.constant(""), fc.stringMatching(/^\.\d{1,3}$/)),
    offset: fc.oneof(
      fc.constant("Z"),
      fc
        .record({
          sign: fc.constantFrom("+", "-"),
          h: fc.integer({ min: 0, max: 25 }),
          m: fc.integer({ min: 0, max: 61 }),
        })
        .map(({ sign, h, m }) => `${sign}${two(h)}:${two(m)}`),
    ),
  })
  .map(
    ({ year, month, day, hour, minute, second, fraction, offset }) =>
      `${String(year).padStart(4, "0")}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${fraction}${offset}`,
  );

/** Date.parse, with the calendar check validateMention adds (Date.parse rolls 02-30 over to March). */
function reference(text: string): number {
  const [year, month, day] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)].map(Number);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year as number, (month as number) - 1, day as number);
  const real = date.getUTCMonth() === (month as number) - 1 && date.getUTCDate() === day;
  return real ? Date.parse(text) : NaN;
}

describe("isoInstant", () => {
  it("gives Date.parse's instant for the common form on a real day, and NaN on any other day or time", () => {
    fc.assert(
      fc.property(fastFormArb, (text) => {
        const expected = reference(text);
        // Date.parse accepts some out-of-range forms (24:00) that isoInstant leaves to it: NaN there is fine.
        const got = isoInstant(text);
        if (Number.isNaN(got)) {
          const [hour, minute, second] = [text.slice(11, 13), text.slice(14, 16), text.slice(17, 19)].map(
            Number,
          );
          const inRange = (hour as number) <= 23 && (minute as number) <= 59 && (second as number) <= 59;
          const offset = /([+-])(\d\d):(\d\d)$/.exec(text);
          const offsetInRange = !offset || (Number(offset[2]) <= 23 && Number(offset[3]) <= 59);
          expect(Number.isNaN(expected) || !inRange || !offsetInRange, text).toBe(true);
        } else expect(got, text).toBe(expected);
      }),
      { numRuns: 20_000 },
    );
  });

  it("reads the edges exactly", () => {
    for (const text of [
      "1970-01-01T00:00:00Z",
      "2024-02-29T23:59:59.999Z",
      "2000-02-29T12:00:00+14:00",
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59.9-23:59",
      "2026-11-23T08:00:00.05+01:00",
      "1969-12-31T23:59:59.5Z",
    ])
      expect(isoInstant(text), text).toBe(Date.parse(text));
    expect(isoInstant("2026-11-23T08:00:00.05+01:00")).toBe(Date.parse("2026-11-23T07:00:00.050Z"));
  });

  it("leaves every other form to Date.parse", () => {
    for (const text of [
      "2023-02-29T00:00:00Z", // not a leap year
      "1900-02-29T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-11-23T08:00Z", // no seconds
      "2026-11-23T08:00:00.1234Z", // more than milliseconds
      "2026-11-23T08:00:00+0100", // offset without a colon
      "2026-11-23t08:00:00z",
      "2026-11-23T08:00:00",
      "2026-11-23T08:00:00Z ",
      "2026-11-23 08:00:00Z",
      "+02026-11-23T08:00:00Z",
      "2026-1a-23T08:00:00Z",
      "2026-11-23T08:00:00.Z",
      "",
    ])
      expect(isoInstant(text), text).toBeNaN();
  });
});
