/**
 * kam-model.md §8 text bounds: 500 characters an item, 50 items a list,
 * 5,000 characters a plan field. Text over them is cut for scoring and the
 * company flagged; text within them is left exactly as it was.
 */
import { describe, expect, it } from 'vitest';
import { boundAccountText, TEXT_BOUNDS } from '../../src/text-bounds.ts';

const company = (properties: Record<string, string | null>) => ({ id: '42', properties });
const list = (count: number, chars: number) =>
  Array.from({ length: count }, (_, index) => `${index}`.padEnd(chars, 'x')).join('\n');

describe('boundAccountText', () => {
  it.each<[string, Record<string, string | null>, Record<string, string | null>, string[]]>([
    ['nothing to cut: the same company, no flag', { kam_swot_strengths: list(50, 500) }, {}, []],
    ['a blank list stays blank', { kam_competitors: '', kam_account_plan: null }, {}, []],
    [
      '51 items: the first 50 are kept',
      { kam_swot_threats: list(51, 10) },
      { kam_swot_threats: list(50, 10) },
      ['kam_swot_threats'],
    ],
    [
      'an item of 501 characters is cut to 500',
      { kam_competitors: `short\n${'c'.repeat(501)}` },
      { kam_competitors: `short\n${'c'.repeat(500)}` },
      ['kam_competitors'],
    ],
    [
      'a plan of 5,001 characters is cut to 5,000',
      { kam_account_plan: 'p'.repeat(5_001) },
      { kam_account_plan: 'p'.repeat(5_000) },
      ['kam_account_plan'],
    ],
    [
      'a cut never splits a character outside the BMP',
      { kam_account_plan: `${'p'.repeat(4_999)}😀` },
      { kam_account_plan: 'p'.repeat(4_999) },
      ['kam_account_plan'],
    ],
    [
      'every list and plan field is bounded, each flagged',
      {
        kam_swot_strengths: list(60, 600),
        kam_swot_weaknesses: list(60, 600),
        kam_swot_opportunities: list(60, 600),
        kam_swot_threats: list(60, 600),
        kam_plan_objective: 'o'.repeat(9_000),
      },
      {
        kam_swot_strengths: list(50, 500),
        kam_swot_weaknesses: list(50, 500),
        kam_swot_opportunities: list(50, 500),
        kam_swot_threats: list(50, 500),
        kam_plan_objective: 'o'.repeat(5_000),
      },
      [
        'kam_swot_strengths',
        'kam_swot_weaknesses',
        'kam_swot_opportunities',
        'kam_swot_threats',
        'kam_plan_objective',
      ],
    ],
  ])('%s', (_case, properties, changed, flagged) => {
    const input = company({ name: 'Acme', ...properties });
    const { company: bounded, flags } = boundAccountText(input);
    if (flagged.length === 0) expect(bounded).toBe(input);
    expect(bounded.properties).toEqual({ ...input.properties, ...changed });
    expect(flags.map((flag) => [flag.code, flag.recordId, flag.field])).toEqual(
      flagged.map((field) => ['text_too_long', '42', field]),
    );
  });

  it('keeps no more than the bounds, however much arrives', () => {
    const { company: bounded } = boundAccountText(
      company({ kam_swot_strengths: list(30_000, 2), kam_account_plan: 'p'.repeat(65_536) }),
    );
    const items = (bounded.properties.kam_swot_strengths ?? '').split('\n');
    expect(items).toHaveLength(TEXT_BOUNDS.listItems);
    expect(bounded.properties.kam_account_plan).toHaveLength(TEXT_BOUNDS.planChars);
  });
});
