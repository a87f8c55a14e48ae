// The fused scorer of lexicon.ts must give exactly what NLP.js's own steps give (normalise, innerTokenize,
// stemWords, SentimentAnalyzer.calculate per clause): it exists only to be faster.
import { describe, expect, it } from "vitest";
import { generateMentions } from "../examples/demo/scenario.js";
import type { ScoredLanguage } from "../src/classify/language.js";
import { LEXICON_PATCHES } from "../src/classify/lexicon-patch.js";
import { normaliseValence, scoreText } from "../src/classify/lexicon.js";
import { loadNlpjsLanguage } from "../src/classify/nlpjs.js";
import { labelForScore } from "../src/classify/thresholds.js";
import { buildDictionary } from "../src/classify/word-valences.js";

/** The scorer as it was before it was fused: the library's tokenizer, stemmer and calculate(). */
function referenceScorer(lang: ScoredLanguage): (text: string) => number {
  const nlp = loadNlpjsLanguage(lang);
  const sentimentDictionary = buildDictionary(lang, nlp, LEXICON_PATCHES[lang]);
  const { normalizer, tokenizer, stemmer, analyzer } = nlp;
  const clauseScore = (tokens: string[]) =>
    analyzer.calculate({ locale: lang, tokens, sentimentDictionary }).sentiment.score;
  return (text) => {
    const words = text.replace(/https?:\/\/\S+|www\.\S+|@[\p{L}\p{N}_]+|#/gu, " ").replace(/[’‘]/g, "'");
    const marked = normalizer
      .normalize(words)
      .replace(/[.,;:!?…()[\]|\n]+|\b(?:but|however|mais|cependant|pourtant)\b/g, " | ");
    let tokens = tokenizer.innerTokenize(marked);
    if (sentimentDictionary.stemmed) tokens = stemmer.stemWords(tokens);
    let sum = 0;
    let start = 0;
    for (let i = 0; i <= tokens.length; i++) {
      if (i < tokens.length && tokens[i] !== "|") continue;
      if (i > start) sum += clauseScore(tokens.slice(start, i));
      start = i + 1;
    }
    return normaliseValence(sum);
  };
}

const reference = { en: referenceScorer("en"), fr: referenceScorer("fr") };

// Every 5th demo mention: everyday talk of both brands and the crisis, in both languages.
const texts = [...generateMentions()].filter((_, n) => n % 5 === 0).map((mention) => mention.text);

// Contractions, elisions, negation scope, words that are Object.prototype keys, stray separators.
const EDGE_CASES = [
  "I cannot recommend it, gonna cancel, wanna love it",
  "It isn't bad. It's not good either! Don't, won't, can't, they're, we've, I'm, he'd, you'll",
  "it'sn't what I'd've wanted",
  "Not bad | but terrible… and (not) great [no] love",
  "constructor toString __proto__ hasOwnProperty valueOf",
  "J’adore, c’est nul, ce n’est pas génial, je n'aime pas, sans problème, ni bien ni mal",
  "Pas de souci mais une arnaque, cependant top ; pourtant nul",
  "#fail #honte @support https://t.co/xyz www.example.com/promo great",
  "ÉNORME DÉCEPTION!!! İstanbul ǅ ß ﬁ",
  "",
  "   ",
  "|||",
];

describe("fused lexicon scorer", () => {
  it.each(["en", "fr"] as const)("scores %s texts exactly as the library's own steps do", (lang) => {
    expect(texts.length).toBeGreaterThan(4_000);
    for (const text of [...EDGE_CASES, ...texts]) {
      const expected = reference[lang](text);
      const { label, score } = scoreText(text, lang);
      if (Math.abs(score - expected) > 1e-12 || label !== labelForScore(expected)) {
        expect({ text, label, score }).toEqual({ text, label: labelForScore(expected), score: expected });
      }
    }
  });
});
