// Property tests of mention validation on hostile values: anything at all, valid mentions with one
// field broken, prototype-pollution keys, huge strings, NaN-ish numbers, deep nesting. Never a throw;
// either a mention or one short error naming the field; valid mentions come back as they were sent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateMention, validateWithSchema } from "../src/ingest/mention-schema.js";

// One seed per run of the suite, so CI is repeatable; FC_SEED=<n> explores others.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });

const RUNS = { numRuns: 300 };
const TIMEOUT_MS = 10_000;
/** An error is read by a person in a 400 answer or a log line: it names the problem, not the input. */
const MAX_ERROR_CHARS = 2_000;

const noControl = (s: string) => s.replace(/\p{Cc}/gu, "") || "x";
const labelArb = fc.string({ unit: "binary", minLength: 1, maxLength: 60 }).map(noControl);
const countArb = fc.nat({ max: 10_000_000 });

/** ISO 8601 with an offset, on real calendar days (day ≤ 28 keeps every month real). */
const createdAtArb = fc
  .record({
    year: fc.integer({ min: 1970, max: 2100 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    offset: fc.constantFrom("Z", "+01:00", "-05:30", "+0200", "z"),
  })
  .map(({ year, month, day, hour, minute, second, offset }) => {
    const two = (n: number) => String(n).padStart(2, "0");
    return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${offset}`;
  });

/** A mention as design.md §2 describes it, optional fields present or not, unknown fields kept. */
const validArb = fc.record(
  {
    id: fc.string({ unit: "binary", minLength: 1, maxLength: 80 }),
    brand: labelArb,
    text: fc.string({ unit: "binary", maxLength: 300 }),
    channel: labelArb,
    created_at: createdAtArb,
    author: fc.record(
      { id: fc.string(), name: fc.string({ unit: "binary" }), followers: countArb },
      { requiredKeys: [] },
    ),
    url: fc.webUrl(),
    lang: fc.constantFrom("en", "fr", "und"),
    sentiment: fc.oneof(
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.constantFrom("negative", "neutral", "positive"),
    ),
    engagement: fc.record({ likes: countArb, shares: countArb, comments: countArb }, { requiredKeys: [] }),
    topics: fc.array(fc.string(), { maxLength: 5 }),
    in_reply_to: fc.string(),
    is_brand_reply: fc.boolean(),
    vendor_extra: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: ["id", "brand", "text", "channel", "created_at"] },
);

/** Values a careless or hostile sender puts in a field. */
const wrongArb = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1.5, Number.NaN, Infinity, -Infinity, "", [], {}, "\u0000"),
  fc.string({ unit: "binary" }),
  fc.anything({ maxDepth: 2 }),
);

function expectWellFormed(result: ReturnType<typeof validateMention>): void {
  if (result.ok) {
    expect(Number.isFinite(result.mention.time)).toBe(true);
    for (const field of ["id", "brand", "text", "channel", "created_at"] as const)
      expect(typeof result.mention[field]).toBe("string");
  } else {
    expect(typeof result.error).toBe("string");
    expect(result.error.length).toBeGreaterThan(0);
    expect(result.error.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
  }
}

describe("mention validation on arbitrary values", () => {
  it(
    "never throws on anything, and answers with a mention or a short error",
    () => {
      fc.assert(
        fc.property(
          fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true }),
          (value) => {
            expectWellFormed(validateMention(value));
          },
        ),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "accepts every valid mention and gives it back as sent, plus its event time",
    () => {
      fc.assert(
        fc.property(validArb, (sent) => {
          const wire = JSON.parse(JSON.stringify(sent)) as Record<string, unknown>;
          const result = validateMention(JSON.parse(JSON.stringify(sent)));
          expect(result).toMatchObject({ ok: true });
          if (!result.ok) return;
          expect(result.mention).toEqual({ ...wire, time: Date.parse(sent.created_at) });
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "refuses a valid mention with one field broken, naming that field",
    () => {
      const broken: Record<string, (v: unknown) => boolean> = {
        id: (v) => typeof v !== "string" || v === "",
        brand: (v) => typeof v !== "string" || v === "" || /\p{Cc}/u.test(v),
        channel: (v) => typeof v !== "string" || v === "" || /\p{Cc}/u.test(v),
        text: (v) => typeof v !== "string",
        created_at: (v) => typeof v !== "string" || Number.isNaN(Date.parse(v)) || !/T/.test(v),
        sentiment: (v) => v !== undefined && !(typeof v === "number" && v >= -1 && v <= 1),
        topics: (v) => v !== undefined && !Array.isArray(v),
        is_brand_reply: (v) => v !== undefined && typeof v !== "boolean",
      };
      fc.assert(
        fc.property(validArb, fc.constantFrom(...Object.keys(broken)), wrongArb, (sent, field, wrong) => {
          fc.pre(broken[field]!(wrong));
          const result = validateMention({ ...sent, [field]: wrong });
          expectWellFormed(result);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.error).toContain(field);
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "refuses a mention without one of its required fields, naming it",
    () => {
      const required = ["id", "brand", "text", "channel", "created_at"] as const;
      fc.assert(
        fc.property(validArb, fc.constantFrom(...required), (sent, field) => {
          const { [field]: _gone, ...rest } = sent;
          const result = validateMention(rest);
          expect(result.ok).toBe(false);
          if (!result.ok)
            expect(result.error).toMatch(new RegExp(`^${field} (is required|must be a string)`));
        }),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "lets no __proto__, constructor or prototype key change a prototype or smuggle a field past the schema",
    () => {
      const keyArb = fc.constantFrom("__proto__", "constructor", "prototype");
      const payloadArb = fc.record({
        sentiment: fc.constant(99),
        polluted: fc.constant("yes"),
        author: fc.constant({ followers: -5 }),
      });
      fc.assert(
        fc.property(
          validArb,
          keyArb,
          payloadArb,
          fc.constantFrom("top", "author", "engagement"),
          (sent, key, payload, where) => {
            // As JSON.parse builds it: "__proto__" an own key, exactly as it arrives over HTTP.
            const base = JSON.stringify({ ...sent, author: {}, engagement: {} });
            const injected = `"${key}":${JSON.stringify(payload)}`;
            const json =
              where === "top"
                ? `{${injected},${base.slice(1)}`
                : base.replace(`"${where}":{}`, `"${where}":{${injected}}`);
            const result = validateMention(JSON.parse(json));
            expectWellFormed(result);
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
            if (!result.ok) return;
            const mention = result.mention as Record<string, unknown>;
            expect(mention.polluted === "yes" && !Object.hasOwn(mention, "polluted")).toBe(false);
            if (where === "top" && !Object.hasOwn(sent, "sentiment"))
              expect(mention.sentiment).toBeUndefined();
            const author = mention.author as Record<string, unknown>;
            expect(author.followers === -5).toBe(false);
          },
        ),
        RUNS,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "answers quickly and briefly to huge strings, deep nesting and many keys",
    () => {
      const huge = (n: number) => "x".repeat(n);
      let deep: unknown = "leaf";
      for (let i = 0; i < 20_000; i++) deep = [deep];
      const manyKeys = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]));
      fc.assert(
        fc.property(
          validArb,
          fc.constantFrom("id", "brand", "channel", "created_at", "text", "topics", "vendor", "author"),
          fc.constantFrom<unknown>(huge(1_000_000), deep, manyKeys, [huge(100_000)], { name: deep }),
          (sent, field, value) => {
            const started = performance.now();
            const result = validateMention({ ...sent, [field]: value });
            expectWellFormed(result);
            expect(performance.now() - started).toBeLessThan(1_000);
          },
        ),
        { numRuns: 40 },
      );
    },
    TIMEOUT_MS,
  );

  it("refuses calendar days that do not exist instead of rolling them into the next month", () => {
    const good = { id: "a", brand: "b", text: "t", channel: "c" };
    for (const created_at of ["2026-02-29T10:00:00Z", "2026-02-30T10:00:00Z", "2026-04-31T10:00:00+02:00"]) {
      const result = validateMention({ ...good, created_at });
      expect(result).toEqual({ ok: false, error: `created_at is not a real date: "${created_at}"` });
    }
    expect(validateMention({ ...good, created_at: "2028-02-29T10:00:00Z" }).ok).toBe(true);
  });

  it(
    "answers exactly as the zod schema does: the hand-written fast check never accepts what zod refuses",
    () => {
      const countish = fc.oneof(countArb, fc.constantFrom(-1, 1.5, 2 ** 53, 1e300, "3", null));
      const fieldArb = fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: wrongArb },
        { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 250 }) },
      );
      const nearlyValid = fc
        .tuple(
          validArb,
          fc.dictionary(
            fc.constantFrom("id", "brand", "channel", "text", "created_at", "url", "lang", "sentiment"),
            fieldArb,
          ),
          fc.record({ followers: countish, likes: countish }, { requiredKeys: [] }),
        )
        .map(([sent, fields, counts]) => ({
          ...sent,
          ...fields,
          ...(counts.followers === undefined ? {} : { author: { followers: counts.followers } }),
          ...(counts.likes === undefined ? {} : { engagement: { likes: counts.likes } }),
        }));
      fc.assert(
        fc.property(fc.oneof(validArb, nearlyValid, fc.anything({ maxDepth: 2 })), (value) => {
          const wire = JSON.parse(JSON.stringify(value ?? null)) as unknown;
          expect(validateMention(wire)).toEqual(validateWithSchema(wire));
        }),
        { numRuns: 2_000 },
      );
    },
    TIMEOUT_MS,
  );
});
