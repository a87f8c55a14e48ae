// Drops mentions whose id was seen recently. Ids are unique per provider, so the channel is part of
// the key. Memory is bounded by count, not by time: two generations of at most capacity/2 pairs each
// (between capacity/2 and capacity remembered), with no per-pair bookkeeping.
//
// A pair is remembered as a 64-bit fingerprint in an open-addressed table of 32-bit words rather than
// as its id string in a Set: every mention passes here, and a million remembered strings (with the
// Set's entries) weighed on every garbage collection and missed the cache on every look-up. Two
// different pairs share a fingerprint with a chance of about 2^-64 each: at the default million
// remembered, one mention in ~10^13 would be taken for a duplicate.

import type { Mention } from "../model/index.js";

export class DuplicateFilter {
  private current: FingerprintTable;
  private previous: FingerprintTable;
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, Math.floor(capacity / 2));
    this.current = new FingerprintTable();
    this.previous = new FingerprintTable();
  }

  /** True the first time a (channel, id) pair is offered (among the pairs remembered). */
  isFirst(mention: Pick<Mention, "channel" | "id">): boolean {
    fingerprint(mention.channel, mention.id);
    const { high, low } = FINGERPRINT;
    if (this.current.has(high, low) || this.previous.has(high, low)) return false;
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new FingerprintTable();
    }
    this.current.add(high, low);
    return true;
  }

  /** Pairs remembered now. */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/** The last fingerprint computed (two 32-bit halves, never both 0): no object per mention. */
const FINGERPRINT = { high: 0, low: 0 };

/** Two 32-bit hashes of `channel`, a NUL, then `id`, each mixed by MurmurHash3's finaliser. */
function fingerprint(channel: string, id: string): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < channel.length; i++) {
    const code = channel.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // The separator: ("ab", "c") and ("a", "bc") differ.
  a = Math.imul(a, 0x01000193);
  b = Math.imul(b ^ (b >>> 13), 0x5bd1e995);
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  const high = mix(a ^ id.length);
  const low = mix(b ^ Math.imul(channel.length, 0x27d4eb2d));
  FINGERPRINT.high = high;
  FINGERPRINT.low = high === 0 && low === 0 ? 1 : low;
}

function mix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const INITIAL_SLOTS = 1_024;

/** Fingerprints in linear probing, two words a slot (0, 0 = empty), at most half full. */
class FingerprintTable {
  size = 0;
  private slots = new Uint32Array(2 * INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;

  has(high: number, low: number): boolean {
    const { slots, mask } = this;
    for (let slot = high & mask; ; slot = (slot + 1) & mask) {
      const h = slots[2 * slot] as number;
      const l = slots[2 * slot + 1] as number;
      if (h === high && l === low) return true;
      if (h === 0 && l === 0) return false;
    }
  }

  /** Adds a fingerprint known to be absent. */
  add(high: number, low: number): void {
    if (2 * (this.size + 1) > this.mask + 1) this.grow();
    this.place(high, low);
    this.size++;
  }

  private place(high: number, low: number): void {
    const { slots, mask } = this;
    let slot = high & mask;
    while (slots[2 * slot] !== 0 || slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    slots[2 * slot] = high;
    slots[2 * slot + 1] = low;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(2 * old.length);
    this.mask = old.length - 1;
    for (let i = 0; i < old.length; i += 2) {
      const high = old[i] as number;
      const low = old[i + 1] as number;
      if (high !== 0 || low !== 0) this.place(high, low);
    }
  }
}
