import { describe, expect, it } from "vitest";
import type { MuteWindow } from "../src/alerting/mute-windows.js";
import { activeWindow, isMuted, muteWindowsSchema } from "../src/alerting/mute-windows.js";

const at = (iso: string) => Date.parse(iso);
const windows = (periods: unknown[], name = "w"): MuteWindow[] =>
  muteWindowsSchema.parse([{ name, time_intervals: periods }]);

describe("mute windows", () => {
  // 2026-03-06 is a Friday; Paris is UTC+1 until 29 March, UTC+2 in July.
  const office = windows([{ weekdays: ["monday:friday"], times: ["09:00-17:00"], location: "Europe/Paris" }]);

  it("reads times of day and weekdays in the window's timezone", () => {
    expect(isMuted(office, at("2026-03-06T08:30:00Z"))).toBe(true); // 09:30 in Paris
    expect(isMuted(office, at("2026-03-06T07:59:00Z"))).toBe(false); // 08:59
    expect(isMuted(office, at("2026-03-06T08:00:00Z"))).toBe(true); // 09:00, start included
    expect(isMuted(office, at("2026-03-06T16:00:00Z"))).toBe(false); // 17:00, end excluded
    expect(isMuted(office, at("2026-03-07T10:00:00Z"))).toBe(false); // Saturday
    expect(isMuted(office, at("2026-07-06T07:30:00Z"))).toBe(true); // Monday 09:30 in summer time
    expect(isMuted(office, at("2026-07-06T15:30:00Z"))).toBe(false); // 17:30 in summer time
  });

  it("takes the weekday from the local date, not the UTC one", () => {
    const saturday = windows([{ weekdays: ["saturday"], location: "America/New_York" }]);
    expect(isMuted(saturday, at("2026-03-07T03:00:00Z"))).toBe(false); // Friday 22:00 in New York
    expect(isMuted(saturday, at("2026-03-07T06:00:00Z"))).toBe(true); // Saturday 01:00
  });

  it("lets an overnight range run past midnight on behalf of the day it started", () => {
    const fridayNight = windows([{ weekdays: ["friday"], times: ["22:00-06:00"] }]);
    expect(isMuted(fridayNight, at("2026-03-06T21:59:00Z"))).toBe(false);
    expect(isMuted(fridayNight, at("2026-03-06T23:00:00Z"))).toBe(true);
    expect(isMuted(fridayNight, at("2026-03-07T05:59:00Z"))).toBe(true); // Saturday morning
    expect(isMuted(fridayNight, at("2026-03-07T06:00:00Z"))).toBe(false);
    expect(isMuted(fridayNight, at("2026-03-07T23:00:00Z"))).toBe(false); // Saturday night
    expect(isMuted(fridayNight, at("2026-03-06T03:00:00Z"))).toBe(false); // Thursday night
  });

  it("counts negative days of month from the month's end, and reads months and years", () => {
    const lastDay = windows([{ days_of_month: ["-1"] }]);
    expect(isMuted(lastDay, at("2026-02-28T12:00:00Z"))).toBe(true);
    expect(isMuted(lastDay, at("2028-02-28T12:00:00Z"))).toBe(false); // leap year
    expect(isMuted(lastDay, at("2026-03-31T12:00:00Z"))).toBe(true);
    expect(isMuted(lastDay, at("2026-03-30T12:00:00Z"))).toBe(false);
    const firstWeek = windows([
      { days_of_month: ["1:7"], months: ["november:december", "1"], years: ["2026"] },
    ]);
    expect(isMuted(firstWeek, at("2026-12-03T12:00:00Z"))).toBe(true);
    expect(isMuted(firstWeek, at("2026-01-07T12:00:00Z"))).toBe(true);
    expect(isMuted(firstWeek, at("2026-12-08T12:00:00Z"))).toBe(false);
    expect(isMuted(firstWeek, at("2026-10-03T12:00:00Z"))).toBe(false);
    expect(isMuted(firstWeek, at("2027-12-03T12:00:00Z"))).toBe(false);
  });

  it("holds during any period of any window, and names the first named window that holds", () => {
    const both = muteWindowsSchema.parse([
      { name: "nights", time_intervals: [{ times: ["22:00-24:00"] }, { times: ["00:00-06:00"] }] },
      { name: "weekends", time_intervals: [{ weekdays: ["saturday", "sunday"] }] },
    ]);
    expect(isMuted(both, at("2026-03-05T23:30:00Z"))).toBe(true);
    expect(isMuted(both, at("2026-03-05T12:00:00Z"))).toBe(false);
    expect(activeWindow(both, ["weekends", "nights"], at("2026-03-07T23:00:00Z"))).toBe("weekends");
    expect(activeWindow(both, ["nights"], at("2026-03-07T12:00:00Z"))).toBeUndefined();
    expect(activeWindow(both, ["unknown"], at("2026-03-07T23:00:00Z"))).toBeUndefined();
  });

  it("refuses bad timezones, times, weekdays, ranges, duplicates and unknown keys", () => {
    const bad = (period: unknown) =>
      muteWindowsSchema.safeParse([{ name: "w", time_intervals: [period] }]).success;
    expect(bad({ location: "Mars/Olympus" })).toBe(false);
    expect(bad({ times: ["25:00-26:00"] })).toBe(false);
    expect(bad({ times: ["09:00-24:30"] })).toBe(false);
    expect(bad({ times: ["09:00-09:00"] })).toBe(false);
    expect(bad({ times: ["9-17"] })).toBe(false);
    expect(bad({ weekdays: ["monday:funday"] })).toBe(false);
    expect(bad({ days_of_month: ["5:1"] })).toBe(false);
    expect(bad({ days_of_month: ["0"] })).toBe(false);
    expect(bad({ days_of_month: ["-3:5"] })).toBe(false);
    expect(bad({ months: ["13"] })).toBe(false);
    expect(bad({ weekday: ["monday"] })).toBe(false);
    expect(bad({ times: ["09:00-17:00"], location: "Europe/Paris" })).toBe(true);
    const twice = [
      { name: "w", time_intervals: [{}] },
      { name: "w", time_intervals: [{}] },
    ];
    expect(muteWindowsSchema.safeParse(twice).success).toBe(false);
  });
});
