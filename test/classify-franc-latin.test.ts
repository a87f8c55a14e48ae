// francEnglishOrFrench is a shortcut through franc-min for Latin text: it must answer exactly as franc does.
import { franc } from "franc-min";
import { expressions } from "franc-min/expressions.js";
import { describe, expect, it } from "vitest";
import { generateMentions } from "../examples/demo/scenario.js";
import { LATIN_OR_NEUTRAL, francEnglishOrFrench } from "../src/classify/franc-latin.js";

const only = ["eng", "fra"];
// Every 5th demo mention, as guessLanguage hands it over (links, handles and hashtags cut) and raw.
const demo = [...generateMentions()]
  .filter((_, n) => n % 5 === 0)
  .flatMap(({ text }) => [text, text.replace(/https?:\/\/\S+|[@#][\w-]+/g, " ").trim()]);
const EDGE_CASES = [
  "",
  "short",
  "1234567890 !!! ???",
  "★★★★★ 🔥🔥🔥 👍👍",
  "Привет, как дела? Всё хорошо",
  "Отличный сервис, thanks a lot for the help",
  "こんにちは、元気ですか 🈀 great service here",
  "🈀🈀🈀🈀🈀 fine fine fine",
  "ÉNORME DÉCEPTION ǅ ß ﬁ İstanbul naïve",
  "a   \u00a0\u2003 tabs\tand\nlines\u2028here",
  `${"x".repeat(2047)}🔥 and the rest is ignored`,
  `${"le service est nul ".repeat(150)}`,
];

/** Code points (as strings) the LATIN_OR_NEUTRAL pattern admits, and the lone surrogates a slice can leave. */
function admitted(): string[] {
  const chars: string[] = [];
  const add = (from: number, to: number) => {
    for (let cp = from; cp <= to; cp++) chars.push(String.fromCodePoint(cp));
  };
  add(0x0000, 0x024f);
  add(0x2000, 0x2125);
  add(0x2127, 0x2bff);
  add(0xfe0f, 0xfe0f);
  add(0x1f000, 0x1f1ff);
  add(0x1f201, 0x1fbff);
  for (let unit = 0xdc00; unit <= 0xdfff; unit++) chars.push(String.fromCharCode(unit));
  for (let unit = 0xd83c; unit <= 0xd83e; unit++) chars.push(String.fromCharCode(unit));
  return chars;
}

describe("franc shortcut for Latin text", () => {
  it("admits only characters that no script expression of franc but Latin matches", () => {
    const others = Object.entries(expressions)
      .filter(([script]) => script !== "Latin")
      .map(([script, expression]) => [script, new RegExp(expression.source)] as const);
    expect(others.length).toBeGreaterThan(10);
    const matched: string[] = [];
    for (const char of admitted()) {
      for (const [script, expression] of others) {
        if (expression.test(char)) matched.push(`${script} U+${char.codePointAt(0)?.toString(16)}`);
      }
    }
    expect(matched).toEqual([]);
    expect(LATIN_OR_NEUTRAL.test("🈀")).toBe(false);
    expect(LATIN_OR_NEUTRAL.test("\u2126")).toBe(false);
    expect(LATIN_OR_NEUTRAL.test("★ 🔥 é ✨ …")).toBe(true);
  });

  it("answers as franc-min does on demo texts and edge cases", () => {
    expect(demo.length).toBeGreaterThan(8_000);
    for (const text of [...EDGE_CASES, ...demo]) {
      const expected = franc(text, { only });
      if (francEnglishOrFrench(text) !== expected) {
        expect({ text, guess: francEnglishOrFrench(text) }).toEqual({ text, guess: expected });
      }
    }
  });
});
