export const DAY_MS = 86_400_000;

/** Whole days from `instantMs` to `asOfMs`: floor((asOf − instant) / 24 h) (kam-model.md §2). */
export function daysBetween(instantMs: number, asOfMs: number): number {
  return Math.floor((asOfMs - instantMs) / DAY_MS);
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar, month
 * 1–12 (Howard Hinnant's `days_from_civil`): what `Date.UTC` computes, for
 * code that reads or writes millions of dates without `Date` objects.
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The inverse of `daysFromCivil` (Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Days in a month (1–12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/**
 * Start instants of the last `count` calendar quarters in UTC, newest first;
 * the first is the quarter containing `asOfMs`.
 */
export function quarterStarts(asOfMs: number, count: number): number[] {
  const asOf = new Date(asOfMs);
  const firstMonth = Math.floor(asOf.getUTCMonth() / 3) * 3;
  return Array.from({ length: count }, (_, index) =>
    Date.UTC(asOf.getUTCFullYear(), firstMonth - 3 * index, 1),
  );
}
