// The terms of one brand's window, numbered in the order first met, so that each of its keys (the
// brand-wide key and each channel's) counts them in an array instead of a string-keyed map: a term is
// looked up once per text that uses it, where counting two keys by name looked it up four times. A
// text kept by two keys is tokenised once, and a phrase met again is found from its two words' numbers
// without building its string.
import type { TermSink } from "./terms.js";
import { scanTerms } from "./terms.js";

export interface CountedTerms {
  /** The most used terms with their counts (see TermTable.count). */
  terms: TermCounts;
  /** Terms over every text, each text counting each of its terms once. */
  total: number;
}

export class TermTable implements TermSink {
  private names: string[] = [];
  private readonly ids = new Map<string, number>();
  /**
   * Phrases by their two words' numbers, open-addressed: slot i holds its generation, first, second
   * and the phrase's number at 4i … 4i + 3; a slot of an older generation is empty, so a reset clears
   * nothing (filling the table, sized for the largest window yet, for every brand at every close was
   * most of a close). A Map keyed by first × 2^k + second would hash heap numbers.
   */
  private phrases = new Int32Array(4 * 64);
  private generation = 1;
  private phraseCount = 0;
  private readonly memo = new Map<string, number[]>();
  /** Per term number: the text that used it last, so a text lists each term once. */
  private seenIn: Int32Array<ArrayBuffer> = new Int32Array(64);
  /** Per term number: a key's count while it is counted, zero between keys. */
  private counts = new Int32Array(64);
  private text = 0;
  private previous = -1;
  private readonly found: number[] = [];
  /** A key's terms in the order first seen, while it is counted. */
  private readonly order: number[] = [];

  /**
   * Forgets every term and text, keeping the arrays grown so far: one table serves window after
   * window (typed arrays of this size live outside the heap, and are slow to make and to free).
   */
  reset(): void {
    this.names = [];
    this.ids.clear();
    this.memo.clear();
    this.generation++;
    this.phraseCount = 0;
    // seenIn needs no clearing: text numbers keep growing, so no old entry matches a new text.
  }

  /**
   * The numbers of the terms of `text`, each once, in the order met: a word, then the phrase it ends;
   * hashtags where they stand; links last.
   */
  idsOf(text: string): readonly number[] {
    let ids = this.memo.get(text);
    if (ids === undefined) {
      this.text++;
      this.found.length = 0;
      scanTerms(text, this);
      ids = this.found.slice();
      this.memo.set(text, ids);
    }
    return ids;
  }

  /**
   * The terms of `texts` counted: the `k` most used, most used first with ties in the order first seen,
   * or all of them in the order first seen when there are no more than `k`.
   */
  count(texts: readonly string[], k: number): CountedTerms {
    const order = this.order;
    order.length = 0;
    let total = 0;
    for (const text of texts) {
      const ids = this.idsOf(text);
      // Grown as the table grows (counts so far are copied): no pass to number every text first.
      const counts = this.countsFor(this.names.length);
      total += ids.length;
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as number;
        if (counts[id] === 0) order.push(id);
        counts[id] = (counts[id] as number) + 1;
      }
    }
    const counts = this.counts;
    const kept = order.length <= k ? order : mostUsedIds(order, counts, k);
    const names = kept.map((id) => this.names[id] as string);
    const keptCounts = kept.map((id) => counts[id] as number);
    for (const id of order) counts[id] = 0;
    return { terms: new TermCounts(names, keptCounts), total };
  }

  word(token: string, followsWord: boolean): void {
    const id = this.idOf(token);
    this.use(id);
    if (followsWord) this.use(this.phraseOf(this.previous, id));
    this.previous = id;
  }

  hashtag(token: string): void {
    this.use(this.idOf(token));
  }

  link(link: string): void {
    this.use(this.idOf(link));
  }

  private use(id: number): void {
    if (this.seenIn[id] === this.text) return;
    this.seenIn[id] = this.text;
    this.found.push(id);
  }

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.add(term);
      this.ids.set(term, id);
    }
    return id;
  }

  private phraseOf(first: number, second: number): number {
    const table = this.phrases;
    const mask = table.length / 4 - 1;
    let slot = (Math.imul(first, 0x9e3779b1) ^ second) & mask;
    for (;;) {
      const at = 4 * slot;
      if (table[at] !== this.generation) break;
      if (table[at + 1] === first && table[at + 2] === second) return table[at + 3] as number;
      slot = (slot + 1) & mask;
    }
    const id = this.add(`${this.names[first] as string} ${this.names[second] as string}`);
    // Its string is no other term's: words and hashtags hold no space, links no white space.
    this.putPhrase(first, second, id);
    return id;
  }

  private putPhrase(first: number, second: number, id: number): void {
    if (2 * (this.phraseCount + 1) > this.phrases.length / 4) this.growPhrases();
    const table = this.phrases;
    const mask = table.length / 4 - 1;
    let slot = (Math.imul(first, 0x9e3779b1) ^ second) & mask;
    while (table[4 * slot] === this.generation) slot = (slot + 1) & mask;
    const at = 4 * slot;
    table[at] = this.generation;
    table[at + 1] = first;
    table[at + 2] = second;
    table[at + 3] = id;
    this.phraseCount++;
  }

  private growPhrases(): void {
    const old = this.phrases;
    this.phrases = new Int32Array(old.length * 2);
    this.phraseCount = 0;
    for (let at = 0; at < old.length; at += 4)
      if (old[at] === this.generation)
        this.putPhrase(old[at + 1] as number, old[at + 2] as number, old[at + 3] as number);
  }

  private add(term: string): number {
    const id = this.names.length;
    this.names.push(term);
    if (id >= this.seenIn.length) this.seenIn = grown(this.seenIn);
    return id;
  }

  /** The count array, at least `size` long: zero but for the key being counted. */
  private countsFor(size: number): Int32Array {
    if (this.counts.length < size) {
      const counts = new Int32Array(Math.max(size, this.counts.length * 2));
      counts.set(this.counts);
      this.counts = counts;
    }
    return this.counts;
  }
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/**
 * The `k` of `ids` with the highest counts, highest first, ties in the order of `ids`: the first k of
 * a stable sort by count. Only those k are sorted: the threshold count comes from a histogram of the
 * counts (small integers), where sorting all of a key's terms (hundreds for k = 40) was most of the
 * counting.
 */
export function mostUsedIds(ids: readonly number[], counts: ArrayLike<number>, k: number): number[] {
  let max = 0;
  for (const id of ids) if ((counts[id] as number) > max) max = counts[id] as number;
  const histogram = new Uint32Array(max + 1);
  for (const id of ids) histogram[counts[id] as number] = (histogram[counts[id] as number] as number) + 1;
  // The threshold: the largest count c with at least k terms used c times or more.
  let threshold = max;
  let above = 0;
  while (threshold > 0 && above + (histogram[threshold] as number) < k)
    above += histogram[threshold--] as number;
  let atThreshold = k - above;
  const kept: number[] = [];
  for (const id of ids) {
    const count = counts[id] as number;
    if (count > threshold) kept.push(id);
    else if (count === threshold && atThreshold > 0) {
      kept.push(id);
      atThreshold--;
    }
  }
  return kept.sort((a, b) => (counts[b] as number) - (counts[a] as number));
}

/**
 * A key's kept terms and their counts in two arrays, read as a ReadonlyMap. A closed window keeps them
 * for the day of its retention: as Maps, their hash tables were the largest part of the evidence
 * store, and of what the garbage collector walks and copies. `get` and `has` scan (≤ maxTerms
 * entries, and only explanations ask).
 */
export class TermCounts implements ReadonlyMap<string, number> {
  constructor(
    private readonly names: readonly string[],
    private readonly counts: readonly number[],
  ) {}

  get size(): number {
    return this.names.length;
  }

  get(term: string): number | undefined {
    const at = this.names.indexOf(term);
    return at < 0 ? undefined : this.counts[at];
  }

  has(term: string): boolean {
    return this.names.includes(term);
  }

  forEach(visit: (count: number, term: string, map: ReadonlyMap<string, number>) => void): void {
    for (let i = 0; i < this.names.length; i++)
      visit(this.counts[i] as number, this.names[i] as string, this);
  }

  entries(): MapIterator<[string, number]> {
    // An array's iterator over pairs made up front: a generator was 3× slower than a Map's iterator.
    return this.names.map((name, i): [string, number] => [name, this.counts[i] as number]).values();
  }

  keys(): MapIterator<string> {
    return this.names.values();
  }

  values(): MapIterator<number> {
    return this.counts.values();
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }
}
