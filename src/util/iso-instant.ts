// The instant of the ISO 8601 date-times that providers send ("2026-11-23T08:00:00Z",
// "2026-11-23T09:00:00.250+01:00"), read digit by digit: every mention carries one, and Date.parse
// plus a calendar check cost more than the rest of its validation. Only the common form is read here;
// anything else gives NaN, and the caller falls back to Date.parse and its checks.
import type { DateTimeFields } from "./date-time-fields.js";
import { asciiDigits, readDateTime } from "./date-time-fields.js";

const MS_PER_DAY = 86_400_000;
/** Scratch fields of the text being read: no object per mention. */
const FIELDS: DateTimeFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };

/**
 * Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.f{1,3}](Z|±HH:MM)` on a real calendar day
 * (hours 00–23, minutes and seconds 00–59, offsets up to ±23:59), as Date.parse gives them; NaN for
 * any other text, including other valid ISO forms.
 */
export function isoInstant(text: string): number {
  const length = text.length;
  if (length < 20 || length > 29) return NaN;
  if (text.charCodeAt(10) !== 84 || !readDateTime(text, FIELDS)) return NaN; // T
  const { year, month, day, hour, minute, second } = FIELDS;
  let at = 19;
  let millis = 0;
  if (text.charCodeAt(at) === 46) {
    // . then 1 to 3 digits, read as a fraction of a second (".5" is 500 ms)
    let scale = 100;
    at++;
    const start = at;
    while (at < length && at - start < 4) {
      const d = text.charCodeAt(at) - 48;
      if (d < 0 || d > 9) break;
      millis += d * scale;
      scale /= 10;
      at++;
    }
    if (at === start || at - start > 3) return NaN;
  }
  let offsetMinutes = 0;
  const sign = text.charCodeAt(at);
  if (sign === 90 && at + 1 === length) {
    // Z
  } else if ((sign === 43 || sign === 45) && at + 6 === length && text.charCodeAt(at + 3) === 58) {
    const offsetHours = asciiDigits(text, at + 1, at + 3);
    const offsetMins = asciiDigits(text, at + 4, at + 6);
    if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return NaN;
    offsetMinutes = (sign === 43 ? 1 : -1) * (offsetHours * 60 + offsetMins);
  } else return NaN;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1_000 +
    millis
  );
}

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
