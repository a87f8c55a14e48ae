// The terms of an alert's windows that the brand's recent baseline does not explain.
import type { EmergingTerm } from "../model/index.js";
import { termSurprise } from "./log-likelihood.js";

export interface TermCounts {
  counts: ReadonlyMap<string, number>;
  /** Every term use, including those of terms no longer counted one by one. */
  total: number;
}

/** At least this many uses in the alert's windows: one post is an anecdote, not a story. */
const MIN_COUNT = 3;

/**
 * Over-represented terms by G², highest first, at most `limit`. A two-word phrase whose words are both
 * listed already says nothing new and is left out.
 */
export function emergingTerms(recent: TermCounts, baseline: TermCounts, limit: number): EmergingTerm[] {
  const scored = overRepresented(recent, baseline, MIN_COUNT);
  scored.sort((x, y) => y.g2 - x.g2 || y.count - x.count || (x.term < y.term ? -1 : 1));
  const listed = new Set<string>();
  const terms: EmergingTerm[] = [];
  for (const candidate of scored) {
    if (terms.length >= limit) break;
    const words = candidate.term.split(" ");
    if (words.length > 1 && words.every((word) => listed.has(word))) continue;
    terms.push(candidate);
    listed.add(candidate.term);
  }
  return terms;
}

/** Terms used at least `minCount` times in `recent` and more often there than in `baseline`, with their G², unsorted. */
export function overRepresented(recent: TermCounts, baseline: TermCounts, minCount: number): EmergingTerm[] {
  const scored: EmergingTerm[] = [];
  for (const [term, count] of recent.counts) {
    if (count < minCount) continue;
    const base = baseline.counts.get(term) ?? 0;
    const g2 = termSurprise(count, recent.total, base, baseline.total);
    if (g2 > 0) scored.push({ term, count, baseline: base, g2 });
  }
  return scored;
}

/** Sums term counts over windows. */
export function sumCounts(
  parts: Iterable<{ terms: ReadonlyMap<string, number>; termTotal: number }>,
): TermCounts {
  const counts = new Map<string, number>();
  let total = 0;
  for (const part of parts) {
    total += part.termTotal;
    // forEach, not for…of: a closed window's terms are arrays read as a Map (TermCounts), whose
    // forEach is a plain loop, 3–4× faster than any iterator over a day of windows.
    part.terms.forEach((count, term) => counts.set(term, (counts.get(term) ?? 0) + count));
  }
  return { counts, total };
}
