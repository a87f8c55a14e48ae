// The classify stage: one synchronous call per mention, provider sentiment when given, else our lexicon.
import type { Classification, Mention } from "../model/index.js";
import { guessLanguage, isScoredLanguage, normaliseLang } from "./language.js";
import { scoreText } from "./lexicon.js";
import { normaliseProviderSentiment } from "./provider-sentiment.js";
import { resolveThresholds, type SentimentThresholds } from "./thresholds.js";

export type ClassifierOptions = Partial<SentimentThresholds>;

export type Classifier = (mention: Mention) => Classification;

/**
 * Builds the classifier once (thresholds checked here, lexicons loaded on first use) and returns a plain
 * function: no promise per mention, so the stage adds no microtask hop to a hot ingest path.
 */
export function createClassifier(options: ClassifierOptions = {}): Classifier {
  const thresholds = resolveThresholds(options);
  return (mention) => {
    const tagged = normaliseLang(mention.lang);
    if (mention.sentiment !== undefined) {
      const { label, score } = normaliseProviderSentiment(mention.sentiment, thresholds);
      // No guess here: nothing downstream needs the language of a provider-scored mention yet, and
      // the guess would be most of the cost of this hot path. "und" is Twitter's "undetermined".
      return { label, score, source: "provider", lang: tagged ?? "und" };
    }
    const lang = tagged ?? guessLanguage(mention.text);
    if (!isScoredLanguage(lang)) {
      // We only have French and English lexicons. Scoring German with the English one would be noise,
      // and a false alarm costs more than a neutral mention; the language is kept so it can be counted.
      return { label: "neutral", score: 0, source: "lexicon", lang };
    }
    const { label, score } = scoreText(mention.text, lang, thresholds);
    return { label, score, source: "lexicon", lang };
  };
}
