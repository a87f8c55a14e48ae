// Explanations, wired: the evidence the windower gathers per brand, and the firing alerts whose
// explanation follows their windows. The engine calls `explain` before an event's page snapshot is
// taken and `refresh` at each window an alert keeps firing without an event.
import { EvidenceStore } from "./aggregate/evidence-store.js";
import { fitGrowth, plainDuration } from "./detect/forecast.js";
import { explainAlert } from "./explain/explain.js";
import type { Alert, ExplainedGrowth } from "./model/index.js";

/** Recent windows of the alert's own series, oldest first, the last one just closed. */
export type RecentCounts = () => { counts: number[]; end: number } | undefined;

/** Windows fitted for growth: the last half hour at 5-minute windows, so a jump an hour ago is not growth now. */
export const GROWTH_WINDOWS = 6;
/** Below this share of deviance explained, or when growth is not significant, no growth is told. */
const MIN_R2 = 0.6;

export class Explaining {
  /** Words, posts and voices of recent negative mentions per brand: what alerts are explained from. */
  readonly evidence = new EvidenceStore();
  /** Firing alerts with an explanation, by fingerprint. */
  private readonly explained = new Map<string, Alert>();

  constructor(private readonly windowMs: number) {}

  /** Why the alert fires, from its brand's evidence; kept on the alert and refreshed while it fires. */
  explain(alert: Alert, metric: string, recent?: RecentCounts): void {
    const brand = alert.labels.brand;
    if (brand === undefined) return;
    const evidence = this.evidence.brand(brand, alert.last.time - this.evidence.options.retainMs);
    const explanation = explainAlert(alert, evidence, { windowMs: this.windowMs, metric });
    const growth = alert.state === "resolved" ? undefined : this.growth(recent?.());
    alert.explanation = growth
      ? {
          ...explanation,
          growth,
          plain: `${explanation.plain}; doubling about every ${plainDuration(growth.doublingMs)} at this pace`,
        }
      : explanation;
    if (alert.state === "firing") this.explained.set(alert.fingerprint, alert);
    else this.explained.delete(alert.fingerprint);
  }

  /** A firing alert's explanation follows its windows (reminders and the API show the latest). */
  refresh(fingerprint: string, metric: string, recent?: RecentCounts): void {
    const alert = this.explained.get(fingerprint);
    if (!alert) return;
    if (alert.state === "firing") this.explain(alert, metric, recent);
    else this.explained.delete(fingerprint);
  }

  /** Exponential growth of the recent windows, told only when it fits well and is significant. */
  private growth(recent: { counts: number[]; end: number } | undefined): ExplainedGrowth | undefined {
    if (!recent || recent.counts.length < 4) return undefined;
    const fit = fitGrowth({ counts: recent.counts, windowMs: this.windowMs, end: recent.end });
    if (!fit || fit.r2 < MIN_R2 || !(fit.rateInterval[0] > 0) || !Number.isFinite(fit.doublingMs))
      return undefined;
    return { ratePerHour: fit.ratePerHour, doublingMs: fit.doublingMs, r2: fit.r2, windows: fit.points };
  }
}
