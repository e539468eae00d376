/**
 * kam-model.md §7 (v2) O3, the portfolio side: a tier's whitespace is the
 * lines bought by ≥ 30% of its accounts and by at least 3 of them, counted
 * per rated tier; plus the portfolio's lines, the median sales cycle and
 * the line labels the context carries.
 */
import { describe, expect, it } from 'vitest';
import type { PortfolioContext } from '../../src/portfolio-context.ts';
import {
  portfolioContext,
  productLineLabel,
  WHITESPACE_MIN_BUYERS,
  WHITESPACE_PEER_SHARE,
} from '../../src/portfolio-context.ts';
import type { Tier } from '../../src/settings.ts';
import { company, companyOf, portal, score, won } from './builders.ts';

interface Account {
  readonly metrics: {
    readonly productLines: readonly string[];
    readonly salesCycleDays: number | null;
  };
}

const account = (
  productLines: readonly string[],
  salesCycleDays: number | null = null,
): Account => ({
  metrics: { productLines, salesCycleDays },
});

/** `size` accounts of one tier, the first `buyers` of which buy 'b' (all buy 'a'). */
function tierOf(size: number, buyers: number, tier: Tier = 'standard') {
  const accounts = Array.from({ length: size }, (_, index) =>
    account(index < buyers ? ['a', 'b'] : ['a']),
  );
  return { accounts, tiers: accounts.map((): Tier => tier) };
}

const whitespaceLines = (ctx: PortfolioContext, tier: Exclude<Tier, 'unrated'>): string[] =>
  ctx.whitespace[tier].map((entry) => entry.line);

interface Row {
  readonly name: string;
  readonly size: number;
  readonly buyers: number;
  readonly whitespace: boolean;
}

const ROWS: Row[] = [
  // ≥ 30% of the tier's accounts
  { name: 'O3 whitespace at 3 of 10 (30%, 3 buyers)', size: 10, buyers: 3, whitespace: true },
  { name: 'O3 whitespace at 6 of 20 (30%)', size: 20, buyers: 6, whitespace: true },
  { name: 'O3 no whitespace at 3 of 11 (27%)', size: 11, buyers: 3, whitespace: false },
  { name: 'O3 no whitespace at 5 of 17 (29.4%)', size: 17, buyers: 5, whitespace: false },
  { name: 'O3 whitespace at 30 of 100 (30%)', size: 100, buyers: 30, whitespace: true },
  { name: 'O3 no whitespace at 29 of 100 (29%)', size: 100, buyers: 29, whitespace: false },
  // ≥ 3 buyers
  { name: 'O3 whitespace at 3 of 3 (100%, 3 buyers)', size: 3, buyers: 3, whitespace: true },
  { name: 'O3 whitespace at 3 of 5 (60%, 3 buyers)', size: 5, buyers: 3, whitespace: true },
  { name: 'O3 no whitespace at 2 of 5 (40%, 2 buyers)', size: 5, buyers: 2, whitespace: false },
  { name: 'O3 no whitespace at 2 of 2 (100%, 2 buyers)', size: 2, buyers: 2, whitespace: false },
  { name: 'O3 no whitespace at 0 of 10', size: 10, buyers: 0, whitespace: false },
];

describe('§7 O3 whitespace: ≥ 30% and ≥ 3 of the tier’s accounts', () => {
  it('the cut-offs are those of the spec', () => {
    expect(WHITESPACE_PEER_SHARE).toBe(0.3);
    expect(WHITESPACE_MIN_BUYERS).toBe(3);
  });

  it.each(ROWS)('$name', ({ size, buyers, whitespace }) => {
    const { accounts, tiers } = tierOf(size, buyers);
    const ctx = portfolioContext(accounts, tiers);
    // 'a', bought by all, is popular whenever the tier has 3 accounts; 'b' only past both cut-offs.
    const expected = [...(size >= 3 ? ['a'] : []), ...(whitespace ? ['b'] : [])];
    expect(whitespaceLines(ctx, 'standard')).toEqual(expected);
    if (whitespace) {
      expect(ctx.whitespace.standard.find((entry) => entry.line === 'b')).toEqual({
        line: 'b',
        buyers,
        tierSize: size,
      });
    }
  });

  it('each tier counts its own accounts only', () => {
    // 'b': 3 of 10 key accounts (whitespace), 2 of 4 standard ones (not: 2 buyers).
    const key = tierOf(10, 3, 'key');
    const standard = tierOf(4, 2, 'standard');
    const ctx = portfolioContext(
      [...key.accounts, ...standard.accounts],
      [...key.tiers, ...standard.tiers],
    );
    expect(whitespaceLines(ctx, 'key')).toEqual(['a', 'b']);
    expect(whitespaceLines(ctx, 'standard')).toEqual(['a']);
    expect(ctx.whitespace.strategic).toEqual([]);
    expect(ctx.whitespace.transactional).toEqual([]);
  });

  it('unrated accounts are no tier’s peers: they count neither as buyers nor in the tier size', () => {
    // 2 of 4 standard accounts buy 'b'; 5 unrated accounts buying it change nothing…
    const standard = tierOf(4, 2, 'standard');
    const unrated = tierOf(5, 5, 'unrated');
    const ctx = portfolioContext(
      [...standard.accounts, ...unrated.accounts],
      [...standard.tiers, ...unrated.tiers],
    );
    expect(whitespaceLines(ctx, 'standard')).toEqual(['a']);
    // …and 20 unrated accounts buying nothing do not dilute 3 of 9 standard ones.
    const nine = tierOf(9, 3, 'standard');
    const idle = Array.from({ length: 20 }, () => account([]));
    const diluted = portfolioContext(
      [...nine.accounts, ...idle],
      [...nine.tiers, ...idle.map((): Tier => 'unrated')],
    );
    expect(diluted.whitespace.standard).toEqual([
      { line: 'a', buyers: 9, tierSize: 9 },
      { line: 'b', buyers: 3, tierSize: 9 },
    ]);
    // Both see the unrated accounts' lines in the portfolio's lines.
    expect(ctx.productLines).toEqual(['a', 'b']);
  });

  it('a tier’s accounts without any line still count in its size', () => {
    // 3 buyers of 'b' among 10 standard accounts, 5 of which buy nothing: 30%.
    const ctx = portfolioContext(
      [
        ...Array.from({ length: 3 }, () => account(['b'])),
        ...Array.from({ length: 2 }, () => account(['c'])),
        ...Array.from({ length: 5 }, () => account([])),
      ],
      Array.from({ length: 10 }, (): Tier => 'standard'),
    );
    expect(ctx.whitespace.standard).toEqual([{ line: 'b', buyers: 3, tierSize: 10 }]);
  });

  it('an account with no tier given (tiers shorter than accounts) is skipped', () => {
    const ctx = portfolioContext(
      [account(['b']), account(['b']), account(['b']), account(['b'])],
      ['key', 'key'],
    );
    expect(ctx.whitespace.key).toEqual([]);
    expect(ctx.productLines).toEqual(['b']);
  });

  it('whitespace lines come in line order', () => {
    const lines = ['z', 'm', 'a'];
    const ctx = portfolioContext(
      Array.from({ length: 3 }, () => account(lines)),
      Array.from({ length: 3 }, (): Tier => 'key'),
    );
    expect(whitespaceLines(ctx, 'key')).toEqual(['a', 'm', 'z']);
  });
});

describe('portfolio context: lines, median sales cycle, labels', () => {
  it('product lines are every account’s, distinct and sorted', () => {
    const ctx = portfolioContext(
      [account(['p2', 'p1']), account(['p3']), account([]), account(['p1'])],
      ['key', 'unrated', 'standard', 'transactional'],
    );
    expect(ctx.productLines).toEqual(['p1', 'p2', 'p3']);
  });

  it('the median sales cycle is over the accounts that have one; null when none has', () => {
    const odd = portfolioContext(
      [account([], 10), account([], null), account([], 40), account([], 20)],
      ['key', 'key', 'key', 'key'],
    );
    expect(odd.medianSalesCycleDays).toBe(20);
    const even = portfolioContext([account([], 10), account([], 40)], ['key', 'unrated']);
    expect(even.medianSalesCycleDays).toBe(25);
    expect(portfolioContext([account([])], ['key']).medianSalesCycleDays).toBeNull();
  });

  it('labels: kept for the portfolio’s lines when they differ from the value', () => {
    const ctx = portfolioContext([account(['default', 'p2', 'p3'])], ['key'], {
      default: 'Sales Pipeline',
      p2: 'p2',
      gone: 'Not sold any more',
    });
    expect(ctx.productLineLabels).toEqual({ default: 'Sales Pipeline' });
    expect(productLineLabel(ctx, 'default')).toBe('Sales Pipeline');
    expect(productLineLabel(ctx, 'p3')).toBe('p3');
  });

  it('a line named like an object property is its own label', () => {
    const ctx = portfolioContext([account(['constructor', 'toString'])], ['key']);
    expect(productLineLabel(ctx, 'constructor')).toBe('constructor');
    expect(productLineLabel(ctx, 'toString')).toBe('toString');
    expect(ctx.productLineLabels).toEqual({});
  });
});

describe('§7 O3 end to end: tier peers from won deals of the last 2W, lines by label', () => {
  /** `size` companies pinned to standard, all buying 'a'; the first `buyers` also buy 'b'. */
  const input = (size: number, buyers: number) => ({
    ...portal(
      Array.from({ length: size }, (_, index) =>
        company(String(index + 1), { kam_tier_override: 'standard' }),
      ),
      Array.from({ length: size }, (_, index) => [
        won({ company: String(index + 1), closedDaysAgo: 10, line: 'a' }),
        ...(index < buyers
          ? [won({ company: String(index + 1), closedDaysAgo: 700, line: 'b' })]
          : []),
      ]).flat(),
    ),
    productLineLabels: { b: 'Field Service' },
  });
  const o3 = (result: ReturnType<typeof score>, id: string) =>
    companyOf(result, id).swot.filter((item) => item.ruleId === 'O3');

  it('3 of 10 standard accounts buy Field Service: the other 7 get O3 naming it', () => {
    const result = score(input(10, 3));
    expect(o3(result, '1')).toEqual([]);
    expect(o3(result, '3')).toEqual([]);
    const [item] = o3(result, '4');
    expect(item?.text).toBe(
      'Whitespace: peers of its tier buy Field Service (3 of 10 standard accounts); this account does not',
    );
    expect(companyOf(result, '10').actions.map((action) => action.ruleId)).toContain('A6');
  });

  it('2 of 10 buy it: no O3 and no A6', () => {
    const result = score(input(10, 2));
    for (const entry of result.companies) {
      expect(entry.swot.filter((item) => item.ruleId === 'O3')).toEqual([]);
      expect(entry.actions.filter((action) => action.ruleId === 'A6')).toEqual([]);
    }
  });

  it('a line last bought more than 2W ago does not count', () => {
    const stale = input(10, 0);
    const result = score({
      ...stale,
      deals: [
        ...stale.deals,
        ...['1', '2', '3'].map((id) => won({ company: id, closedDaysAgo: 731, line: 'b' })),
      ],
    });
    expect(o3(result, '4')).toEqual([]);
  });
});
