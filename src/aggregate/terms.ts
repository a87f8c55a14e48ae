// The terms of a mention for emerging-term statistics: words, #hashtags and two-word phrases, any
// script (Unicode letters and digits), lower-cased, without English and French stop words.
import stopword from "stopword";

/** Words that say nothing about a story: the stopword package's lists plus the filler of social posts. */
const STOP = new Set([
  ...stopword.eng,
  ...stopword.fra,
  ...["rt", "via", "amp", "just", "now", "get", "got", "can", "will", "one", "it's", "i'm", "don't"],
  ...["c'est", "ça", "cette", "tout", "tous", "très", "plus", "sans", "bien", "fait", "qu'un", "qu'une"],
]);

/** A word, #hashtag or @handle (handles are skipped: names, not what is said): a letter or digit, then letters, digits, marks, apostrophes, hyphens, underscores. */
const TOKEN = /[#@]?[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_-]*/gu;
const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
/** French elision: l'antivol, qu'un, d'un → the word after the apostrophe. */
const ELISION = /^(?:[cdjlmnst]|qu)['’](?=\p{L})/u;
const BREAK = /[.!?;:,()[\]{}"«»…|]/u;
const DIGITS = /^#?[\p{N}'’_-]+$/u;

/** Terms used by a text, each once: words and hashtags, then phrases of two adjacent words. */
export function termsOf(text: string): string[] {
  const clean = text.includes("http") || text.includes("www.") ? text.replace(LINK, " ") : text;
  const terms = new Set<string>();
  const lower = clean.toLowerCase();
  let previous: string | undefined;
  let end = 0;
  for (const match of lower.matchAll(TOKEN)) {
    // A phrase does not run across punctuation: "30 seconds. Useless" holds no "seconds useless".
    if (previous !== undefined && BREAK.test(lower.slice(end, match.index))) previous = undefined;
    end = match.index + match[0].length;
    const token = match[0].replace(ELISION, "").replace(/['’_-]+$/, "");
    if (token.startsWith("@")) {
      previous = undefined;
      continue;
    }
    const hashtag = token.startsWith("#");
    if (token.length < (hashtag ? 3 : 2) || DIGITS.test(token) || STOP.has(token)) {
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
  return [...terms];
}
