// The campaign calendar: planned launches during which volume rules on a brand expect `multiplier` ×
// their usual level instead of being muted, so launch-day buzz does not page but a spike far above
// even the raised level still does. Entries come from tocsin.yaml `calendar` and `calendar_file`.
import { z } from "zod";
import type { Labels, Metric } from "../model/index.js";
import { METRICS } from "../model/index.js";
import { LocatedError } from "../util/located-error.js";
import { parseYamlSource } from "../util/yaml-source.js";
import { locateZodIssues } from "../util/zod-issues.js";

/** The metrics an entry raises unless it lists its own: the counts a launch inflates. */
export const VOLUME_METRICS = [
  "mentions",
  "negative",
  "negative_reach",
  "negative_authors",
] as const satisfies readonly Metric[];

/** Above this a "campaign" is a mute in disguise: a rule that cannot fire should be silenced openly. */
const MAX_MULTIPLIER = 1000;

const instant = z.iso.datetime({
  offset: true,
  error: "must be an ISO 8601 date-time with an offset, e.g. 2026-03-10T09:00:00+01:00",
});

export const calendarEntrySchema = z
  .strictObject({
    /** The `brand` label of the series the entry raises (per-channel series included). */
    brand: z.string().trim().min(1, "brand must not be empty"),
    /** First instant of the campaign (inclusive), with its offset. */
    start: instant,
    /** End of the campaign (exclusive), with its offset. */
    end: instant,
    /** How many times the usual level the rules expect during the campaign (> 1). */
    multiplier: z
      .number()
      .gt(1, "multiplier must be greater than 1 (1 changes nothing; to silence, use a silence)")
      .max(MAX_MULTIPLIER, `multiplier must be at most ${MAX_MULTIPLIER}`),
    /** Why: shown on the alert ("expected raised ×3 for <note>"). */
    note: z.string().trim().min(1, "note must not be empty"),
    /** The metrics raised; default the volume metrics. */
    metrics: z
      .array(z.enum(METRICS))
      .min(1)
      .default([...VOLUME_METRICS]),
  })
  .superRefine((entry, context) => {
    if (Date.parse(entry.end) <= Date.parse(entry.start))
      context.addIssue({ code: "custom", path: ["end"], message: "end must be after start" });
  })
  .transform((entry) => ({ ...entry, start: Date.parse(entry.start), end: Date.parse(entry.end) }));

export const calendarSchema = z.array(calendarEntrySchema);

/** A validated entry; start and end are epoch ms. */
export type CalendarEntry = z.output<typeof calendarEntrySchema>;

/** What a judged window records when an entry applied to it. */
export interface Campaign {
  note: string;
  multiplier: number;
}

/** Validates a calendar file (YAML or JSON, a list of entries); throws LocatedError with every issue. */
export function parseCalendarText(text: string, file: string): CalendarEntry[] {
  const source = parseYamlSource(text, file);
  if (source.issues.length > 0) throw new LocatedError(source.issues);
  const result = calendarSchema.safeParse(source.data ?? []);
  if (!result.success) throw new LocatedError(locateZodIssues(source, result.error.issues));
  return result.data;
}

export class CampaignCalendar {
  constructor(private readonly entries: readonly CalendarEntry[] = []) {}

  /**
   * The campaign raising `metric` on the series `labels` for the window starting at `time`; when
   * entries overlap, the largest multiplier (the most generous expectation announced) wins.
   */
  at(metric: Metric, labels: Labels, time: number): Campaign | undefined {
    let found: CalendarEntry | undefined;
    for (const entry of this.entries) {
      if (time < entry.start || time >= entry.end || labels.brand !== entry.brand) continue;
      if (!entry.metrics.includes(metric)) continue;
      if (!found || entry.multiplier > found.multiplier) found = entry;
    }
    return found && { note: found.note, multiplier: found.multiplier };
  }
}

/** The line an alert carries while a campaign raised its expectation. */
export function campaignText(campaign: Campaign): string {
  return `expected raised ×${campaign.multiplier} for ${campaign.note}`;
}
