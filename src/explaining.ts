// Explanations, wired: the evidence the windower gathers per brand, and the firing alerts whose
// explanation follows their windows. The engine calls `explain` before an event's page snapshot is
// taken and `refresh` at each window an alert keeps firing without an event.
import { EvidenceStore } from "./aggregate/evidence-store.js";
import { fitGrowth, forecastCrossing, plainDuration, plainForecast } from "./detect/forecast.js";
import { explainAlert } from "./explain/explain.js";
import type { SignalDetail } from "./explain/signal-explanation.js";
import { withSignal } from "./explain/signal-explanation.js";
import { amount } from "./explain/plain-words.js";
import type { Alert, ExplainedGrowth } from "./model/index.js";

/** Recent windows of the alert's own series, oldest first, the last one just closed. */
export type RecentCounts = () => { counts: number[]; end: number } | undefined;
/** The rule's critical level now (its detector's levelFor on the latest estimate), if it has one. */
export type CriticalLevel = () => number | undefined;

/** What an explanation is computed from beside the brand's evidence; each read only when needed. */
export interface ExplainInputs {
  /** The alert series' recent windows: its growth. */
  recent?: RecentCounts;
  /** The critical level: when the growth gets there. */
  critical?: CriticalLevel;
  /** A signal rule's measure (the shared story, the unanswered backlog). */
  signal?: () => SignalDetail | undefined;
}

type Recent = NonNullable<ReturnType<RecentCounts>>;
type ExplainedForecast = NonNullable<ExplainedGrowth["forecast"]>;

/** Windows fitted for growth: the last half hour at 5-minute windows, so a jump an hour ago is not growth now. */
export const GROWTH_WINDOWS = 6;
/** Below this share of deviance explained, or when growth is not significant, no growth is told. */
const MIN_R2 = 0.6;

export class Explaining {
  /** Words, posts and voices of recent negative mentions per brand: what alerts are explained from. */
  readonly evidence = new EvidenceStore();
  /** The widest story of each firing spread alert's episode, by fingerprint. */
  private readonly widestStory = new Map<string, SignalDetail>();
  /** Firing alerts with an explanation, by fingerprint. */
  private readonly explained = new Map<string, Alert>();

  constructor(private readonly windowMs: number) {}

  /**
   * Why the alert fires, from its brand's evidence; kept on the alert and refreshed while it fires.
   * With `critical`, a firing alert not yet critical also tells when it gets there at this pace.
   */
  explain(alert: Alert, metric: string, { recent, critical, signal }: ExplainInputs = {}): void {
    const brand = alert.labels.brand;
    if (brand === undefined) return;
    const evidence = this.evidence.brand(brand, alert.last.time - this.evidence.options.retainMs);
    const general = explainAlert(alert, evidence, { windowMs: this.windowMs, metric });
    const detail = this.signalDetail(alert, signal?.());
    const explanation = detail ? withSignal(general, detail) : general;
    const counts = alert.state === "resolved" ? undefined : recent?.();
    const growth = counts && this.growth(counts);
    if (!counts || !growth) {
      alert.explanation = explanation;
    } else {
      const ahead = alert.state === "firing" && alert.severity !== "critical";
      const told = ahead ? this.forecast(counts, critical?.()) : undefined;
      const doubling = `doubling about every ${plainDuration(growth.doublingMs)}`;
      alert.explanation = {
        ...explanation,
        growth: told ? { ...growth, forecast: told.forecast } : growth,
        plain: told
          ? `${explanation.plain}; ${doubling}; ${told.words}`
          : `${explanation.plain}; ${doubling} at this pace`,
      };
    }
    if (alert.state === "firing") this.explained.set(alert.fingerprint, alert);
    else this.explained.delete(alert.fingerprint);
  }

  /**
   * The signal detail to explain: the current one, except that a spread alert's resolve page tells the
   * widest story of its episode, not the little left of it at the end.
   */
  private signalDetail(alert: Alert, current: SignalDetail | undefined): SignalDetail | undefined {
    if (current?.kind !== "spread") return current;
    const widest = this.widestStory.get(alert.fingerprint);
    const reach = (detail: SignalDetail | undefined) =>
      detail?.kind === "spread" ? (detail.story?.channels.length ?? 0) : 0;
    const best = reach(current) >= reach(widest) ? current : (widest as SignalDetail);
    if (alert.state === "resolved") {
      this.widestStory.delete(alert.fingerprint);
      return best;
    }
    this.widestStory.set(alert.fingerprint, best);
    return current;
  }

  /** A firing alert's explanation follows its windows (reminders and the API show the latest). */
  refresh(fingerprint: string, metric: string, inputs: ExplainInputs = {}): void {
    const alert = this.explained.get(fingerprint);
    if (!alert) return;
    if (alert.state === "firing") this.explain(alert, metric, inputs);
    else this.explained.delete(fingerprint);
  }

  /** Exponential growth of the recent windows, told only when it fits well and is significant. */
  private growth(recent: Recent): ExplainedGrowth | undefined {
    if (recent.counts.length < 4) return undefined;
    const fit = fitGrowth({ counts: recent.counts, windowMs: this.windowMs, end: recent.end });
    if (!fit || fit.r2 < MIN_R2 || !(fit.rateInterval[0] > 0) || !Number.isFinite(fit.doublingMs))
      return undefined;
    return { ratePerHour: fit.ratePerHour, doublingMs: fit.doublingMs, r2: fit.r2, windows: fit.points };
  }

  /**
   * When the growing series reaches `level`, or nothing: forecastCrossing abstains on a poor fit, a
   * growth not significant (unbounded interval), an interval wider than 3× the lead, and a crossing
   * past 6 h or past twice the fitted span (an hour of 5-minute windows). A last window already at the
   * level has no crossing ahead.
   */
  private forecast(
    recent: Recent,
    level: number | undefined,
  ): { forecast: ExplainedForecast; words: string } | undefined {
    const last = recent.counts.at(-1) ?? 0;
    if (level === undefined || !(level > 0) || last >= level) return undefined;
    const series = { counts: recent.counts, windowMs: this.windowMs, end: recent.end };
    const crossing = forecastCrossing(series, { level, minR2: MIN_R2 });
    const words = plainForecast(crossing, recent.end, `the critical level of ${amount(level)}`);
    if (crossing.kind === "none" || words === undefined) return undefined;
    return {
      forecast: { level, at: crossing.at, earliest: crossing.earliest, latest: crossing.latest },
      words,
    };
  }
}
