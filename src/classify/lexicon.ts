// Scores French or English text with the NLP.js sentiment analyzer, synchronously, one mention at a time.
import type { ScoredLanguage } from "./language.js";
import { LEXICON_PATCHES } from "./lexicon-patch.js";
import { loadNlpjsLanguage } from "./nlpjs.js";
import type { Sentiment } from "./provider-sentiment.js";
import { DEFAULT_THRESHOLDS, labelForScore, type SentimentThresholds } from "./thresholds.js";
import { buildDictionary } from "./word-valences.js";

/** Sum of the library's word valences over a text, before normalisation to [-1, 1]. */
type ValenceSum = (text: string) => number;

// One scorer per language, built on first use and kept for the life of the process.
const scorers: Partial<Record<ScoredLanguage, ValenceSum>> = {};

/** Scores a text in one of our two languages: a score in [-1, 1] and its label under the thresholds. */
export function scoreText(
  text: string,
  lang: ScoredLanguage,
  thresholds: Partial<SentimentThresholds> = DEFAULT_THRESHOLDS,
): Sentiment {
  let scorer = scorers[lang];
  if (scorer === undefined) {
    scorer = createScorer(lang);
    scorers[lang] = scorer;
  }
  const score = normaliseValence(scorer(text));
  return { label: labelForScore(score, thresholds), score };
}

// VADER's compound score (Hutto & Gilbert 2014; vaderSentiment's `normalize`) maps a valence sum x to
// x / sqrt(x² + 15) for word valences in [-4, 4]. Our lexicons use [-1, 1], a quarter of that scale, which
// is the same curve with alpha = 15 / 16: one mild word stays about itself (0.2 → 0.2), sums saturate
// smoothly (1 → 0.72, 2 → 0.9), and the ±0.05 thresholds keep VADER's meaning. The library's own
// `average` (score / token count) is not used: it dilutes a complaint by its length.
const ALPHA = 15 / 16;

/** Maps a valence sum (unbounded) into (-1, 1), keeping its sign. */
export function normaliseValence(sum: number): number {
  return sum / Math.sqrt(sum * sum + ALPHA);
}

// Negation scope: SentimentAnalyzer.calculate flips every token after a negation up to the end of its
// token list, so "not bad, the staff was great" would count "great" as negative. We cut the token list at
// clause boundaries and hand it one clause at a time. The boundaries become a "|" token (which the
// tokenizers keep) so that each text is tokenized once: the English tokenizer runs eight regular
// expressions per call, and per-clause calls tripled its cost.
const CLAUSES = /[.,;:!?…()[\]|\n]+|\b(?:but|however|mais|cependant|pourtant)\b/g;
const BOUNDARY = "|";
// The English tokenizer only expands "n't" typed with a straight apostrophe; phones type ’.
const CURLY_APOSTROPHE = /[’‘]/g;
// Links and @handles carry no sentiment, and each new one would cost a cold stem (~2 µs in French).
// Hashtags lose only the "#", so #fail and #honte are scored as words.
const NOT_WORDS = /https?:\/\/\S+|www\.\S+|@[\p{L}\p{N}_]+|#/gu;
// The stemmer memoises every word it has seen and never evicts; links and handles make that grow with
// traffic, so we clear it after this many stemmed tokens: at most that many entries (~10 MB), and the
// common words are back within a few hundred mentions.
const STEM_MEMO_BUDGET = 100_000;

function createScorer(lang: ScoredLanguage): ValenceSum {
  const nlp = loadNlpjsLanguage(lang);
  const sentimentDictionary = buildDictionary(lang, nlp, LEXICON_PATCHES[lang]);
  const { normalizer, tokenizer, stemmer, analyzer } = nlp;
  const clauseScore = (tokens: string[]) =>
    analyzer.calculate({ locale: lang, tokens, sentimentDictionary }).sentiment.score;
  let stemmedSinceClear = 0;
  // Not SentimentAnalyzer.process(): it is async, and its tokenizer memoises every text it sees for an
  // hour. These are the steps of its default pipeline (getTokens with stemming, calculate) without that.
  return (text) => {
    const words = text.replace(NOT_WORDS, " ").replace(CURLY_APOSTROPHE, "'");
    const marked = normalizer.normalize(words).replace(CLAUSES, " | ");
    let tokens = tokenizer.innerTokenize(marked);
    if (sentimentDictionary.stemmed) {
      tokens = stemmer.stemWords(tokens);
      stemmedSinceClear += tokens.length;
      if (stemmedSinceClear > STEM_MEMO_BUDGET) {
        stemmer.cache = {};
        stemmedSinceClear = 0;
      }
    }
    let sum = 0;
    let start = 0;
    for (let i = 0; i <= tokens.length; i++) {
      if (i < tokens.length && tokens[i] !== BOUNDARY) continue;
      if (i > start) sum += clauseScore(start === 0 && i === tokens.length ? tokens : tokens.slice(start, i));
      start = i + 1;
    }
    return sum;
  };
}
