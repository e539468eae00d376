/**
 * kam-model.md §6: SERVQUAL gap per dimension (P − E where both present), the
 * importance-weighted overall gap, its level at −1 / 0 / 1, stale surveys and
 * open complaint tickets.
 */
import { describe, expect, it } from 'vitest';
import { measureSatisfaction, satisfactionLevel } from '../../src/satisfaction.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import type { Props } from './builders.ts';
import {
  AS_OF,
  company,
  companyOf,
  inputsOf,
  portal,
  score,
  servqual,
  settingsWith,
  ticket,
} from './builders.ts';

const measure = (props: Props, settings = DEFAULT_SETTINGS) =>
  measureSatisfaction(inputsOf(props), 0, settings, AS_OF);

describe('§6 gaps', () => {
  it('gap per dimension = perceived − expected, only where both are present', () => {
    const result = measure({
      ...servqual({ tangibles: [5, 6], responsiveness: [6, 4] }),
      kam_servqual_empathy_expected: '5',
      kam_servqual_assurance_perceived: '7',
    });
    const gaps = Object.fromEntries(result.dimensions.map((d) => [d.dimension, d.gap]));
    expect(gaps).toEqual({
      tangibles: 1,
      reliability: null,
      responsiveness: -2,
      assurance: null,
      empathy: null,
    });
    // (20×1 + 20×−2) / 40
    expect(result.overallGap).toBeCloseTo(-0.5, 9);
    expect(result.level).toBe('below_expectations');
  });

  it('no dimension with both values → overall null, level null', () => {
    const result = measure({ kam_servqual_empathy_expected: '5' });
    expect(result.overallGap).toBeNull();
    expect(result.level).toBeNull();
  });

  it('importance weights are configurable: (40×1 + 10×−2) / 50 = 0.4', () => {
    const settings = settingsWith({
      servqualWeights: {
        tangibles: 40,
        reliability: 10,
        responsiveness: 20,
        assurance: 20,
        empathy: 10,
      },
    });
    const result = measure(servqual({ tangibles: [5, 6], reliability: [6, 4] }), settings);
    expect(result.overallGap).toBeCloseTo(0.4, 9);
    expect(result.level).toBe('satisfied');
  });

  it('all five dimensions, equal weights: mean of the gaps', () => {
    const result = measure(
      servqual({
        tangibles: [4, 5],
        reliability: [6, 7],
        responsiveness: [5, 5],
        assurance: [4, 2],
        empathy: [4, 3],
      }),
    );
    // (1 + 1 + 0 − 2 − 1) / 5
    expect(result.overallGap).toBeCloseTo(-0.2, 9);
    expect(result.level).toBe('below_expectations');
    expect(result.explanation.rule).toBeTruthy();
    expect(result.explanation.text).toContain('-0.2');
  });
});

describe('§6 level: < −1 dissatisfied, < 0 below_expectations, < 1 satisfied, else delighted', () => {
  it.each([
    [-6, 'dissatisfied'],
    [-1.5, 'dissatisfied'],
    [-1.0001, 'dissatisfied'],
    [-1, 'below_expectations'],
    [-0.5, 'below_expectations'],
    [-0.0001, 'below_expectations'],
    [0, 'satisfied'],
    [0.9999, 'satisfied'],
    [1, 'delighted'],
    [6, 'delighted'],
  ] as const)('satisfactionLevel(%d) → %s', (gap, level) => {
    expect(satisfactionLevel(gap)).toBe(level);
  });

  it.each([
    { name: 'gap −2', pair: [6, 4], level: 'dissatisfied' },
    { name: 'gap −1 exactly', pair: [5, 4], level: 'below_expectations' },
    { name: 'gap −1.004 (just below −1)', pair: [5, 3.996], level: 'dissatisfied' },
    { name: 'gap −0.5', pair: [5, 4.5], level: 'below_expectations' },
    { name: 'gap −0.004 (just below 0)', pair: [5, 4.996], level: 'below_expectations' },
    { name: 'gap 0 exactly', pair: [5, 5], level: 'satisfied' },
    { name: 'gap +0.996 (just below 1)', pair: [5, 5.996], level: 'satisfied' },
    { name: 'gap +1 exactly', pair: [5, 6], level: 'delighted' },
  ] as const)('from the survey: $name → $level', ({ pair, level }) => {
    expect(measure(servqual({ reliability: pair })).level).toBe(level);
  });
});

describe('§6 stale survey (older than 365 days)', () => {
  it.each([
    { date: '2025-08-15', age: 365, stale: false },
    { date: '2025-08-14', age: 366, stale: true },
    { date: '2026-08-01', age: 14, stale: false },
    { date: String(Date.parse('2025-08-14T00:00:00Z')), age: 366, stale: true },
  ])('kam_survey_date $date → $age days, stale $stale', ({ date, age, stale }) => {
    const result = measure({ ...servqual({ empathy: [5, 5] }), kam_survey_date: date });
    expect(result.surveyAgeDays).toBe(age);
    expect(result.stale).toBe(stale);
  });

  it('no survey date → not stale, no age', () => {
    const result = measure(servqual({ empathy: [5, 5] }));
    expect(result.surveyAgeDays).toBeNull();
    expect(result.stale).toBe(false);
  });
});

describe('§6 end to end: open complaint tickets and the gap on the company', () => {
  it('counts open tickets per company, not closed ones', () => {
    const result = score(
      portal(
        [company('1', servqual({ responsiveness: [6, 4] })), company('2')],
        [],
        [ticket('t1', '1'), ticket('t2', '1', true), ticket('t3', '1'), ticket('t4', '2', true)],
      ),
    );
    const one = companyOf(result, '1');
    expect(one.satisfaction.openComplaints).toBe(2);
    expect(one.satisfactionGap).toBeCloseTo(-2, 9);
    expect(one.satisfactionLevel).toBe('dissatisfied');
    expect(companyOf(result, '2').satisfaction.openComplaints).toBe(0);
    expect(companyOf(result, '2').satisfactionGap).toBeNull();
  });

  it('an off-scale rating is flagged and left out', () => {
    const result = score(
      portal([
        company('1', {
          ...servqual({ responsiveness: [6, 4], tangibles: [5, 9] }),
        }),
      ]),
    );
    const one = companyOf(result, '1');
    expect(one.satisfactionGap).toBeCloseTo(-2, 9);
    expect(one.flags.some((flag) => flag.field === 'kam_servqual_tangibles_perceived')).toBe(true);
  });
});
