// The terms of a mention for emerging-term statistics: words, #hashtags and two-word phrases, any
// script (Unicode letters and digits), lower-cased, without English and French stop words; and the
// links it shares, normalised, since a shared link is a story (a forum post reaching blogs, then the press).
import stopword from "stopword";

/** Words that say nothing about a story: the stopword package's lists plus the filler of social posts. */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...stopword.eng,
  ...stopword.fra,
  ...["rt", "via", "amp", "just", "now", "get", "got", "can", "will", "one", "it's", "i'm", "don't"],
  ...["c'est", "ça", "cette", "tout", "tous", "très", "plus", "sans", "bien", "fait", "qu'un", "qu'une"],
]);

const LINK = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
/** French elision: l'antivol, qu'un, d'un → the word after the apostrophe. */
const ELISION = /^(?:[cdjlmnst]|qu)['’](?=\p{L})/u;
/** Punctuation that ends a phrase, as UTF-16 codes (each is a single unit). */
const BREAK = new Set([...'.!?;:,()[]{}"«»…|'].map((c) => c.charCodeAt(0)));
/** Apostrophes, underscores and hyphens that end a token are not part of the word. */
const TRAILING_JOINERS = /['’_-]+$/;
const DIGITS = /^#?[\p{N}'’_-]+$/u;

/** Punctuation that ends the sentence around a link rather than the link ("see https://x.io/a."). */
const TRAILING = /[.,;:!?'"’”»…>\]}]+$/u;
/**
 * Query parameters that say who shared a link, not what it points to: Google Analytics' utm_*, the
 * click ids of Facebook, Google, Microsoft and Yandex ads, Instagram's and YouTube's share ids,
 * Mailchimp's and Twitter's referrers.
 */
const TRACKING =
  /^(?:utm_.*|fbclid|gclid|gbraid|wbraid|dclid|msclkid|yclid|igshid|igsh|si|mc_cid|mc_eid|_ga|_gl|ref_src|ref_url)$/i;

/**
 * What a scan of a text reports, in the order met: each word with whether it follows another word in
 * the same phrase (the two make a phrase term), each #hashtag, then each link. Words and hashtags may
 * repeat; links come after every word.
 */
export interface TermSink {
  word(token: string, followsWord: boolean): void;
  hashtag(token: string): void;
  link(link: string): void;
}

/**
 * Reports the terms of `text` to `sink` (see TermSink). The terms of a text are its words and hashtags,
 * the phrases of two adjacent words, then its links, each counted once (TermTable numbers them).
 */
export function scanTerms(text: string, sink: TermSink): void {
  const links: string[] = [];
  // A link is no word and breaks a phrase: "pen https://x.io/a bic" holds no "pen bic".
  const clean =
    text.includes("http") || text.includes("www.")
      ? text.replace(LINK, (raw) => {
          const link = normaliseLink(raw);
          if (link !== undefined) links.push(link);
          return " | ";
        })
      : text;
  const lower = clean.toLowerCase();
  let followsWord = false;
  let end = 0;
  // Tokens found by tokenEndAt, and cheap character tests guarding the other regexes, which
  // most tokens would pass untouched: this runs for every negative text kept.
  for (let at = 0; at < lower.length;) {
    const tokenEnd = tokenEndAt(lower, at);
    if (tokenEnd < 0) {
      at += (lower.codePointAt(at) as number) > 0xffff ? 2 : 1;
      continue;
    }
    // A phrase does not run across punctuation: "30 seconds. Useless" holds no "seconds useless".
    if (followsWord && breaksPhrase(lower, end, at)) followsWord = false;
    const matched = lower.slice(at, tokenEnd);
    end = at = tokenEnd;
    const token = withoutTrailingJoiners(withoutElision(matched));
    const first = token.charCodeAt(0);
    if (first === AT) {
      followsWord = false;
      continue;
    }
    const hashtag = first === HASH;
    if (token.length < (hashtag ? 3 : 2) || isNumber(token, hashtag) || STOP_WORDS.has(token)) {
      followsWord = false;
      continue;
    }
    if (hashtag) {
      sink.hashtag(token);
      followsWord = false;
      continue;
    }
    sink.word(token, followsWord);
    followsWord = true;
  }
  for (const link of links) sink.link(link);
}

const AT = 64;
const HASH = 35;
const APOSTROPHE = 39;
const RIGHT_QUOTE = 0x2019;

/** ' ’ _ -: inside a token they join; at its end they are trimmed. */
const isJoiner = (code: number): boolean =>
  code === APOSTROPHE || code === RIGHT_QUOTE || code === 95 || code === 45;

/**
 * Where the token starting at `at` ends, or -1 when none starts there. A token is a word, #hashtag or
 * @handle (handles are skipped: names, not what is said): a letter or digit, then letters, digits,
 * marks, apostrophes, hyphens, underscores: the matches of `[#@]?[\p{L}\p{N}][\p{L}\p{M}\p{N}'’_-]*`
 * (flags gu), read by code point with each one's Unicode class looked up once (see classOf), without a
 * match object per token.
 */
function tokenEndAt(text: string, at: number): number {
  let i = at;
  let code = text.codePointAt(i) as number;
  if (code === HASH || code === AT) {
    if (++i >= text.length) return -1;
    code = text.codePointAt(i) as number;
  }
  if (classOf(code) !== LETTER_OR_NUMBER) return -1;
  i += code > 0xffff ? 2 : 1;
  while (i < text.length) {
    code = text.codePointAt(i) as number;
    if (!isJoiner(code) && classOf(code) === OTHER) break;
    i += code > 0xffff ? 2 : 1;
  }
  return i;
}

const OTHER = 1;
const LETTER_OR_NUMBER = 2;
const MARK = 3;
/** The class of each BMP code point (\p{L} or \p{N}, \p{M}, other), 0 until first looked up. */
const CLASSES = new Uint8Array(0x10000);

function classOf(code: number): number {
  if (code < 0x10000) {
    const known = CLASSES[code] as number;
    if (known !== 0) return known;
    return (CLASSES[code] = classify(code));
  }
  return classify(code);
}

const LETTER_OR_NUMBER_CHAR = /^[\p{L}\p{N}]$/u;
const MARK_CHAR = /^\p{M}$/u;

function classify(code: number): number {
  const char = String.fromCodePoint(code);
  return LETTER_OR_NUMBER_CHAR.test(char) ? LETTER_OR_NUMBER : MARK_CHAR.test(char) ? MARK : OTHER;
}

/** Whether `text[from, to)` holds a character of BREAK. */
function breaksPhrase(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (BREAK.has(text.charCodeAt(i))) return true;
  return false;
}

/** ELISION removed; an apostrophe at the second or third unit is the only way it can apply. */
function withoutElision(token: string): string {
  const second = token.charCodeAt(1);
  const third = token.charCodeAt(2);
  const may =
    second === APOSTROPHE || second === RIGHT_QUOTE || third === APOSTROPHE || third === RIGHT_QUOTE;
  return may ? token.replace(ELISION, "") : token;
}

/** TRAILING_JOINERS removed, tested on the last unit first. */
function withoutTrailingJoiners(token: string): string {
  return isJoiner(token.charCodeAt(token.length - 1)) ? token.replace(TRAILING_JOINERS, "") : token;
}

/** DIGITS, skipped when the token starts with a letter a–z (lower-cased already), as most do. */
function isNumber(token: string, hashtag: boolean): boolean {
  const first = token.charCodeAt(hashtag ? 1 : 0);
  return !(first >= 97 && first <= 122) && DIGITS.test(token);
}

/**
 * A link as one term, the same however it was shared: host lower-cased without "www." or a default
 * port, then the path (its case kept: paths and video ids are case-sensitive) without a trailing "/",
 * and the query without tracking parameters; no protocol, fragment or trailing punctuation.
 * "https://www.YouTube.com/watch?v=abc&utm_source=x." → "youtube.com/watch?v=abc". Undefined when the
 * host has no dot.
 */
export function normaliseLink(raw: string): string | undefined {
  let link = raw.replace(/^https?:\/\//i, "").replace(/#.*$/s, "");
  link = trimTrailing(link);
  const hostEnd = link.search(/[/?]/);
  const host = (hostEnd < 0 ? link : link.slice(0, hostEnd))
    .replace(/^[^@]*@/, "") // user:password@
    .toLowerCase()
    .replace(/:(?:80|443)$/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
  // No dot, no story on the web (localhost, an intranet name); and a word never holds a dot, so a term
  // with one is a link (model/evidence.ts isLinkTerm).
  if (!/^[^.]+(?:\.[^.]+)+$/.test(host)) return undefined;
  const rest = hostEnd < 0 ? "" : link.slice(hostEnd);
  const queryAt = rest.indexOf("?");
  const path = (queryAt < 0 ? rest : rest.slice(0, queryAt)).replace(/\/+$/, "");
  const query =
    queryAt < 0
      ? ""
      : rest
          .slice(queryAt + 1)
          .split("&")
          .filter((pair) => pair !== "" && !TRACKING.test(pair.split("=", 1)[0] as string))
          .join("&");
  return `${host}${path}${query === "" ? "" : `?${query}`}`;
}

/** Strips sentence punctuation after a link, and a ")" that closes a parenthesis opened before the link. */
function trimTrailing(link: string): string {
  let trimmed = link;
  for (;;) {
    const next = trimmed.replace(TRAILING, "");
    const opened = (next.match(/\(/g) ?? []).length;
    const closed = (next.match(/\)/g) ?? []).length;
    const unbalanced = next.endsWith(")") && closed > opened ? next.slice(0, -1) : next;
    if (unbalanced === trimmed) return trimmed;
    trimmed = unbalanced;
  }
}
