// Named mute windows, after Alertmanager's time_intervals (timeinterval/timeinterval.go): each window
// lists periods; a period holds when every condition it sets holds (times of day, weekdays, days of
// month, months, years) in its timezone. Ranges are inclusive "a:b"; negative days count from the
// month's end (-1 is the last day). Times "HH:MM-HH:MM" include the start and exclude the end; unlike
// Alertmanager, an overnight range such as "22:00-06:00" is allowed, and its after-midnight part belongs
// to the day it started (Friday "22:00-06:00" holds until Saturday 06:00).
import { z } from "zod";

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;

type Range = readonly [number, number];

export interface TimePeriod {
  /** Minutes of the day [start, end); end < start wraps past midnight. */
  times?: Range[];
  /** 0 = Sunday. */
  weekdays?: Range[];
  daysOfMonth?: Range[];
  /** 1 = January. */
  months?: Range[];
  years?: Range[];
  location: string;
}

export interface MuteWindow {
  name: string;
  periods: TimePeriod[];
}

function rangeField(what: string, parse: (part: string) => number | undefined, min: number, max: number) {
  return z
    .array(z.string())
    .optional()
    .transform((items, context) => {
      if (items === undefined) return undefined;
      const out: Range[] = [];
      for (const item of items) {
        const [a, b = a, extra] = item
          .toLowerCase()
          .split(":")
          .map((p) => p.trim());
        const from = a === undefined ? undefined : parse(a);
        const to = parse(b as string);
        const bad = (n: number | undefined) => n === undefined || n < min || n > max || n === 0;
        if (
          extra !== undefined ||
          bad(from) ||
          bad(to) ||
          (from as number) * (to as number) < 0 ||
          (from as number) > (to as number)
        ) {
          context.addIssue({
            code: "custom",
            message: `expected ${what} or a range a:b of them, got ${JSON.stringify(item)}`,
          });
          continue;
        }
        out.push([from as number, to as number]);
      }
      return out;
    });
}

const integer = (text: string) => (/^-?\d+$/.test(text) ? Number(text) : undefined);
const named = (names: string[], offset: number) => (text: string) => {
  const i = names.indexOf(text);
  return i >= 0 ? i + offset : integer(text);
};

const periodSchema = z
  .strictObject({
    times: z
      .array(
        z.string().refine((text) => TIME.test(text) && validTimes(parseTimes(text)), {
          message: 'expected a time range such as "09:00-17:30" or "22:00-06:00"',
        }),
      )
      .optional()
      .describe('Times of day "HH:MM-HH:MM", start included, end excluded; "22:00-06:00" spans midnight.'),
    // Weekdays are parsed 1..7 (Sunday = 7 would break ranges), so names map to 1 = Sunday … 7 = Saturday.
    weekdays: rangeField("a weekday such as monday", named(WEEKDAYS, 1), 1, 7).describe(
      'Weekdays or ranges such as "monday:friday".',
    ),
    days_of_month: rangeField("a day of month (1..31, or -1 for the last)", integer, -31, 31).describe(
      'Days of the month or ranges such as "1:7" or "-3:-1" (the last three days).',
    ),
    months: rangeField("a month such as january or 1", named(MONTHS, 1), 1, 12).describe(
      'Months or ranges such as "january:march" or "11:12".',
    ),
    years: rangeField("a year", integer, 1, 9999).describe('Years or ranges such as "2026:2027".'),
    location: z
      .string()
      .default("UTC")
      .refine(validZone, { message: "expected an IANA timezone such as Europe/Paris" })
      .describe("IANA timezone the conditions are read in, e.g. Europe/Paris (default UTC)."),
  })
  .transform((p): TimePeriod => ({
    ...(p.times && { times: p.times.map(parseTimes) }),
    ...(p.weekdays && { weekdays: p.weekdays.map(([a, b]) => [a - 1, b - 1] as const) }),
    ...(p.days_of_month && { daysOfMonth: p.days_of_month }),
    ...(p.months && { months: p.months }),
    ...(p.years && { years: p.years }),
    location: p.location,
  }));

/** The `time_intervals:` section: named windows that routes refer to. */
export const muteWindowsSchema = z
  .array(
    z.strictObject({
      name: z.string().min(1).describe("Name routes use in mute_time_intervals / active_time_intervals."),
      time_intervals: z.array(periodSchema).min(1).describe("Periods; the window holds during any of them."),
    }),
  )
  .superRefine((windows, context) => {
    const seen = new Set<string>();
    windows.forEach((w, i) => {
      if (seen.has(w.name))
        context.addIssue({ code: "custom", message: `duplicate window name ${w.name}`, path: [i, "name"] });
      seen.add(w.name);
    });
  })
  .transform((windows): MuteWindow[] => windows.map((w) => ({ name: w.name, periods: w.time_intervals })))
  .describe("Named time windows (like Alertmanager's time_intervals).");

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const validTimes = ([start, end]: Range) => start !== end && end <= 1440;

function parseTimes(text: string): Range {
  const [, h1, m1, h2, m2] = TIME.exec(text) as RegExpExecArray;
  return [Number(h1) * 60 + Number(m1), Number(h2) * 60 + Number(m2)];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar date and minute of day of an instant in a timezone. */
function localTime(now: number, zone: string) {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(now))
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    minute: (parts.hour ?? 0) * 60 + (parts.minute ?? 0),
  };
}

const inRanges = (value: number, ranges: readonly Range[] | undefined) =>
  ranges === undefined || ranges.some(([a, b]) => value >= a && value <= b);

/** Whether the date conditions hold on a calendar day (month 1-based). */
function dayMatches(p: TimePeriod, year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + 1;
  const d = date.getUTCDate();
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const days = p.daysOfMonth?.map(([a, b]) => [a < 0 ? last + 1 + a : a, b < 0 ? last + 1 + b : b] as const);
  return (
    inRanges(date.getUTCDay(), p.weekdays) &&
    inRanges(d, days) &&
    inRanges(m, p.months) &&
    inRanges(y, p.years)
  );
}

/** Whether one period holds at `now`. */
export function periodHolds(p: TimePeriod, now: number): boolean {
  const t = localTime(now, p.location);
  if (!p.times) return dayMatches(p, t.year, t.month, t.day);
  return p.times.some(([start, end]) => {
    if (start < end) return t.minute >= start && t.minute < end && dayMatches(p, t.year, t.month, t.day);
    // Overnight: before midnight on the day itself, after midnight on behalf of the day before.
    if (t.minute >= start) return dayMatches(p, t.year, t.month, t.day);
    return t.minute < end && dayMatches(p, t.year, t.month, t.day - 1);
  });
}

/** Whether any of the windows holds at `now`. */
export function isMuted(windows: readonly MuteWindow[], now: number): boolean {
  return windows.some((w) => w.periods.some((p) => periodHolds(p, now)));
}

/** The first of the named windows that holds at `now`, by name (unknown names are ignored). */
export function activeWindow(
  windows: readonly MuteWindow[],
  names: readonly string[],
  now: number,
): string | undefined {
  return names.find((name) =>
    windows.some((w) => w.name === name && w.periods.some((p) => periodHolds(p, now))),
  );
}
