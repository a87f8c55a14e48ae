// The instant of the ISO 8601 date-times that providers send ("2026-11-23T08:00:00Z",
// "2026-11-23T09:00:00.250+01:00"), read digit by digit: every mention carries one, and Date.parse
// plus a calendar check cost more than the rest of its validation. Only the common form is read here;
// anything else gives NaN, and the caller falls back to Date.parse and its checks.

const ZERO = 48;
const MS_PER_DAY = 86_400_000;

/**
 * Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.f{1,3}](Z|±HH:MM)` on a real calendar day
 * (hours 00–23, minutes and seconds 00–59, offsets up to ±23:59), as Date.parse gives them; NaN for
 * any other text, including other valid ISO forms.
 */
export function isoInstant(text: string): number {
  const length = text.length;
  if (length < 20 || length > 29) return NaN;
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  )
    return NaN;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  let at = 19;
  let millis = 0;
  if (text.charCodeAt(at) === 46) {
    // . then 1 to 3 digits, read as a fraction of a second (".5" is 500 ms)
    let scale = 100;
    at++;
    const start = at;
    while (at < length && at - start < 4) {
      const d = text.charCodeAt(at) - ZERO;
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
    const offsetHours = digits(text, at + 1, 2);
    const offsetMins = digits(text, at + 4, 2);
    if (offsetHours < 0 || offsetHours > 23 || offsetMins < 0 || offsetMins > 59) return NaN;
    offsetMinutes = (sign === 43 ? 1 : -1) * (offsetHours * 60 + offsetMins);
  } else return NaN;
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1_000 +
    millis
  );
}

/** The number written by `count` ASCII digits from `start`; -1 if any is not a digit. */
function digits(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
