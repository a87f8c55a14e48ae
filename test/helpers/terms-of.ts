// A text's terms as strings, each once, in the order TermTable numbers them: the readable form of
// scanTerms that the tokeniser's tests state their expectations in.
import { scanTerms } from "../../src/aggregate/terms.js";

export function termsOf(text: string): string[] {
  const terms = new Set<string>();
  let previous = "";
  scanTerms(text, {
    word(token, followsWord) {
      terms.add(token);
      if (followsWord) terms.add(`${previous} ${token}`);
      previous = token;
    },
    hashtag: (token) => void terms.add(token),
    link: (link) => void terms.add(link),
  });
  return [...terms];
}
