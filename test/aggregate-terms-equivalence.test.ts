// The shortcuts of term counting (it runs for every negative text kept) must give exactly what the
// plain versions gave: scanTerms (read through termsOf) tests characters before it runs its regexes
// (checked on the demo's texts and on random strings built from the characters each shortcut looks
// at), mostUsedIds sorts only the terms it keeps, and a TermTable counts a window's keys by number as
// counting by name did.
import { describe, expect, it } from "vitest";
import { generateMentions } from "../examples/demo/scenario.js";
import { mostUsedIds, TermCounts, TermTable } from "../src/aggregate/term-table.js";
import { normaliseLink, STOP_WORDS } from "../src/aggregate/terms.js";
import { termsOf } from "./helpers/terms-of.js";
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

describe("mostUsedIds", () => {
  it("keeps what a stable sort by count then a cut to k keeps, in the same order", () => {
    const random = seededRandom(11);
    for (let round = 0; round < 2_000; round++) {
      const size = 1 + Math.floor(random() * 120);
      const counts = Array.from({ length: size }, () => 1 + Math.floor(random() * random() * 12));
      // Ids in any order: ties keep the order given, not the ids' order.
      const ids = counts.map((_, id) => id).sort(() => random() - 0.5);
      const k = 1 + Math.floor(random() * size);
      const expected = [...ids].sort((a, b) => (counts[b] as number) - (counts[a] as number)).slice(0, k);
      expect(mostUsedIds(ids, counts, k), `round ${round}`).toEqual(expected);
    }
  });
});

/** Counting by name, as the keys did before TermTable: the k most used, ties first seen. */
function countByName(texts: readonly string[], k: number): { terms: [string, number][]; total: number } {
  const all = new Map<string, number>();
  let total = 0;
  for (const text of texts) {
    const terms = termsOf(text);
    total += terms.length;
    for (const term of terms) all.set(term, (all.get(term) ?? 0) + 1);
  }
  const entries = [...all];
  return { terms: entries.length <= k ? entries : entries.sort((a, b) => b[1] - a[1]).slice(0, k), total };
}

describe("TermTable", () => {
  it("numbers each text's terms in termsOf's order", () => {
    const table = new TermTable();
    const random = seededRandom(12);
    for (let i = 0; i < 5_000; i++) {
      const text = random() < 0.5 ? (texts[i] as string) : randomText(random);
      const terms = termsOf(text);
      // Counting one text with a k above its term count lists its terms in order, each counted once.
      expect([...table.count([text], terms.length).terms.keys()], JSON.stringify(text)).toEqual(terms);
    }
  });

  it("counts keys sharing one table as each key counted by name on its own, window after window", () => {
    const random = seededRandom(13);
    // One table reset between windows, as the evidence store keeps it.
    const table = new TermTable();
    for (let round = 0; round < 200; round++) {
      // One brand's window: a few channel keys and the brand-wide key, texts shared between them,
      // repeated texts (retweets) and a k that sometimes cuts.
      table.reset();
      const pick = (): string =>
        random() < 0.7 ? (texts[Math.floor(random() * 400)] as string) : randomText(random);
      const keys = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        Array.from({ length: Math.floor(random() * 30) }, pick),
      );
      keys.push(keys.flat());
      for (const keyTexts of keys) {
        const k = 1 + Math.floor(random() * 60);
        const counted = table.count(keyTexts, k);
        expect({ terms: [...counted.terms], total: counted.total }, `round ${round}`).toEqual(
          countByName(keyTexts, k),
        );
      }
    }
  });
});

describe("TermCounts", () => {
  it("reads as the Map of the same entries", () => {
    const entries: [string, number][] = [
      ["vélo", 4],
      ["#lockgate", 3],
      ["stylo bic", 3],
      ["x.example/a", 1],
    ];
    const counts = new TermCounts(
      entries.map(([term]) => term),
      entries.map(([, count]) => count),
    );
    const map = new Map(entries);
    expect(counts.size).toBe(map.size);
    expect([...counts]).toEqual([...map]);
    expect([...counts.entries()]).toEqual([...map.entries()]);
    expect([...counts.keys()]).toEqual([...map.keys()]);
    expect([...counts.values()]).toEqual([...map.values()]);
    for (const term of ["vélo", "stylo bic", "x.example/a", "absent", ""]) {
      expect(counts.get(term), term).toBe(map.get(term));
      expect(counts.has(term), term).toBe(map.has(term));
    }
    const visited: [string, number][] = [];
    counts.forEach((count, term, self) => {
      expect(self).toBe(counts);
      visited.push([term, count]);
    });
    expect(visited).toEqual(entries);
  });
});
