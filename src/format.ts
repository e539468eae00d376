/**
 * Formatting for explanations: short, locale-neutral, the same on every card.
 * Pure functions; the cards localise around them.
 */

import { civilFromDays, DAY_MS } from './time.ts';

/** Rounds half away from zero to `digits` decimals (0.1 + 0.2 → 0.3). */
export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor + Number.EPSILON)) / factor;
}

/**
 * Removes binary floating-point noise (0.1 + 0.2 → 0.3, 4.1 − 5.1 → −1)
 * without rounding any value a person entered or the model means: rules
 * compare the true value against their cut-offs (79.95 is a B, not an A).
 */
export function stripFloatNoise(value: number): number {
  return round(value, 9);
}

/**
 * Money in compact form.
 *
 * @example
 * formatMoney(5_000_000) // '5.0M'
 * formatMoney(820_400)   // '820k'
 * formatMoney(950)       // '950'
 */
export function formatMoney(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  const size = Math.abs(amount);
  if (size >= 1e9) return `${sign}${(size / 1e9).toFixed(1)}B`;
  if (size >= 1e6) return `${sign}${(size / 1e6).toFixed(1)}M`;
  if (size >= 1e4) return `${sign}${Math.round(size / 1e3)}k`;
  if (size >= 1e3) return `${sign}${(size / 1e3).toFixed(1)}k`;
  return `${sign}${Math.round(size)}`;
}

/**
 * A ratio as a whole percentage; `signed` adds '+' to gains.
 *
 * @example
 * formatPercent(0.25, true) // '+25%'
 * formatPercent(0.444)      // '44%'
 */
export function formatPercent(ratio: number, signed = false): string {
  const percent = round(ratio * 100);
  const plus = signed && percent > 0 ? '+' : '';
  return `${plus}${percent}%`;
}

/** A signed gap on the 1–7 scale: '+0.8', '-1.5', '0.0'. */
export function formatGap(gap: number): string {
  const text = round(gap, 1).toFixed(1);
  return gap > 0 && text !== '0.0' ? `+${text}` : text;
}

const ENGLISH_PLURALS = new Intl.PluralRules('en');

/**
 * A count with its noun in agreement, by the language's plural rules
 * (Intl.PluralRules), never by hand.
 *
 * @example
 * formatCount(1, 'contact', 'contacts') // '1 contact'
 * formatCount(0, 'contact', 'contacts') // '0 contacts'
 */
export function formatCount(count: number, one: string, other: string): string {
  return `${count} ${pluralCategory(count) === 'one' ? one : other}`;
}

/**
 * Intl.PluralRules' category for a count, remembered for the small whole
 * counts every account prints (days, deals, quarters): `select` costs about
 * a microsecond, and a portfolio prints a million counts.
 */
function pluralCategory(count: number): Intl.LDMLPluralRule {
  if (!(Number.isInteger(count) && count >= 0 && count < CACHED_COUNTS)) {
    return ENGLISH_PLURALS.select(count);
  }
  return (PLURAL_CATEGORIES[count] ??= ENGLISH_PLURALS.select(count));
}
const CACHED_COUNTS = 4096;
const PLURAL_CATEGORIES: Intl.LDMLPluralRule[] = [];

/** '1 day', '412 days'. */
export function formatDays(days: number): string {
  return formatCount(days, 'day', 'days');
}

const ENGLISH_LIST = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/**
 * Names joined as a reader would list them (Intl.ListFormat).
 *
 * @example
 * formatList(['Globex', 'Initech', 'Umbrella']) // 'Globex, Initech, and Umbrella'
 */
export function formatList(names: readonly string[]): string {
  // One name is itself: the formatter's set-up is the cost of most lists.
  return names.length === 1 ? (names[0] as string) : ENGLISH_LIST.format(names);
}

/**
 * A number rounded to one decimal, as text: `String(round(value, 1))`.
 * Explanations print several per account, and V8's general double-to-text
 * conversion costs ~0.3 µs each; the tenths are printed as two integers
 * instead. Anything the shortcut cannot vouch for takes the general path.
 *
 * @example
 * formatOneDecimal(72.449) // '72.4'
 * formatOneDecimal(-0.04)  // '0'
 */
export function formatOneDecimal(value: number): string {
  const rounded = round(value, 1);
  const tenths = Math.round(rounded * 10);
  // Below 1e15 the shortest text of the double nearest tenths/10 is that decimal.
  if (!(Math.abs(tenths) < 1e15) || tenths / 10 !== rounded) return String(rounded);
  const whole = Math.trunc(tenths / 10);
  const digit = Math.abs(tenths % 10);
  if (digit === 0) return String(whole);
  return `${tenths < 0 && whole === 0 ? '-' : ''}${whole}.${digit}`;
}

/** 'YYYY-MM-DD' of an instant, in UTC. */
export function isoDate(ms: number): string {
  // Arithmetic instead of a Date object for the years Date writes as four
  // digits: every account's survey date and due dates go through here.
  if (!(ms >= 0 && ms < YEAR_10000_MS)) return new Date(ms).toISOString().slice(0, 10);
  const { year, month, day } = civilFromDays(Math.floor(ms / DAY_MS));
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** 10000-01-01T00:00:00Z: from here on `toISOString` writes years with six digits. */
const YEAR_10000_MS = 253_402_300_800_000;
