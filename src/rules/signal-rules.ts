// Rule types that watch something other than one stored series: a story crossing channels (`spread`)
// and complaints left unanswered (`unanswered`). The engine measures their signal at each window
// close; here each is a threshold on that signal, shaped as a detector so the rest of the rule
// machinery — critical and recovery overrides, for, keep_firing_for, flap, alerts — is the same.
import { z } from "zod";
import type { DetectorDefinition, Estimate } from "../detect/detector.js";
import type { Metric } from "../model/index.js";
import { duration } from "./fields.js";

/** What the engine measures for a signal rule at each window close. */
export type RuleSignal =
  | {
      kind: "spread";
      /** The span in which the story must reach the channels. */
      withinMs: number;
      /** Negative mentions using the story in a channel before that channel counts. */
      minMentions: number;
    }
  | {
      kind: "unanswered";
      /** Age from which a negative mention without a brand reply is overdue. */
      olderThanMs: number;
      /** Only complaints younger than this count: a pile-up is recent. */
      withinMs: number;
    };

export const spreadSchema = z
  .strictObject({
    channels: z
      .number()
      .int()
      .min(2)
      .default(3)
      .describe("Fire when one story (shared emerging terms or link) is in at least this many channels."),
    within: duration("The span in which the story must reach those channels, e.g. 2h.").prefault("2h"),
    min_mentions: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe("Negative mentions carrying the story in a channel before that channel counts."),
  })
  .describe(
    "Cross-channel spread: the same story appears in several channels within a span (a forum post reaching blogs, then the press). Watches each brand as a whole.",
  );

export const unansweredSchema = z
  .strictObject({
    older_than: duration(
      "Age from which a negative mention with no brand reply is overdue, e.g. 1h (at most the responsiveness period).",
    ).prefault("1h"),
    within: duration(
      "Only complaints posted within this span count (at most the responsiveness period), e.g. 6h: a pile-up is recent, not the slow residue of a day.",
    ).prefault("6h"),
    at_least: z
      .number()
      .int()
      .min(1)
      .describe("Fire when at least this many negative mentions are overdue, e.g. 20."),
  })
  .describe("Unanswered complaints: fire when negative mentions pile up without a brand reply.");

export type SpreadConfig = z.output<typeof spreadSchema>;
export type UnansweredConfig = z.output<typeof unansweredSchema>;

/** A signal rule type: its key in the rule, the series its alerts are about, and its threshold. */
export interface SignalRuleType<Schema extends z.ZodType = z.ZodType> {
  key: "spread" | "unanswered";
  /** The metric its alerts quote and explain (and the one its recent growth is read from). */
  metric: Metric;
  /** The threshold on the signal, as a detector: critical and recovery override its keys. */
  detector: DetectorDefinition<Schema>;
  signal(config: z.output<Schema>): RuleSignal;
}

/** A stateless "at least" line on a signal value: expected is the line, so factor reads "× the line". */
function atLeast<Schema extends z.ZodType>(
  type: string,
  description: string,
  schema: Schema,
  key: string,
): DetectorDefinition<Schema> {
  const line = (config: unknown) => (config as Record<string, number>)[key] as number;
  return {
    type,
    description,
    schema,
    thresholdKeys: [key],
    create(config) {
      return {
        evaluate(_time, value): Estimate {
          const factor = value / line(config);
          return { observed: value, expected: line(config), factor, score: value, ready: true };
        },
        breaches: (estimate, thresholds) => estimate.observed >= line(thresholds),
        levelFor: (_estimate, thresholds) => line(thresholds),
        learn() {},
      };
    },
  };
}

export const spreadRule: SignalRuleType<typeof spreadSchema> = {
  key: "spread",
  metric: "negative",
  detector: atLeast("spread", spreadSchema.description ?? "", spreadSchema, "channels"),
  signal: (config) => ({ kind: "spread", withinMs: config.within, minMentions: config.min_mentions }),
};

export const unansweredRule: SignalRuleType<typeof unansweredSchema> = {
  key: "unanswered",
  metric: "unanswered_overdue",
  detector: atLeast("unanswered", unansweredSchema.description ?? "", unansweredSchema, "at_least"),
  signal: (config) => ({ kind: "unanswered", olderThanMs: config.older_than, withinMs: config.within }),
};

export const SIGNAL_RULES = [spreadRule, unansweredRule] as const;
