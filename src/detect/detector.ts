// The one interface every detector implements, and the registry entry that joins a detector's config
// schema to its runtime. Detectors are pure state machines over one series: time is an argument.
import type { z } from "zod";

/** What a detector says about one new point; explanations quote these numbers. */
export interface Estimate {
  /** The value of the window just closed. */
  observed: number;
  /** What the detector expected for it (baseline, seasonal rate, …). */
  expected: number;
  /**
   * observed / expected. When expected is 0 the factor is observed / floor, where floor is the
   * detector's `zero_baseline` floor (default 1): a zero baseline never divides by zero.
   */
  factor: number;
  /** The detector's own score, larger = more anomalous (z, -log10 p, CUSUM statistic, …). */
  score: number;
  /** Tail probability of a value at least this large under the baseline, when the detector has one. */
  pValue?: number;
  /** The spread a z-like score counts in, score = (observed - expected) / scale (robust_z, seasonal, ewma). */
  scale?: number;
  /** False while the detector lacks the history it needs to judge (it never breaches then). */
  ready: boolean;
}

/**
 * One series' detector. The engine calls, for every closed window in time order:
 *   estimate = detector.evaluate(time, value)
 *   detector.breaches(estimate, thresholds)   // once per level (warning, critical, recovery)
 *   detector.learn(time, value, excluded)     // excluded: the window was alerting
 * Evaluate must not change state; learn is where the baseline moves. An excluded window must not pull
 * the baseline towards the anomaly (a crisis must not teach the detector that crisis is normal):
 * detectors skip it, or learn their expected value in its place so seasonal slots stay filled.
 */
export interface Detector<Config> {
  evaluate(time: number, value: number): Estimate;
  /** Whether the estimate crosses the thresholds in `thresholds` (the config, or a level's overrides merged in). */
  breaches(estimate: Estimate, thresholds: Config): boolean;
  learn(time: number, value: number, excluded: boolean): void;
  /**
   * The smallest window value that would breach `thresholds` against the expectation of `estimate`
   * (the estimate just computed for the latest window, before learn): the breach condition inverted,
   * so that breaches holds at the level and not below it (the count detectors answer a whole count).
   * What a forecast aims at: "about 30 min to the critical level of 120". Undefined while the detector
   * is not ready. Detectors whose breach rests on a state that moves with every window (cusum,
   * volume_spike) do not implement it: no single window value is their level.
   */
  levelFor?(estimate: Estimate, thresholds: Config): number | undefined;
}

export interface DetectorContext {
  /** Width of the series' windows, ms. */
  windowMs: number;
}

/** A registry entry: the `type` rule authors write, the config schema, and the factory. */
export interface DetectorDefinition<Schema extends z.ZodType = z.ZodType> {
  type: string;
  /** One sentence for the JSON Schema description (editor tooltips). */
  description: string;
  /** Config without `type`; strict (unknown keys rejected); every key documented with .describe(). */
  schema: Schema;
  /** The config keys a rule may override per level (critical) and for recovery: thresholds only. */
  thresholdKeys: readonly string[];
  create(config: z.output<Schema>, context: DetectorContext): Detector<z.output<Schema>>;
}
