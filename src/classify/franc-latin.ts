// franc-min's choice between English and French, computed directly when the text is plainly Latin script:
// the same answer for a fraction of the cost (franc was four fifths of a language guess, ~55 µs a call).
import { franc } from "franc-min";
import { data } from "franc-min/data.js";
import { expressions } from "franc-min/expressions.js";

export type FrancGuess = "eng" | "fra" | "und";

const ONLY = ["eng", "fra"];
// franc-min 6's constants (index.js): it reads at most MAX_LENGTH characters, says "und" under
// MIN_LENGTH, and charges MAX_DIFFERENCE for a trigram its model lacks.
const MAX_LENGTH = 2048;
const MIN_LENGTH = 10;
const MAX_DIFFERENCE = 300;

/**
 * Text made only of these code units is matched by none of franc's script expressions but Latin's:
 * ASCII and Latin-1/Extended, punctuation and symbols (★, arrows, dingbats) and emoji, except Ω (U+2126)
 * and U+1F200, which franc counts as Greek and Japanese. test/classify-franc-latin.test.ts checks this
 * against franc-min's own expressions, code point by code point. Such text, with at least one Latin
 * letter, is Latin to franc. Code units, not code points (no u flag), as in franc's expressions: the
 * controls are part of ASCII, and the surrogate classes match the two halves of an emoji.
 */
export const LATIN_OR_NEUTRAL =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class
  /^(?:[\u0000-\u024F\u2000-\u2125\u2127-\u2BFF\uFE0F]|(?!\uD83C\uDE00)[\uD83C-\uD83E][\uDC00-\uDFFF])*$/;
const LATIN_LETTER = new RegExp(expressions.Latin?.source ?? "$^");

/** Trigram → rank in franc's model for the language (the first rank when a trigram repeats, as franc). */
function ranks(model: string): Map<string, number> {
  const rank = new Map<string, number>();
  model.split("|").forEach((trigram, index) => {
    if (!rank.has(trigram)) rank.set(trigram, index);
  });
  return rank;
}

// In franc's order, which decides ties.
const MODELS = Object.entries(data.Latin ?? {})
  .filter(([language]) => ONLY.includes(language))
  .map(([language, model]) => ({ language: language as FrancGuess, ranks: ranks(model) }));

/**
 * `franc(text, { only: ["eng", "fra"] })`. For Latin text this is franc's own arithmetic without its
 * detours: twenty script regexes each building an array of matches, and a trigram object sorted for
 * nothing (the distance is a sum over trigrams, so their order does not matter). Anything else goes to franc.
 */
export function francEnglishOrFrench(text: string): FrancGuess {
  const value = text.slice(0, MAX_LENGTH);
  if (value.length < MIN_LENGTH || !LATIN_OR_NEUTRAL.test(value) || !LATIN_LETTER.test(value)) {
    return franc(text, { only: ONLY }) as FrancGuess;
  }
  // trigram-utils' clean() and trigrams(): digits and ASCII punctuation become spaces, white space is
  // collapsed and trimmed, lower case, padded with one space each side.
  const cleaned = ` ${value
    .replace(/[\u0021-\u0040]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase()} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + 3 <= cleaned.length; i++) {
    const trigram = cleaned.slice(i, i + 3);
    counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  let guess: FrancGuess = "und";
  let least = Number.POSITIVE_INFINITY;
  for (const { language, ranks } of MODELS) {
    let distance = 0;
    for (const [trigram, count] of counts) {
      const rank = ranks.get(trigram);
      distance += rank === undefined ? MAX_DIFFERENCE : Math.abs(count - rank - 1);
    }
    // Strictly less: on a tie franc's stable sort keeps the first language.
    if (distance < least) {
      least = distance;
      guess = language;
    }
  }
  return guess;
}
