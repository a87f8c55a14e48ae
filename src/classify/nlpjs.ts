// Typed, lazy access to the NLP.js parts we score with; the packages are untyped CommonJS.
import { createRequire } from "node:module";
import type { ScoredLanguage } from "./language.js";

// Loaded with require on first use rather than imported: commands such as `tocsin validate` never
// classify anything, and the French lexicon alone is 2k entries of JSON.
const require = createRequire(import.meta.url);

/** Word (or stem) → valence in [-1, 1]. */
export type Lexicon = Record<string, number>;

/** The `sentimentDictionary` that SentimentAnalyzer.calculate reads (@nlpjs/sentiment, sentiment-analyzer.js). */
export interface SentimentDictionary {
  /** Only echoed in the output; calculate() treats every type alike. */
  type: "afinn" | "pattern" | "senticon";
  dictionary: Lexicon;
  /** Tokens after which calculate() counts every later token of the list with the opposite sign. */
  negations: string[];
  stemmed: boolean;
}

interface CalculateOutput {
  sentiment: { score: number; numWords: number; numHits: number };
}

/** The synchronous core of SentimentAnalyzer; its `process()` wraps it in async pipeline steps. */
export interface SentimentCalculator {
  calculate(input: {
    locale: string;
    tokens: string[];
    sentimentDictionary: SentimentDictionary;
  }): CalculateOutput;
}

export interface Normalizer {
  /** NFD, diacritics stripped, lower case. */
  normalize(text: string): string;
}

export interface Tokenizer {
  /** Splits already-normalised text; unlike `tokenize()` it does not memoise every text it is given. */
  innerTokenize(text: string): string[];
  /** tokenizer-en only: expands contractions typed with a straight apostrophe ("n't" → " not "). */
  replace?(text: string): string;
}

export interface Stemmer {
  stemWord(word: string): string;
  stemWords(words: string[]): string[];
  /** stemWord's memo, keyed ".word"; it never evicts, so its owner has to clear it. */
  cache: Record<string, string>;
}

/** Everything one language needs to go from text to the library's sentiment score. */
export interface NlpjsLanguage {
  normalizer: Normalizer;
  tokenizer: Tokenizer;
  stemmer: Stemmer;
  analyzer: SentimentCalculator;
  /** The language package's own lexicon (`sentiment-xx`): empty in @nlpjs/lang-en-min. */
  sentiment: { pattern?: Lexicon; senticon?: Lexicon; afinn?: Lexicon; negations: { words: string[] } };
}

const PACKAGES: Record<ScoredLanguage, { name: string; export: string }> = {
  en: { name: "@nlpjs/lang-en-min", export: "LangEn" },
  fr: { name: "@nlpjs/lang-fr", export: "LangFr" },
};

/** Builds a container holding the language's normaliser, tokenizer, stemmer and lexicon, and an analyzer. */
export function loadNlpjsLanguage(lang: ScoredLanguage): NlpjsLanguage {
  const { Container } = require("@nlpjs/core");
  const { SentimentAnalyzer } = require("@nlpjs/sentiment");
  const pkg = PACKAGES[lang];
  const container = new Container();
  container.use(require(pkg.name)[pkg.export]);
  return {
    normalizer: container.get(`normalizer-${lang}`),
    tokenizer: container.get(`tokenizer-${lang}`),
    stemmer: container.get(`stemmer-${lang}`),
    analyzer: new SentimentAnalyzer({ container }),
    sentiment: container.get(`sentiment-${lang}`),
  };
}
