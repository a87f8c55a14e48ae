// What signal rules judge, measured at each window close from aggregate's state: how many channels
// share one story (spread), how many complaints wait for a reply past a limit (unanswered). The detail
// behind each number is kept for the window, so a page explains the very measure that fired it.
import type { EvidenceStore } from "./aggregate/evidence-store.js";
import type { ResponseTracker } from "./aggregate/response-tracker.js";
import type { SignalDetail } from "./explain/signal-explanation.js";
import { storySpread } from "./explain/story-spread.js";
import type { ClosedWindow, Labels } from "./model/index.js";
import { keyId } from "./model/index.js";
import type { RuleSignal } from "./rules/signal-rules.js";
import { once } from "./util/once.js";

export class RuleSignals {
  /** The details measured at the latest window end, by signal and series. */
  private details = new Map<string, () => SignalDetail>();
  private detailsAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly evidence: EvidenceStore,
    private readonly responses: ResponseTracker,
  ) {}

  /** The signal's value on the series at the window's close (the evaluator's SignalReader). */
  measure(signal: RuleSignal, labels: Labels, window: ClosedWindow): number {
    if (window.end !== this.detailsAt) {
      this.details = new Map();
      this.detailsAt = window.end;
    }
    const { value, detail } = this.measureOne(signal, labels, window.end);
    this.details.set(detailKey(signal, labels), once(detail));
    return value;
  }

  /** What was measured for the signal on the series at the latest window. */
  detail(signal: RuleSignal, labels: Labels): SignalDetail | undefined {
    return this.details.get(detailKey(signal, labels))?.();
  }

  /**
   * The value now; the rest of the detail only when a page asks for it: the brand's response rate
   * and median reply time are read per series and window, but quoted only when an alert fires.
   */
  private measureOne(
    signal: RuleSignal,
    labels: Labels,
    end: number,
  ): { value: number; detail: () => SignalDetail } {
    if (signal.kind === "spread") {
      const brand = labels.brand;
      const evidence = brand === undefined ? [] : this.evidence.brand(brand);
      const spread = storySpread(evidence, {
        from: end - signal.withinMs,
        to: end,
        minMentions: signal.minMentions,
      });
      const detail: SignalDetail = { kind: "spread", withinMs: signal.withinMs, story: spread.story };
      return { value: spread.story?.channels.length ?? 0, detail: () => detail };
    }
    const overdue = this.responses.overdue(labels, end, signal.olderThanMs, signal.withinMs);
    return {
      value: overdue.count,
      detail: () => ({
        kind: "unanswered",
        at: end,
        olderThanMs: signal.olderThanMs,
        withinMs: signal.withinMs,
        periodMs: this.responses.options.periodMs,
        count: overdue.count,
        oldest: overdue.oldest,
        // Due by the rule's own limit, so the rate and the backlog on the page count the same complaints.
        responseRate: this.responses.responseRate(labels, end, signal.olderThanMs),
        firstResponseSeconds: this.responses.medianFirstResponse(labels, end),
      }),
    };
  }
}

const detailKey = (signal: RuleSignal, labels: Labels): string =>
  `${signal.kind}|${signal.kind === "spread" ? `${signal.withinMs}|${signal.minMentions}` : `${signal.olderThanMs}|${signal.withinMs}`}|${keyId(labels)}`;
