// Explanations, wired: the evidence the windower gathers per brand, and the firing alerts whose
// explanation follows their windows. The engine calls `explain` before an event's page snapshot is
// taken and `refresh` at each window an alert keeps firing without an event.
import { EvidenceStore } from "./aggregate/evidence-store.js";
import { explainAlert } from "./explain/explain.js";
import type { Alert } from "./model/index.js";

export class Explaining {
  /** Words, posts and voices of recent negative mentions per brand: what alerts are explained from. */
  readonly evidence = new EvidenceStore();
  /** Firing alerts with an explanation, by fingerprint. */
  private readonly explained = new Map<string, Alert>();

  constructor(private readonly windowMs: number) {}

  /** Why the alert fires, from its brand's evidence; kept on the alert and refreshed while it fires. */
  explain(alert: Alert, metric: string): void {
    const brand = alert.labels.brand;
    if (brand === undefined) return;
    const evidence = this.evidence.brand(brand, alert.last.time - this.evidence.options.retainMs);
    alert.explanation = explainAlert(alert, evidence, { windowMs: this.windowMs, metric });
    if (alert.state === "firing") this.explained.set(alert.fingerprint, alert);
    else this.explained.delete(alert.fingerprint);
  }

  /** A firing alert's explanation follows its windows (reminders and the API show the latest). */
  refresh(fingerprint: string, metric: string): void {
    const alert = this.explained.get(fingerprint);
    if (!alert) return;
    if (alert.state === "firing") this.explain(alert, metric);
    else this.explained.delete(fingerprint);
  }
}
