// Which of our two scored languages (French, English) a mention is in: the provider's tag, else a guess.
import { francEnglishOrFrench } from "./franc-latin.js";

/** The languages the lexicon scores (ISO 639-1). */
export type ScoredLanguage = "en" | "fr";

export const isScoredLanguage = (lang: string): lang is ScoredLanguage => lang === "en" || lang === "fr";

/**
 * Maps a provider's language tag to ISO 639-1 for French and English ("fr-FR", "FR", "en_US", "eng" →
 * "fr"/"en"); other languages pass through unchanged. Empty and "und" (Twitter's "undetermined") give
 * undefined, meaning "guess from the text".
 */
export function normaliseLang(tag: string | undefined): string | undefined {
  if (tag === undefined || tag === "en" || tag === "fr") return tag;
  const trimmed = tag.trim();
  const primary = trimmed.split(/[-_]/, 1)[0]?.toLowerCase() ?? "";
  if (primary === "en" || primary === "eng") return "en";
  if (primary === "fr" || primary === "fra" || primary === "fre") return "fr";
  if (primary === "" || primary === "und") return undefined;
  return trimmed;
}

// Frequent function words (and a little tweet slang) found in only one of the two languages. Words
// common in both ("a", "an", "on", "me", "as", "car", "son", "plus", "pour", "ai", "top", "lol") are left out.
// "c", "j", "l", "qu", "n" are the French elisions (c'est, j'ai, l'appli, qu'il, n'est): the splitter
// below cuts at the apostrophe.
const FRENCH = new Set(
  (
    "le la les un une des du de en et est sont suis je j tu il ils elle elles nous vous ce cette ces c qu que " +
    "qui mon ma mes ta tes sa ses leur leurs notre votre nos vos pas ne n très avec dans sur chez mais ou " +
    "au aux été être avoir rien jamais aussi encore même déjà merci bonjour toujours trop vraiment donc " +
    "quel quelle quels quelles quoi tout tous toute bien oui alors comme fait nul mdr ptdr"
  ).split(" "),
);
const ENGLISH = new Set(
  (
    "the and is are was were be been being to of in it its this that these those with for my your you we " +
    "they he she have has had not no but just what when how why who will would can could should do does " +
    "did doesn didn isn wasn won so get got from at by or if there their our all any about thanks thank " +
    "please still again ever never every today really very " +
    // Apostrophe-less spellings of tweets ("dont" is left out: it is French).
    "im cant wont didnt doesnt isnt u ur thx pls plz"
  ).split(" "),
);
const WORDS = /[^a-zà-öø-ÿœæ]+/;
const FRENCH_LETTER = /[à-öø-ÿœæ]/;
// Links, handles and hashtags are brand names and ids, not language: they only blur franc's trigrams.
const NOISE = /https?:\/\/\S+|[@#][\w-]+/g;

/** Below this many characters of real text, franc's trigram profile is too thin to beat the word vote. */
const FRANC_MIN_CHARS = 20;
/** A word-vote margin this large is taken as settled; smaller ones are left to franc when it can judge. */
const DECISIVE_MARGIN = 2;

/**
 * Guesses French or English, defaulting to English. A cheap vote of one-language function words (and
 * French accented words) settles most tweets for about 2 µs; franc-min, limited to the two languages,
 * only breaks close votes on longer texts, because it is weak on short ones (it says "und" under 10
 * characters and reads "Produit génial, je recommande" as English) and costs 35–60 µs a tweet (a few µs
 * through the Latin-script shortcut of franc-latin.ts, with the same answers).
 */
export function guessLanguage(text: string): ScoredLanguage {
  const margin = frenchMargin(text);
  if (margin >= DECISIVE_MARGIN) return "fr";
  if (margin <= -DECISIVE_MARGIN) return "en";
  const clean = text.replace(NOISE, " ").trim();
  if (clean.length >= FRANC_MIN_CHARS) {
    const guess = francEnglishOrFrench(clean);
    if (guess === "fra") return "fr";
    if (guess === "eng") return "en";
  }
  return margin > 0 ? "fr" : "en";
}

/** French votes minus English votes over the text's words. */
function frenchMargin(text: string): number {
  let margin = 0;
  for (const word of text.toLowerCase().split(WORDS)) {
    if (FRENCH.has(word) || FRENCH_LETTER.test(word)) margin++;
    else if (ENGLISH.has(word)) margin--;
  }
  return margin;
}

/** The language a mention is scored in or reported as: its normalised tag, else a guess from the text. */
export function mentionLanguage(mention: { text: string; lang?: string | undefined }): string {
  return normaliseLang(mention.lang) ?? guessLanguage(mention.text);
}
