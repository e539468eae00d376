/**
 * kam-model.md §1: deal state, crediting (primary company, equal split when
 * none is primary, deals without company ignored and counted), home-currency
 * amounts, data-quality flags instead of exceptions, and property parsing.
 */
import { describe, expect, it } from 'vitest';
import type { Credit } from '../../src/deals.ts';
import { creditDeals, dealState, normalizeDeal } from '../../src/deals.ts';
import type { Association, CrmObject } from '../../src/hubspot-objects.ts';
import {
  linkedCompanies,
  parseInstantProperty,
  parseNumberProperty,
} from '../../src/hubspot-objects.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import {
  company,
  companyOf,
  daysAgo,
  lost,
  open,
  portal,
  primary,
  score,
  scoreOne,
  unlabeled,
  v4,
  won,
} from './builders.ts';

const IDS = new Set(['1', '2', '3']);

function fractions(associations: readonly Association[]): Record<string, number> {
  const deal = won({ id: 'd', associations, closedDaysAgo: 10 });
  const credited = creditDeals([deal], IDS, DEFAULT_SETTINGS);
  const result: Record<string, number> = {};
  for (const [companyId, credits] of credited.byCompany) {
    result[companyId] = credits.reduce((sum: number, credit: Credit) => sum + credit.fraction, 0);
  }
  return result;
}

describe('§1 deal state', () => {
  it.each([
    { closed: 'true', won: 'true', state: 'won' },
    { closed: undefined, won: 'true', state: 'won' },
    { closed: 'true', won: 'false', state: 'lost' },
    { closed: 'true', won: undefined, state: 'lost' },
    { closed: 'false', won: 'false', state: 'open' },
    { closed: undefined, won: undefined, state: 'open' },
  ])('hs_is_closed=$closed hs_is_closed_won=$won → $state', ({ closed, won: isWon, state }) => {
    expect(dealState({ hs_is_closed: closed, hs_is_closed_won: isWon })).toBe(state);
  });
});

describe('§1 crediting', () => {
  it.each<{ name: string; associations: Association[]; expected: Record<string, number> }>([
    {
      name: 'v3: primary listed twice (labelled + unlabelled) gets all of it',
      associations: [...primary('2'), ...unlabeled('1'), ...unlabeled('3')],
      expected: { '2': 1 },
    },
    {
      name: 'v3: primary listed unlabelled first, then labelled, still collapses to one primary',
      associations: [...unlabeled('1'), ...unlabeled('2'), { id: '2', type: 'deal_to_company' }],
      expected: { '2': 1 },
    },
    {
      name: 'v4: type id 5 marks the primary',
      associations: [v4('1', false), v4('3', true)],
      expected: { '3': 1 },
    },
    {
      name: 'v3: no primary, two companies → split equally',
      associations: [...unlabeled('1'), ...unlabeled('2')],
      expected: { '1': 0.5, '2': 0.5 },
    },
    {
      name: 'v3: no primary, three companies → thirds',
      associations: [...unlabeled('1'), ...unlabeled('2'), ...unlabeled('3')],
      expected: { '1': 1 / 3, '2': 1 / 3, '3': 1 / 3 },
    },
    {
      name: 'v4: no type id 5 → split equally',
      associations: [v4('1', false), v4('2', false)],
      expected: { '1': 0.5, '2': 0.5 },
    },
    {
      name: 'single unlabelled company → all of it',
      associations: unlabeled('1'),
      expected: { '1': 1 },
    },
    {
      name: 'the same company listed twice unlabelled is one company, not a split',
      associations: [...unlabeled('1'), ...unlabeled('1'), ...unlabeled('2')],
      expected: { '1': 0.5, '2': 0.5 },
    },
  ])('$name', ({ associations, expected }) => {
    const actual = fractions(associations);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [id, fraction] of Object.entries(expected)) {
      expect(actual[id]).toBeCloseTo(fraction, 10);
    }
  });

  it('linkedCompanies collapses the v3 duplicate of the primary company', () => {
    expect(linkedCompanies([...primary('7'), ...unlabeled('8')])).toEqual(
      expect.arrayContaining([
        { companyId: '7', primary: true },
        { companyId: '8', primary: false },
      ]),
    );
    expect(linkedCompanies([...primary('7'), ...unlabeled('8')])).toHaveLength(2);
  });

  it('a deal without company is ignored and counted in the data-quality report', () => {
    const result = score(
      portal(
        [company('1')],
        [
          won({ company: '1', amount: 100, closedDaysAgo: 5 }),
          won({ amount: 900, closedDaysAgo: 5 }),
          won({ associations: [], amount: 900, closedDaysAgo: 5 }),
        ],
      ),
    );
    expect(companyOf(result, '1').metrics.revenueTtm).toBe(100);
    expect(result.portfolio.dataQuality.dealsWithoutCompany).toBe(2);
    expect(result.portfolio.dataQuality.deals).toBe(3);
    expect(result.portfolio.revenueTtm).toBe(100);
  });

  it('split revenue is credited by fraction end to end (900 over three → 300 each)', () => {
    const result = score(
      portal(
        [company('1'), company('2'), company('3')],
        [
          won({
            associations: [...unlabeled('1'), ...unlabeled('2'), ...unlabeled('3')],
            amount: 900,
            closedDaysAgo: 5,
          }),
        ],
      ),
    );
    for (const id of ['1', '2', '3']) {
      expect(companyOf(result, id).metrics.revenueTtm).toBeCloseTo(300, 9);
      expect(companyOf(result, id).metrics.share).toBeCloseTo(1 / 3, 9);
    }
  });

  it('primary credit end to end: v4 primary company 2 gets the whole 1,000', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [won({ associations: [v4('1', false), v4('2', true)], amount: 1000, closedDaysAgo: 5 })],
      ),
    );
    expect(companyOf(result, '2').metrics.revenueTtm).toBe(1000);
    expect(companyOf(result, '1').metrics.revenueTtm).toBe(0);
  });

  // Reading of §1: "split equally between all associated companies" — the share
  // of a company missing from the export is not handed to the others.
  it('no primary: the split is over all associated companies, even one missing from the input', () => {
    const result = score(
      portal(
        [company('1')],
        [
          won({
            associations: [...unlabeled('1'), ...unlabeled('99')],
            amount: 1000,
            closedDaysAgo: 5,
          }),
        ],
      ),
    );
    expect(companyOf(result, '1').metrics.revenueTtm).toBe(500);
  });
});

describe('§ money: home currency preferred, missing/unparsable → 0 and a flag', () => {
  const norm = (props: Record<string, string | undefined>): ReturnType<typeof normalizeDeal> => {
    const deal: CrmObject = {
      id: 'd1',
      properties: {
        hs_is_closed: 'true',
        hs_is_closed_won: 'true',
        closedate: '2026-08-01',
        ...props,
      },
    };
    return normalizeDeal(deal, DEFAULT_SETTINGS);
  };

  it.each([
    {
      name: 'home currency wins over amount',
      props: { amount: '100', amount_in_home_currency: '150' },
      amount: 150,
      flagged: false,
    },
    {
      name: 'amount when home currency is empty',
      props: { amount: '100', amount_in_home_currency: '' },
      amount: 100,
      flagged: false,
    },
    {
      name: 'amount when home currency is absent',
      props: { amount: '250.5' },
      amount: 250.5,
      flagged: false,
    },
    { name: 'missing amount → 0 + flag', props: {}, amount: 0, flagged: true },
    { name: 'blank amount → 0 + flag', props: { amount: '  ' }, amount: 0, flagged: true },
    { name: 'unparsable amount → 0 + flag', props: { amount: '12 EUR' }, amount: 0, flagged: true },
    {
      name: 'unparsable amount and home currency → 0 + flag',
      props: { amount: 'n/a', amount_in_home_currency: 'n/a' },
      amount: 0,
      flagged: true,
    },
  ])('$name', ({ props, amount, flagged }) => {
    const deal = norm(props);
    expect(deal.amount).toBe(amount);
    expect(deal.flags.some((flag) => flag.field.startsWith('amount'))).toBe(flagged);
  });

  it('the flag lands on the company and the deal still counts as won', () => {
    const one = scoreOne(
      portal([company('1')], [won({ id: 'bad', company: '1', amount: 'abc', closedDaysAgo: 5 })]),
      '1',
    );
    expect(one.metrics.revenueTtm).toBe(0);
    expect(one.metrics.wonCount).toBe(1);
    expect(one.flags).toEqual(
      expect.arrayContaining([expect.objectContaining({ recordId: 'bad', field: 'amount' })]),
    );
  });

  it('a closed deal without close date is flagged, not a crash; it stays out of the windows', () => {
    const result = score(
      portal(
        [company('1')],
        [
          won({ id: 'nodate', company: '1', amount: 700 }),
          lost({ id: 'nodate-lost', company: '1', amount: 50 }),
          won({ company: '1', amount: 300, closedDaysAgo: 20 }),
        ],
      ),
    );
    const one = companyOf(result, '1');
    expect(one.metrics.revenueTtm).toBe(300);
    expect(one.metrics.lifetimeRevenue).toBe(1000);
    expect(one.metrics.wonCount).toBe(2);
    expect(one.metrics.lostCount).toBe(1);
    expect(one.metrics.winRate).toBe(1);
    expect(one.flags).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordId: 'nodate', field: 'closedate' }),
        expect.objectContaining({ recordId: 'nodate-lost', field: 'closedate' }),
      ]),
    );
  });

  it('an open deal without close date is not flagged for it', () => {
    const one = scoreOne(
      portal([company('1')], [open({ id: 'o', company: '1', amount: 100, probability: 0.5 })]),
      '1',
    );
    expect(one.flags.filter((flag) => flag.field === 'closedate')).toEqual([]);
    expect(one.metrics.pipelineWeighted).toBe(50);
  });
});

describe('§ parsing: numbers and dates arrive as strings', () => {
  it.each([
    ['1704067200000', '2024-01-01T00:00:00Z'],
    ['1704067200000', '2024-01-01T00:00:00.000Z'],
    ['1704067200000', '2024-01-01'],
    ['1735689599999', '2024-12-31T23:59:59.999Z'],
  ])('epoch ms %s and ISO %s are the same instant', (epoch, isoText) => {
    expect(parseInstantProperty(epoch)).toBe(Number(epoch));
    expect(parseInstantProperty(isoText)).toBe(parseInstantProperty(epoch));
  });

  it('blank dates are null, garbage is NaN', () => {
    expect(parseInstantProperty('')).toBeNull();
    expect(parseInstantProperty(null)).toBeNull();
    expect(parseInstantProperty(undefined)).toBeNull();
    expect(parseInstantProperty('not a date')).toBeNaN();
  });

  it.each([
    ['12.5', 12.5],
    [' 42 ', 42],
    ['0', 0],
    ['-3', -3],
  ])('number %j → %d', (text, expected) => {
    expect(parseNumberProperty(text)).toBe(expected);
  });

  it('blank numbers are null, garbage is NaN', () => {
    expect(parseNumberProperty('')).toBeNull();
    expect(parseNumberProperty(undefined)).toBeNull();
    expect(parseNumberProperty('abc')).toBeNaN();
  });

  it('epoch-ms and ISO close dates credit the same window end to end', () => {
    const closeMs = daysAgo(10);
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          won({ company: '1', amount: 100, props: { closedate: String(closeMs) } }),
          won({ company: '2', amount: 100, props: { closedate: new Date(closeMs).toISOString() } }),
        ],
      ),
    );
    expect(companyOf(result, '1').metrics.revenueTtm).toBe(100);
    expect(companyOf(result, '1').metrics.recencyDays).toBe(10);
    expect(companyOf(result, '2').metrics.recencyDays).toBe(10);
  });
});
