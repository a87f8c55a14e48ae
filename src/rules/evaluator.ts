// Runs every rule's detector on every series it watches as each window closes. Detector state lives
// here, one per (rule, series); a new one is warmed from the stored history before it judges, so a
// reload or a restart does not need days of fresh data. During a campaign (calendar.ts) a volume
// rule judges and learns value / multiplier, so the launch neither pages nor inflates the baseline.
import type { Detector, DetectorDefinition } from "../detect/detector.js";
import type { ClosedWindow, Labels, Metric, WindowRow } from "../model/index.js";
import { keyId, metricIndex } from "../model/index.js";
import type { Campaign } from "./calendar.js";
import { CampaignCalendar } from "./calendar.js";
import type { CompiledRule } from "./compile.js";
import { selects } from "./select.js";
import type { RuleSignal } from "./signal-rules.js";

/**
 * Hands `visit` a series' stored points in [from, to), oldest first, for warming detectors (one call
 * per point rather than an array of Points: a restart warms days of history for every rule × series).
 */
export type HistoryReader = (
  metric: Metric,
  labels: Labels,
  from: number,
  to: number,
  visit: (time: number, value: number) => void,
) => void;

/** Measures a signal rule's signal on a series at a window's close (spread, unanswered). */
export type SignalReader = (signal: RuleSignal, labels: Labels, window: ClosedWindow) => number;

export interface Judged {
  rule: CompiledRule;
  labels: Labels;
  /** The window's row of the series (labels is its key). */
  row: WindowRow;
  /** Window start and end, epoch ms. */
  start: number;
  end: number;
  /** The window's value as measured (not scaled by a campaign). */
  value: number;
  /** With a campaign: expected is the detector's × multiplier, observed the measured value. */
  estimate: ReturnType<Detector<unknown>["evaluate"]>;
  breach: boolean;
  critical: boolean;
  holds: boolean;
  detector: Detector<unknown>;
  /** The calendar entry whose multiplier raised the expectation of this window, if any. */
  campaign?: Campaign;
}

interface RuleState {
  rule: CompiledRule;
  column: number;
  detectors: Map<string, Detector<unknown>>;
  /**
   * The detector of each row of the last window, by row position: the windower lists its keys in the
   * same order every close, so a row's detector is found by position and key identity, not by the
   * key's id and a string look-up (10 × N times per close).
   */
  rowKeys: Labels[];
  rowDetectors: Detector<unknown>[];
}

export interface EvaluatorOptions {
  windowMs: number;
  /** How far back a new detector is warmed from history (the store's retention). */
  warmupMs: number;
  history: HistoryReader;
  /** Planned campaigns; none when absent. */
  calendar?: CampaignCalendar;
  /** The engine's measures for signal rules; without it they read 0 and never fire. */
  signals?: SignalReader;
  /**
   * The windows (by start) a new detector is warmed without, as it learned live: those judged while
   * the rule's alert on the series was pending or firing. None when absent.
   */
  keptOut?: (rule: CompiledRule, labels: Labels) => ((start: number) => boolean) | undefined;
}

export class RuleEvaluator {
  private states: RuleState[] = [];
  private readonly calendar: CampaignCalendar;

  constructor(private readonly options: EvaluatorOptions) {
    this.calendar = options.calendar ?? new CampaignCalendar();
  }

  /** Swaps the rule set; rules whose definition did not change keep their detectors. */
  setRules(rules: readonly CompiledRule[]): void {
    const kept = new Map(this.states.map((state) => [state.rule.hash, state]));
    this.states = rules.map((rule) => {
      const previous = kept.get(rule.hash);
      if (previous) return { ...previous, rule };
      return {
        rule,
        column: metricIndex(rule.metric),
        detectors: new Map(),
        rowKeys: [],
        rowDetectors: [],
      };
    });
  }

  get ruleCount(): number {
    return this.states.length;
  }

  rules(): CompiledRule[] {
    return this.states.map((state) => state.rule);
  }

  /** Judges the window on every watched series; call learn() with each result afterwards. */
  evaluate(window: ClosedWindow): Judged[] {
    const judged: Judged[] = [];
    this.evaluateEach(window, (one) => judged.push(one));
    return judged;
  }

  /**
   * Judges the window on every watched series, handing each result to `visit` as it is made; returns
   * how many. At 100k series a result that is used and dropped at once costs the young generation
   * only, where an array of all of them outlived collections and was copied.
   */
  evaluateEach(window: ClosedWindow, visit: (judged: Judged) => void): number {
    let count = 0;
    for (const state of this.states) {
      const { rule } = state;
      // A rule without match or `by` watches every series: no label test per row.
      const everySeries = rule.by === undefined && Object.keys(rule.match).length === 0;
      const { rows } = window;
      for (let index = 0; index < rows.length; index++) {
        const row = rows[index] as WindowRow;
        if (!everySeries && !selects(rule, row.key)) continue;
        let detector = state.rowDetectors[index];
        if (state.rowKeys[index] !== row.key || !detector) {
          detector = this.detectorFor(state, row.key, window.start);
          state.rowKeys[index] = row.key;
          state.rowDetectors[index] = detector;
        }
        const value = rule.signal
          ? (this.options.signals?.(rule.signal, row.key, window) ?? 0)
          : (row.values[state.column] ?? 0);
        // A campaign raises expected volumes; a story's reach or unanswered complaints are not volumes.
        const campaign = rule.signal ? undefined : this.calendar.at(rule.metric, row.key, window.start);
        const multiplier = campaign?.multiplier ?? 1;
        // The detector judges the scaled value; factor and score are its own, the numbers shown are real.
        const estimate = detector.evaluate(window.start, value / multiplier);
        const breach = estimate.ready && detector.breaches(estimate, rule.config);
        const critical =
          rule.criticalConfig !== undefined &&
          estimate.ready &&
          detector.breaches(estimate, rule.criticalConfig);
        const holds =
          rule.recoveryConfig === undefined
            ? breach
            : estimate.ready && detector.breaches(estimate, rule.recoveryConfig);
        const one: Judged = {
          rule,
          labels: row.key,
          row,
          start: window.start,
          end: window.end,
          value,
          estimate,
          breach,
          critical,
          holds,
          detector,
        };
        if (campaign) {
          one.estimate = { ...estimate, observed: value, expected: estimate.expected * multiplier };
          one.campaign = campaign;
        }
        visit(one);
        count++;
      }
    }
    return count;
  }

  /** Lets the detector learn the window; `excluded` when its alert is pending or firing. */
  learn(judged: Judged, excluded: boolean): void {
    judged.detector.learn(judged.start, judged.value / (judged.campaign?.multiplier ?? 1), excluded);
  }

  private detectorFor(state: RuleState, labels: Labels, before: number): Detector<unknown> {
    const id = keyId(labels);
    let detector = state.detectors.get(id);
    if (!detector) {
      const definition = state.rule.detector as DetectorDefinition;
      detector = definition.create(state.rule.config as never, {
        windowMs: this.options.windowMs,
      }) as Detector<unknown>;
      // Signal rules are stateless lines on a live measure: nothing to warm.
      const { rule } = state;
      if (!rule.signal) this.warm(detector, rule, labels, before);
      state.detectors.set(id, detector);
    }
    return detector;
  }

  /** Teaches a new detector the stored windows before `before`, as it would have learned them live. */
  private warm(detector: Detector<unknown>, rule: CompiledRule, labels: Labels, before: number): void {
    let keptOut: ((time: number) => boolean) | undefined;
    let asked = false;
    this.options.history(rule.metric, labels, before - this.options.warmupMs, before, (time, value) => {
      if (!asked) {
        keptOut = this.options.keptOut?.(rule, labels);
        asked = true;
      }
      const campaign = this.calendar.at(rule.metric, labels, time);
      detector.learn(time, value / (campaign?.multiplier ?? 1), keptOut?.(time) ?? false);
    });
  }
}
