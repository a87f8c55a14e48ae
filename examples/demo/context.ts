// What the draft factories share while one scenario is generated.
import type { AuthorPool } from "./authors.js";
import type { Draft } from "./draft.js";

export interface GenContext {
  pool: AuthorPool;
  /** Fraction of mentions that carry a provider `sentiment` field. */
  sentimentShare: number;
  /** Next creation sequence number (tie-breaker for equal times). */
  nextSeq(): number;
  /** Queue a draft for a later time (brand replies); emitted in time order with the rest. */
  schedule(draft: Draft): void;
}
