// The fields of a "YYYY-MM-DD?HH:MM:SS" timestamp read digit by digit: mention times and backtest CSV
// rows are read by the hundred thousand, and a regex, Number() per field and Date.parse cost more than
// the rest of their reading.

export interface DateTimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * Reads the "YYYY-MM-DD?HH:MM:SS" that starts `text` (any character at 10: the caller checks it) into
 * `into`; false when a dash or colon is missing, a field is not ASCII digits, or one is out of range
 * (month 1–12, day 1 to the month's length, hour 0–23, minute and second 0–59).
 */
export function readDateTime(text: string, into: DateTimeFields): boolean {
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  )
    return false;
  const year = (into.year = asciiDigits(text, 0, 4));
  const month = (into.month = asciiDigits(text, 5, 7));
  const day = (into.day = asciiDigits(text, 8, 10));
  const hour = (into.hour = asciiDigits(text, 11, 13));
  const minute = (into.minute = asciiDigits(text, 14, 16));
  const second = (into.second = asciiDigits(text, 17, 19));
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/** The decimal number written in text[from, to), or -1 when a character there is not an ASCII digit. */
export function asciiDigits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days in `month` (1–12) of `year`, in the proleptic Gregorian calendar that Date.parse uses. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
