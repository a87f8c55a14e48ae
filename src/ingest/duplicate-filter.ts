// Drops mentions whose id was seen recently. Ids are unique per provider, so the channel is part of
// the key; memory is bounded by the generational set, not by time.
import type { Mention } from "../model/index.js";
import { GenerationalSet } from "../util/generational-set.js";

export class DuplicateFilter {
  private readonly seen: GenerationalSet;

  constructor(capacity: number) {
    this.seen = new GenerationalSet(capacity);
  }

  /** True the first time a (channel, id) pair is offered. */
  isFirst(mention: Mention): boolean {
    return this.seen.add(mention.channel, mention.id);
  }
}
