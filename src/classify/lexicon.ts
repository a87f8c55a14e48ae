// Scores French or English text with the NLP.js sentiment analyzer, synchronously, one mention at a time.
import type { ScoredLanguage } from "./language.js";
import { LEXICON_PATCHES } from "./lexicon-patch.js";
import { loadNlpjsLanguage, type Tokenizer } from "./nlpjs.js";
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
// token list, so "not bad, the staff was great" would count "great" as negative. We score one clause at a
// time: the boundaries become a "|" token, which resets the sign.
const CLAUSES = /[.,;:!?…()[\]|\n]+|\b(?:but|however|mais|cependant|pourtant)\b/g;
const BOUNDARY = "|";
// The English tokenizer only expands "n't" typed with a straight apostrophe; phones type ’.
const CURLY_APOSTROPHE = /[’‘]/g;
// Links and @handles carry no sentiment, and each new one would cost a cold stem (~2 µs in French).
// Hashtags lose only the "#", so #fail and #honte are scored as words.
const NOT_WORDS = /https?:\/\/\S+|www\.\S+|@[\p{L}\p{N}_]+|#/gu;
// The token → valence memo (and the stemmer's own memo behind it, which never evicts) is cleared at this
// many entries: links are gone but odd spellings and typos still make it grow with traffic. 100k short
// words is ~10 MB, and the common words are back within a few hundred mentions.
const MEMO_BUDGET = 100_000;
/** Memo value of a negation word: it flips the sign of the rest of its clause. */
const NEGATES = Number.NaN;

function createScorer(lang: ScoredLanguage): ValenceSum {
  const nlp = loadNlpjsLanguage(lang);
  const sentimentDictionary = buildDictionary(lang, nlp, LEXICON_PATCHES[lang]);
  const { dictionary, negations, stemmed } = sentimentDictionary;
  const { normalizer, stemmer } = nlp;
  const tokenize = lang === "en" ? englishTokens(nlp.tokenizer) : frenchTokens;
  // What calculate() makes of a token, after stemWords (which trims stems and drops empty ones): a
  // valence, NEGATES, or 0 for a word it does not score. Profiling put stemming and calculate's
  // per-token `negations.indexOf` at a third of scoring; the common words of a stream repeat.
  const memo = new Map<string, number>();
  const valenceOf = (token: string): number => {
    let valence = memo.get(token);
    if (valence !== undefined) return valence;
    let key: string | undefined = token;
    if (stemmed) {
      const stem = stemmer.stemWord(token);
      key = stem ? stem.trim() : undefined;
    }
    key = key?.toLowerCase();
    if (key === undefined) valence = 0;
    else if (negations.includes(key)) valence = NEGATES;
    else valence = dictionary[key] ?? 0;
    if (memo.size >= MEMO_BUDGET) {
      memo.clear();
      stemmer.cache = {};
    }
    memo.set(token, valence);
    return valence;
  };
  // Not SentimentAnalyzer.process(): it is async, and its tokenizer memoises every text it sees for an
  // hour. This is its default pipeline (tokens, stems, calculate) fused into one pass over the tokens,
  // adding in the same order as calculate() per clause, so the sums are the library's to the last bit.
  return (text) => {
    const words = text.replace(NOT_WORDS, " ").replace(CURLY_APOSTROPHE, "'");
    const marked = normalizer.normalize(words).replace(CLAUSES, " | ");
    let sum = 0;
    let clause = 0;
    let negator = 1;
    tokenize(marked, (token) => {
      if (token === BOUNDARY) {
        sum += clause;
        clause = 0;
        negator = 1;
        return;
      }
      const valence = valenceOf(token);
      if (Number.isNaN(valence)) negator = -1;
      else if (valence !== 0) clause += negator * valence;
    });
    return sum + clause;
  };
}

/** Calls `each` with every token of already-normalised text, in order. */
type Tokens = (text: string, each: (token: string) => void) => void;

// tokenizer-en's and tokenizer-fr's split (@nlpjs/lang-en-min, @nlpjs/lang-fr innerTokenize); the
// French one also cuts at ’, which tokenizer-fr first turns into '.
const ENGLISH_SPLIT = /[\s,.!?;:([\]'"¡¿)/]+/;
const FRENCH_SPLIT = /[\s,.!?;:([\]’'"¡¿)/]+/;
// tokenizer-en's replaceContractions; "cannot" matters, since "not" is a negation.
const EXPANSIONS: Readonly<Record<string, readonly string[]>> = Object.assign(Object.create(null), {
  cannot: ["can", "not"],
  gonna: ["going", "to"],
  wanna: ["want", "to"],
});

const frenchTokens: Tokens = (text, each) => {
  for (const token of text.split(FRENCH_SPLIT)) if (token !== "") each(token);
};

/**
 * tokenizer-en's innerTokenize without its costs that change nothing: its eight contraction regexes
 * ("n't" → " not", "'s" → " is"…) all need an apostrophe, so they only run on text that has one, and its
 * per-token lowercasing is skipped because the normaliser has already lowercased everything.
 */
function englishTokens(tokenizer: Tokenizer): Tokens {
  const { replace } = tokenizer;
  if (replace === undefined) throw new Error("tokenizer-en has no replace(): @nlpjs/lang-en-min changed");
  return (text, each) => {
    const expanded = text.includes("'") ? replace.call(tokenizer, text) : text;
    for (const token of expanded.split(ENGLISH_SPLIT)) {
      if (token === "") continue;
      const expansion = EXPANSIONS[token];
      if (expansion === undefined) each(token);
      else for (const part of expansion) each(part);
    }
  };
}
