// The shortcuts of term counting (it runs for every negative text kept) must give exactly what the
// plain versions gave: termsOf tests characters before it runs its regexes (checked on the demo's
// texts and on random strings built from the characters each shortcut looks at), and mostUsed sorts
// only the terms it keeps.
import { describe, expect, it } from "vitest";
import { generateMentions } from "../examples/demo/scenario.js";
import { mostUsed } from "../src/aggregate/key-tally.js";
import { normaliseLink, STOP_WORDS, termsOf } from "../src/aggregate/terms.js";
import { seededRandom } from "./helpers/seeded-random.js";

/** termsOf as it was: the same regexes run on every token. */
function reference(text: string): string[] {
  const TOKEN = /[#@]?[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_-]*/gu;
  const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
  const ELISION = /^(?:[cdjlmnst]|qu)['’](?=\p{L})/u;
  const BREAK = /[.!?;:,()[\]{}"«»…|]/u;
  const DIGITS = /^#?[\p{N}'’_-]+$/u;
  const links: string[] = [];
  const clean =
    text.includes("http") || text.includes("www.")
      ? text.replace(LINK, (raw) => {
          const link = normaliseLink(raw);
          if (link !== undefined) links.push(link);
          return " | ";
        })
      : text;
  const terms = new Set<string>();
  const lower = clean.toLowerCase();
  let previous: string | undefined;
  let end = 0;
  for (const match of lower.matchAll(TOKEN)) {
    if (previous !== undefined && BREAK.test(lower.slice(end, match.index))) previous = undefined;
    end = match.index + match[0].length;
    const token = match[0].replace(ELISION, "").replace(/['’_-]+$/, "");
    if (token.startsWith("@")) {
      previous = undefined;
      continue;
    }
    const hashtag = token.startsWith("#");
    if (token.length < (hashtag ? 3 : 2) || DIGITS.test(token) || STOP_WORDS.has(token)) {
      previous = undefined;
      continue;
    }
    terms.add(token);
    if (hashtag) {
      previous = undefined;
      continue;
    }
    if (previous !== undefined) terms.add(`${previous} ${token}`);
    previous = token;
  }
  for (const link of links) terms.add(link);
  return [...terms];
}

const texts = [...generateMentions()].filter((_, n) => n % 3 === 0).map((mention) => mention.text);

/** Letters of several scripts, digits (one astral), marks, joiners, breaks, handles, hashtags. */
const ALPHABET = [
  ..."abcdlmnqstuz ÉéçàœДжω中",
  "\u0301", // combining acute
  ..."0123456789",
  "𝟏", // MATHEMATICAL BOLD DIGIT ONE: \p{N} outside the BMP
  "😡",
  "𝐀", // MATHEMATICAL BOLD CAPITAL A: \p{L} outside the BMP
  "\ud800", // a lone surrogate
  "\u0300\u0301", // marks with no letter before them
  ..."'’_-#@",
  ...' .!?;:,()[]{}"«»…|\n\t',
  "http://x.example/a ",
  "www.y.example ",
  "qu'",
  "l’",
  "the ",
  "pas ",
];

function randomText(random: () => number): string {
  const length = Math.floor(random() * 40);
  let text = "";
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

describe("termsOf with its character shortcuts", () => {
  it("gives the regex version's terms for every demo text", () => {
    expect(texts.length).toBeGreaterThan(5_000);
    for (const text of texts) expect(termsOf(text), text).toEqual(reference(text));
  });

  it("gives the regex version's terms for random strings of the characters the shortcuts test", () => {
    const random = seededRandom(8);
    for (let i = 0; i < 20_000; i++) {
      const text = randomText(random);
      expect(termsOf(text), JSON.stringify(text)).toEqual(reference(text));
    }
  });
});

describe("mostUsed", () => {
  it("keeps what a stable sort by count then a cut to k keeps, in the same order", () => {
    const random = seededRandom(11);
    for (let round = 0; round < 2_000; round++) {
      const counts = new Map<string, number>();
      const size = 1 + Math.floor(random() * 120);
      for (let i = 0; i < size; i++) counts.set(`t${i}`, 1 + Math.floor(random() * random() * 12));
      const k = 1 + Math.floor(random() * size);
      const expected = [...counts].sort((a, b) => b[1] - a[1]).slice(0, k);
      expect([...mostUsed(counts, k)], `round ${round}`).toEqual(expected);
    }
  });
});
