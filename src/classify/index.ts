// The classify stage's public surface.
export { type Classifier, type ClassifierOptions, createClassifier } from "./classifier.js";
export {
  guessLanguage,
  isScoredLanguage,
  mentionLanguage,
  normaliseLang,
  type ScoredLanguage,
} from "./language.js";
export { normaliseValence, scoreText } from "./lexicon.js";
export { normaliseProviderSentiment, type Sentiment } from "./provider-sentiment.js";
export {
  DEFAULT_THRESHOLDS,
  labelForScore,
  resolveThresholds,
  type SentimentThresholds,
} from "./thresholds.js";
