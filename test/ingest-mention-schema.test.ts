import { describe, expect, it } from "vitest";
import { validateMention } from "../src/ingest/mention-schema.js";

const good = {
  id: "tw-1",
  brand: "kryptonite",
  text: "my lock opened with a pen",
  channel: "twitter",
  created_at: "2026-03-02T10:00:00+01:00",
};

describe("mention validation", () => {
  it("accepts the design's fields, keeps unknown ones and derives event time from the offset", () => {
    const result = validateMention({
      ...good,
      author: { id: "u1", followers: 12 },
      sentiment: -0.4,
      vendor_field: 7,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.mention.time).toBe(Date.parse("2026-03-02T09:00:00Z"));
    expect(result.mention.vendor_field).toBe(7);
  });

  it.each([
    [{ ...good, id: undefined }, "id is required and must be a string"],
    [{ ...good, brand: "" }, "brand must not be empty"],
    [{ ...good, created_at: "2026-03-02 10:00" }, "created_at must be an ISO 8601 date-time with an offset"],
    [
      { ...good, created_at: "2026-03-02T10:00:00" },
      "created_at must be an ISO 8601 date-time with an offset",
    ],
    [{ ...good, created_at: "2026-13-45T10:00:00Z" }, "created_at is not a real date"],
    [
      { ...good, sentiment: 3 },
      "sentiment must be a number in [-1, 1] or one of negative, neutral, positive",
    ],
    [
      { ...good, sentiment: "angry" },
      "sentiment must be a number in [-1, 1] or one of negative, neutral, positive",
    ],
    [{ ...good, author: { followers: -1 } }, "author.followers must not be negative"],
    [{ ...good, channel: "a\u0000b" }, "channel must not contain control characters"],
    [{ ...good, channel: "all" }, `channel "all" is reserved for a brand's total series`],
    [[good], "expected a JSON object (one mention)"],
    ["text", "expected a JSON object (one mention)"],
  ])("rejects %j with a reason a person can act on", (value, reason) => {
    const result = validateMention(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it("tells a real day from a rolled-over one the same way in every ISO form, years below 100 included", () => {
    // With seconds (read digit by digit) and without (Date.parse): one calendar for both.
    for (const [date, real] of [
      ["2024-02-29", true],
      ["2023-02-29", false],
      ["2026-04-31", false],
      ["0000-02-29", true], // year 0 is a leap year, as 400 and 2000 are
      ["0100-02-29", false],
    ] as const) {
      for (const time of ["T10:00:00Z", "T10:00Z"]) {
        const result = validateMention({ ...good, created_at: `${date}${time}` });
        expect(result.ok, `${date}${time}`).toBe(real);
        if (result.ok) expect(result.mention.time).toBe(Date.parse(`${date}${time}`));
      }
    }
  });

  it("names every bad field at once", () => {
    const result = validateMention({ ...good, brand: 1, text: undefined });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toBe("brand must be a string; text is required and must be a string");
  });

  it("tells a missing brand or channel from one of the wrong type", () => {
    const { brand: _brand, channel: _channel, ...rest } = good;
    const result = validateMention({ ...rest, channel: 7 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toBe("brand is required; channel must be a string");
  });
});
