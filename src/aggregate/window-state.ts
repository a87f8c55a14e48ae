// The running totals of one series key in one open window; turned into a metrics row on close.
import { METRICS, metricIndex } from "../model/index.js";
import type { ResponseFigures } from "./response-tracker.js";
import { IDLE_FIGURES } from "./response-tracker.js";

const COLUMN = Object.fromEntries(METRICS.map((metric) => [metric, metricIndex(metric)])) as Record<
  (typeof METRICS)[number],
  number
>;

export class WindowState {
  mentions = 0;
  negative = 0;
  negativeReach = 0;
  brandReplies = 0;
  unansweredNegative = 0;
  /** Distinct negative authors; also dedups reach so one author posting ten times counts once. */
  readonly negativeAuthors = new Set<string>();

  /** `total`: the brand × all state of the same window, for a brand × channel state. */
  constructor(readonly total?: WindowState) {}

  /**
   * Counts a negative mention's voice, its reach once per author, and that it awaits a reply; true
   * when the author is new to this key's window (the evidence counts voices from it).
   */
  addNegative(author: string, followers: number): boolean {
    this.unansweredNegative++;
    if (this.negativeAuthors.has(author)) return false;
    this.negativeAuthors.add(author);
    this.negativeReach += followers;
    return true;
  }

  /**
   * Metric values in METRICS order. The responsiveness columns come from the ResponseTracker at the
   * window end (they look back over its period, not at this window); 0 without one.
   */
  toRow(responses?: Readonly<ResponseFigures>): Float64Array {
    const row = responsesRow(responses);
    row[COLUMN.mentions] = this.mentions;
    row[COLUMN.negative] = this.negative;
    row[COLUMN.negative_share] = this.mentions === 0 ? 0 : this.negative / this.mentions;
    row[COLUMN.negative_reach] = this.negativeReach;
    row[COLUMN.negative_authors] = this.negativeAuthors.size;
    row[COLUMN.brand_replies] = this.brandReplies;
    row[COLUMN.unanswered_negative] = this.unansweredNegative;
    return row;
  }
}

/** A new row with only the responsiveness columns set (all 0 without figures). */
function responsesRow(responses: Readonly<ResponseFigures> | undefined): Float64Array {
  const row = new Float64Array(METRICS.length);
  if (responses) {
    row[COLUMN.response_rate] = responses.responseRate;
    row[COLUMN.first_response_seconds] = responses.firstResponseSeconds;
    row[COLUMN.unanswered_overdue] = responses.unansweredOverdue;
  }
  return row;
}

const ZERO_ROW = responsesRow(undefined);
const IDLE_ROW = responsesRow(IDLE_FIGURES);
/** Idle rows by the figures they show: the tracker hands out the same figures while a key's stay put. */
const idleRows = new WeakMap<Readonly<ResponseFigures>, Float64Array>();

/**
 * The row of a key without a mention in the window. Shared by every key showing the same figures
 * (none, IDLE_FIGURES, or a figures object the tracker kept): at thousands of keys a fresh array each
 * per close added up, and rows are only read (the store copies them into its ring).
 */
export function idleRow(responses?: Readonly<ResponseFigures>): Float64Array {
  if (responses === undefined) return ZERO_ROW;
  if (responses === IDLE_FIGURES) return IDLE_ROW;
  let row = idleRows.get(responses);
  if (row === undefined) idleRows.set(responses, (row = responsesRow(responses)));
  return row;
}
