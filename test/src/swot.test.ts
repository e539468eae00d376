/**
 * kam-model.md §7 SWOT: every derived rule S1–T5 fires and does not fire at
 * its cut-off, carries its rule id and evidence; manual items are added.
 */
import { describe, expect, it } from 'vitest';
import type { Settings, ServqualDimension } from '../../src/settings.ts';
import { DEFAULT_SETTINGS } from '../../src/settings.ts';
import type { SwotItem } from '../../src/swot.ts';
import { deriveSwot } from '../../src/swot.ts';
import type { ViewSpec } from './builders.ts';
import {
  company,
  companyOf,
  lost,
  open,
  portal,
  score,
  servqual,
  settingsWith,
  view,
  won,
} from './builders.ts';

interface Row {
  readonly name: string;
  readonly rule: string;
  /** How many items of the rule are expected (0 = does not fire). */
  readonly count: number;
  readonly spec: ViewSpec;
  readonly lines?: readonly string[];
  readonly settings?: Settings;
  readonly dimensions?: readonly ServqualDimension[];
}

const derive = (spec: ViewSpec, lines: readonly string[] = ['p1'], settings = DEFAULT_SETTINGS) =>
  deriveSwot(view({ ...spec, settings }), lines, settings);

const ofRule = (items: readonly SwotItem[], rule: string) =>
  items.filter((item) => item.ruleId === rule);

const churn100 = settingsWith({ churnDays: 100 });
const cadenceKey45 = settingsWith({ visitCadenceDays: { key: 45 } });

const ROWS: Row[] = [
  // S1 tenureDays ≥ 730
  {
    name: 'S1 fires at tenureDays 730',
    rule: 'S1',
    count: 1,
    spec: { metrics: { tenureDays: 730 } },
  },
  {
    name: 'S1 does not fire at tenureDays 729',
    rule: 'S1',
    count: 0,
    spec: { metrics: { tenureDays: 729 } },
  },
  {
    name: 'S1 does not fire when never won',
    rule: 'S1',
    count: 0,
    spec: { metrics: { tenureDays: null } },
  },
  // S2 winRate ≥ 0.6 with ≥ 3 closed deals in the window
  {
    name: 'S2 fires at winRate 0.6 with 5 closed deals',
    rule: 'S2',
    count: 1,
    spec: { metrics: { winRate: 0.6, closedInWindow: 5, wonInWindow: 3 } },
  },
  {
    name: 'S2 fires at winRate 2/3 with 3 closed deals',
    rule: 'S2',
    count: 1,
    spec: { metrics: { winRate: 2 / 3, closedInWindow: 3, wonInWindow: 2 } },
  },
  {
    name: 'S2 does not fire at winRate 0.5 with 4 closed deals',
    rule: 'S2',
    count: 0,
    spec: { metrics: { winRate: 0.5, closedInWindow: 4, wonInWindow: 2 } },
  },
  {
    name: 'S2 does not fire at winRate 1 with only 2 closed deals',
    rule: 'S2',
    count: 0,
    spec: { metrics: { winRate: 1, closedInWindow: 2, wonInWindow: 2 } },
  },
  // S3 a dimension gap ≥ +0.5, one item per dimension
  {
    name: 'S3 fires at gap +0.5 on reliability',
    rule: 'S3',
    count: 1,
    spec: { props: servqual({ reliability: [5, 5.5] }) },
    dimensions: ['reliability'],
  },
  {
    name: 'S3 fires once per dimension (tangibles +2, empathy +1)',
    rule: 'S3',
    count: 2,
    spec: { props: servqual({ tangibles: [4, 6], empathy: [5, 6], reliability: [5, 5] }) },
    dimensions: ['tangibles', 'empathy'],
  },
  {
    name: 'S3 does not fire at gap +0.4',
    rule: 'S3',
    count: 0,
    spec: { props: servqual({ reliability: [5, 5.4] }) },
  },
  // S4 comprehensive
  {
    name: 'S4 fires with 2 product lines',
    rule: 'S4',
    count: 1,
    spec: { metrics: { productLines: ['p1', 'p2'] } },
    lines: ['p1', 'p2'],
  },
  { name: 'S4 does not fire with 1 product line', rule: 'S4', count: 0, spec: {} },
  // W1 a dimension gap ≤ −1, one item per dimension
  {
    name: 'W1 fires at gap −1 on responsiveness',
    rule: 'W1',
    count: 1,
    spec: { props: servqual({ responsiveness: [6, 5] }) },
    dimensions: ['responsiveness'],
  },
  {
    name: 'W1 fires once per dimension (assurance −2, empathy −3)',
    rule: 'W1',
    count: 2,
    spec: { props: servqual({ assurance: [6, 4], empathy: [6, 3], tangibles: [5, 7] }) },
    dimensions: ['assurance', 'empathy'],
  },
  {
    name: 'W1 does not fire at gap −0.9',
    rule: 'W1',
    count: 0,
    spec: { props: servqual({ responsiveness: [6, 5.1] }) },
  },
  {
    name: 'W1 does not fire with only the expectation entered',
    rule: 'W1',
    count: 0,
    spec: { props: { kam_servqual_responsiveness_expected: '7' } },
  },
  // W2 contacts ≤ 1
  { name: 'W2 fires at contacts 1', rule: 'W2', count: 1, spec: { metrics: { contacts: 1 } } },
  { name: 'W2 fires at contacts 0', rule: 'W2', count: 1, spec: { metrics: { contacts: 0 } } },
  {
    name: 'W2 does not fire at contacts 2',
    rule: 'W2',
    count: 0,
    spec: { metrics: { contacts: 2 } },
  },
  {
    name: 'W2 does not fire when contacts is empty',
    rule: 'W2',
    count: 0,
    spec: { metrics: { contacts: null } },
  },
  // W3 winRate < 0.3 with ≥ 3 closed deals in the window
  {
    name: 'W3 fires at winRate 0.25 with 4 closed deals',
    rule: 'W3',
    count: 1,
    spec: { metrics: { winRate: 0.25, closedInWindow: 4, wonInWindow: 1 } },
  },
  {
    name: 'W3 fires at winRate 0 with 3 closed deals',
    rule: 'W3',
    count: 1,
    spec: { metrics: { winRate: 0, closedInWindow: 3, wonInWindow: 0 } },
  },
  {
    name: 'W3 does not fire at winRate 0.3 with 10 closed deals',
    rule: 'W3',
    count: 0,
    spec: { metrics: { winRate: 0.3, closedInWindow: 10, wonInWindow: 3 } },
  },
  {
    name: 'W3 does not fire at winRate 0 with 2 closed deals',
    rule: 'W3',
    count: 0,
    spec: { metrics: { winRate: 0, closedInWindow: 2, wonInWindow: 0 } },
  },
  // W4 daysSinceActivity > cadence of the tier: 30 / 60 / 90 / 180, unrated never
  ...(
    [
      ['strategic', 30],
      ['key', 60],
      ['standard', 90],
      ['transactional', 180],
    ] as const
  ).flatMap(([tier, cadence]): Row[] => [
    {
      name: `W4 fires for ${tier} at ${cadence + 1} days without activity`,
      rule: 'W4',
      count: 1,
      spec: { tier, metrics: { daysSinceActivity: cadence + 1 } },
    },
    {
      name: `W4 does not fire for ${tier} at ${cadence} days`,
      rule: 'W4',
      count: 0,
      spec: { tier, metrics: { daysSinceActivity: cadence } },
    },
    {
      name: `W4 fires for ${tier} with no recorded activity at all`,
      rule: 'W4',
      count: 1,
      spec: { tier, metrics: { daysSinceActivity: null } },
    },
  ]),
  {
    name: 'W4 never fires for unrated (1000 days)',
    rule: 'W4',
    count: 0,
    spec: { tier: 'unrated', metrics: { daysSinceActivity: 1000 } },
  },
  {
    name: 'W4 never fires for unrated (no activity at all)',
    rule: 'W4',
    count: 0,
    spec: { tier: 'unrated', metrics: { daysSinceActivity: null } },
  },
  {
    name: 'W4 fires for key at 46 days with a 45-day cadence setting',
    rule: 'W4',
    count: 1,
    spec: { tier: 'key', metrics: { daysSinceActivity: 46 } },
    settings: cadenceKey45,
  },
  {
    name: 'W4 does not fire for key at 45 days with a 45-day cadence setting',
    rule: 'W4',
    count: 0,
    spec: { tier: 'key', metrics: { daysSinceActivity: 45 } },
    settings: cadenceKey45,
  },
  // O1 growth ≥ 0.2
  {
    name: 'O1 fires at growth 0.2',
    rule: 'O1',
    count: 1,
    spec: { metrics: { growth: 0.2, revenueTtm: 120, revenuePrev: 100 } },
  },
  {
    name: 'O1 does not fire at growth 0.19',
    rule: 'O1',
    count: 0,
    spec: { metrics: { growth: 0.19 } },
  },
  {
    name: 'O1 does not fire when growth is null',
    rule: 'O1',
    count: 0,
    spec: { metrics: { growth: null, revenuePrev: 0 } },
  },
  // O2 pipelineWeighted ≥ 0.25 × revenueTtm and > 0
  {
    name: 'O2 fires at pipelineWeighted 25 = 0.25 × revenueTtm 100',
    rule: 'O2',
    count: 1,
    spec: { metrics: { pipelineWeighted: 25, revenueTtm: 100, openCount: 1 } },
  },
  {
    name: 'O2 does not fire at pipelineWeighted 24.9 against revenueTtm 100',
    rule: 'O2',
    count: 0,
    spec: { metrics: { pipelineWeighted: 24.9, revenueTtm: 100, openCount: 1 } },
  },
  {
    name: 'O2 fires at pipelineWeighted 10 with no revenue',
    rule: 'O2',
    count: 1,
    spec: { metrics: { pipelineWeighted: 10, revenueTtm: 0, openCount: 1 } },
  },
  {
    name: 'O2 does not fire at pipelineWeighted 0 with no revenue',
    rule: 'O2',
    count: 0,
    spec: { metrics: { pipelineWeighted: 0, revenueTtm: 0 } },
  },
  // O3 product lines bought < product lines sold in the portal
  {
    name: 'O3 fires buying 1 of the portal’s 2 lines',
    rule: 'O3',
    count: 1,
    spec: { metrics: { productLines: ['p1'] } },
    lines: ['p1', 'p2'],
  },
  {
    name: 'O3 does not fire buying all of the portal’s lines',
    rule: 'O3',
    count: 0,
    spec: { metrics: { productLines: ['p1', 'p2'] } },
    lines: ['p1', 'p2'],
  },
  {
    name: 'O3 does not fire without any product line',
    rule: 'O3',
    count: 0,
    spec: { metrics: { productLines: [] } },
    lines: ['p1', 'p2'],
  },
  // T1 growth ≤ −0.2
  {
    name: 'T1 fires at growth −0.2',
    rule: 'T1',
    count: 1,
    spec: { metrics: { growth: -0.2, revenueTtm: 80, revenuePrev: 100 } },
  },
  {
    name: 'T1 does not fire at growth −0.19',
    rule: 'T1',
    count: 0,
    spec: { metrics: { growth: -0.19 } },
  },
  {
    name: 'T1 does not fire when growth is null',
    rule: 'T1',
    count: 0,
    spec: { metrics: { growth: null } },
  },
  // T2 ≥ 2 lost deals closed in the last 180 days
  {
    name: 'T2 fires at 2 recent lost deals',
    rule: 'T2',
    count: 1,
    spec: { metrics: { lostRecently: 2, lostCount: 2 } },
  },
  {
    name: 'T2 does not fire at 1 recent lost deal',
    rule: 'T2',
    count: 0,
    spec: { metrics: { lostRecently: 1, lostCount: 5 } },
  },
  // T3 open complaint tickets > 0
  { name: 'T3 fires at 1 open complaint', rule: 'T3', count: 1, spec: { complaints: 1 } },
  { name: 'T3 does not fire at 0 open complaints', rule: 'T3', count: 0, spec: { complaints: 0 } },
  // T4 share ≥ 0.2
  { name: 'T4 fires at share 0.2', rule: 'T4', count: 1, spec: { share: 0.2 } },
  { name: 'T4 does not fire at share 0.19', rule: 'T4', count: 0, spec: { share: 0.19 } },
  // T5 recencyDays > 0.75 × churnDays and stage not lapsed
  {
    name: 'T5 fires at recencyDays 274 > 273.75 (churn 365)',
    rule: 'T5',
    count: 1,
    spec: { metrics: { recencyDays: 274 } },
  },
  {
    name: 'T5 does not fire at recencyDays 273 (churn 365)',
    rule: 'T5',
    count: 0,
    spec: { metrics: { recencyDays: 273 } },
  },
  {
    name: 'T5 does not fire when the stage is lapsed',
    rule: 'T5',
    count: 0,
    spec: { stage: 'lapsed', metrics: { recencyDays: 400 } },
  },
  {
    name: 'T5 fires at recencyDays 76 with churnDays 100',
    rule: 'T5',
    count: 1,
    spec: { metrics: { recencyDays: 76 } },
    settings: churn100,
  },
  {
    name: 'T5 does not fire at recencyDays 75 with churnDays 100',
    rule: 'T5',
    count: 0,
    spec: { metrics: { recencyDays: 75 } },
    settings: churn100,
  },
  {
    name: 'T5 does not fire when never won',
    rule: 'T5',
    count: 0,
    spec: { metrics: { recencyDays: null } },
  },
];

describe('§7 SWOT rules', () => {
  it('the quiet baseline account derives no item (so each row tests one rule)', () => {
    expect(derive({})).toEqual([]);
  });

  it.each(ROWS)('$name', ({ rule, count, spec, lines, settings, dimensions }) => {
    const items = ofRule(derive(spec, lines, settings), rule);
    expect(items).toHaveLength(count);
    if (dimensions !== undefined) {
      expect(items.map((item) => item.dimension)).toEqual(dimensions);
    }
  });

  it('every rule S1–T5 has a firing and a non-firing row', () => {
    const ids = [
      'S1',
      'S2',
      'S3',
      'S4',
      'W1',
      'W2',
      'W3',
      'W4',
      'O1',
      'O2',
      'O3',
      'T1',
      'T2',
      'T3',
      'T4',
      'T5',
    ];
    for (const id of ids) {
      expect(ROWS.some((row) => row.rule === id && row.count > 0)).toBe(true);
      expect(ROWS.some((row) => row.rule === id && row.count === 0)).toBe(true);
    }
  });
});

describe('§7 SWOT items carry rule id, quadrant, evidence and readable text', () => {
  const everything = () =>
    derive(
      {
        tier: 'key',
        share: 0.4,
        complaints: 2,
        props: servqual({ reliability: [4, 6], responsiveness: [6, 4] }),
        metrics: {
          tenureDays: 800,
          winRate: 0.6,
          closedInWindow: 5,
          wonInWindow: 3,
          productLines: ['p1', 'p2'],
          contacts: 1,
          daysSinceActivity: 61,
          growth: 0.25,
          revenueTtm: 5_000_000,
          revenuePrev: 4_000_000,
          pipelineWeighted: 2_000_000,
          lostRecently: 3,
          recencyDays: 300,
        },
      },
      ['p1', 'p2', 'p3'],
    );

  it('quadrant follows the rule letter', () => {
    const quadrant = { S: 'strength', W: 'weakness', O: 'opportunity', T: 'threat' } as const;
    const items = everything();
    expect(items.length).toBeGreaterThan(10);
    for (const item of items) {
      const letter = item.ruleId?.[0] as keyof typeof quadrant;
      expect(item.quadrant).toBe(quadrant[letter]);
      expect(item.text.length).toBeGreaterThan(0);
      expect(Object.values(item.evidence).some((value) => typeof value === 'number')).toBe(true);
    }
  });

  it('O1 reads "+25% (5.0M vs 4.0M)" and carries the growth evidence', () => {
    const [o1] = ofRule(everything(), 'O1');
    expect(o1?.text).toContain('+25% (5.0M vs 4.0M)');
    expect(o1?.evidence).toMatchObject({ growth: 0.25 });
  });

  it('S2, W4 and T5 carry the numbers that made them fire', () => {
    const items = everything();
    expect(ofRule(items, 'S2')[0]?.evidence).toMatchObject({ winRate: 0.6 });
    expect(ofRule(items, 'W4')[0]?.evidence).toMatchObject({ daysSinceActivity: 61 });
    expect(ofRule(items, 'W4')[0]?.text).toContain('61');
    expect(ofRule(items, 'T5')[0]?.evidence).toMatchObject({ recencyDays: 300 });
    expect(ofRule(items, 'T4')[0]?.evidence).toMatchObject({ share: 0.4 });
    expect(ofRule(items, 'W1')[0]?.evidence).toMatchObject({ gap: -2 });
  });

  it('manual items: one per line from the four text properties, without rule id', () => {
    const items = derive({
      props: {
        kam_swot_strengths: 'Trusted brand\n\n  Fast delivery  ',
        kam_swot_weaknesses: 'Price',
        kam_swot_opportunities: '',
        kam_swot_threats: 'Competitor X\r\nNew regulation',
      },
    });
    const manual = items.filter((item) => item.ruleId === null);
    expect(manual.map((item) => [item.quadrant, item.text])).toEqual(
      expect.arrayContaining([
        ['strength', 'Trusted brand'],
        ['strength', 'Fast delivery'],
        ['weakness', 'Price'],
        ['threat', 'Competitor X'],
        ['threat', 'New regulation'],
      ]),
    );
    expect(manual).toHaveLength(5);
  });
});

describe('§7 SWOT end to end from HubSpot records', () => {
  it('T2 counts lost deals closed in (asOf − 180 d, asOf]', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          lost({ company: '1', closedDaysAgo: 10 }),
          lost({ company: '1', closedDaysAgo: 179.9 }),
          lost({ company: '2', closedDaysAgo: 10 }),
          lost({ company: '2', closedDaysAgo: 180 }),
        ],
      ),
    );
    expect(ofRule(companyOf(result, '1').swot, 'T2')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'T2')).toHaveLength(0);
  });

  it('S2 from 3 won + 2 lost in the window (0.6 over 5); W3 from 1 won + 3 lost (0.25 over 4)', () => {
    const result = score(
      portal(
        [company('1'), company('2')],
        [
          won({ company: '1', closedDaysAgo: 10 }),
          won({ company: '1', closedDaysAgo: 400 }),
          won({ company: '1', closedDaysAgo: 700 }),
          lost({ company: '1', closedDaysAgo: 20 }),
          lost({ company: '1', closedDaysAgo: 500 }),
          lost({ company: '1', closedDaysAgo: 900 }),
          won({ company: '2', closedDaysAgo: 10 }),
          lost({ company: '2', closedDaysAgo: 20 }),
          lost({ company: '2', closedDaysAgo: 30 }),
          lost({ company: '2', closedDaysAgo: 600 }),
        ],
      ),
    );
    expect(ofRule(companyOf(result, '1').swot, 'S2')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'W3')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'S2')).toHaveLength(0);
  });

  it('O3: the portal’s product lines are those of all won deals of the last 2W', () => {
    const result = score(
      portal(
        [company('1'), company('2'), company('3')],
        [
          won({ company: '1', closedDaysAgo: 10, line: 'a' }),
          won({ company: '2', closedDaysAgo: 10, line: 'a' }),
          won({ company: '2', closedDaysAgo: 600, line: 'b' }),
          won({ company: '3', closedDaysAgo: 900, line: 'c' }),
          open({ company: '3', probability: 0.5, line: 'd' }),
        ],
      ),
    );
    // Portal lines {a, b}: company 1 buys 1 of 2 → O3; company 2 buys both; 3 none.
    expect(ofRule(companyOf(result, '1').swot, 'O3')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'O3')).toHaveLength(0);
    expect(ofRule(companyOf(result, '3').swot, 'O3')).toHaveLength(0);
  });

  it('T4 from the real share; W4 uses the cadence of the tier in force (a pin)', () => {
    const result = score(
      portal(
        [
          company('1', { notes_last_updated: '2026-07-10T00:00:00Z' }),
          company('2', {
            notes_last_updated: '2026-07-10T00:00:00Z',
            kam_tier_override: 'strategic',
          }),
          company('3'),
        ],
        [
          won({ company: '1', amount: 810, closedDaysAgo: 10 }),
          won({ company: '2', amount: 190, closedDaysAgo: 10 }),
        ],
      ),
    );
    // shares 0.81 / 0.19; 36 days since activity: strategic (30) fires, pinned 2 too.
    expect(ofRule(companyOf(result, '1').swot, 'T4')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'T4')).toHaveLength(0);
    expect(ofRule(companyOf(result, '1').swot, 'W4')).toHaveLength(1);
    expect(ofRule(companyOf(result, '2').swot, 'W4')).toHaveLength(1);
    // Company 3 is unrated and has no activity: W4 never fires for unrated.
    expect(ofRule(companyOf(result, '3').swot, 'W4')).toHaveLength(0);
  });
});
