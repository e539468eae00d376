/**
 * kam-model.md §11 on the grade card ("Part of <group>") and §12 beside the
 * satisfaction gap (open, overdue, 12 months, median days, the 回访
 * follow-up, no tickets), each state in en and zh.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountGradeCard } from '../../extension/app/cards/account-grade/AccountGradeCard.tsx';
import { SatisfactionCard } from '../../extension/app/cards/satisfaction/SatisfactionCard.tsx';
import type { CompanyGroup, Complaints } from '../../extension/app/cards/lib/types.ts';
import { Alert, Flex, Tag } from '../../extension/app/cards/testing.ts';
import { fixtures, mockBackend, on, renderCard, scorecardFor } from './support/card-harness.ts';

const SCORECARD = '/api/v1/companies/1003/scorecard';
const strategic = fixtures.companies.strategic;

const group: CompanyGroup = {
  id: '900',
  name: 'Nordic Steel Group',
  tier: 'strategic',
  size: 14,
  revenueTtm: 2_040_000,
  biggestMember: { id: '1003', name: strategic.name, revenueTtm: 742_000 },
};
const complaints: Complaints = {
  source: 'tickets',
  open: 3,
  openMajor: 1,
  overdue: 1,
  last12Months: 7,
  medianDaysToClose: 4.5,
  followUp: { ticketId: '5551', closedAt: '2026-10-25', dueBy: '2026-11-08' },
};

function serve(overrides: Partial<typeof strategic>) {
  mockBackend(
    on('GET', SCORECARD, { status: 200, body: scorecardFor({ ...strategic, ...overrides }) }),
  );
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('grade card: the group', () => {
  it.each([
    [
      'en-us',
      'Part of Nordic Steel Group',
      'Strategic',
      '14 members',
      '2M',
      '(this company) · 742k',
    ],
    ['zh-cn', '隶属于 Nordic Steel Group', '战略', '14 家成员公司', '2M', '（本公司） · 742k'],
  ])(
    '%s: tier, members, revenue and the biggest member',
    async (locale, heading, tier, members, revenue, biggest) => {
      serve({ group });
      const card = renderCard(AccountGradeCard, { locale });
      await card.waitForText(heading);
      expect(card.findByTestId(Tag, 'group-tier').text).toBe(tier);
      const shown = card.findByTestId(Flex, 'group').toString();
      for (const text of [members, revenue, biggest]) expect(shown).toContain(text);
    },
  );

  it('a group of two agrees in number; another member is named without "this company"', async () => {
    serve({
      group: {
        ...group,
        size: 2,
        biggestMember: { id: '77', name: 'Nordic Steel AB', revenueTtm: 900_000 },
      },
    });
    const card = renderCard(AccountGradeCard);
    await card.waitForText('2 members');
    expect(card.screen()).toContain('Nordic Steel AB · 900k');
    expect(card.screen()).not.toContain('this company');
  });

  it.each([
    ['a standalone company (a group of one)', { group: { ...group, size: 1 } }],
    ['an older backend without groups', {}],
  ])('shows no group for %s', async (_case, overrides) => {
    serve(overrides);
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Tier');
    expect(card.maybeFind(Flex, { testId: 'group' })).toBeNull();
    expect(card.screen()).not.toContain('Part of');
  });
});

describe('satisfaction card: complaints beside the gap', () => {
  it.each([
    [
      'en-us',
      [
        'Complaints',
        '1 major, 2 general',
        '7',
        '4.5 days',
        '1 complaint past the time limit: escalate now',
        'Complaint 5551 closed on 2026-10-25: call the customer by 2026-11-08.',
      ],
    ],
    [
      'zh-cn',
      [
        '投诉',
        '重大 1 起，一般 2 起',
        '4.5 天',
        '1 起投诉已超过处理时限：请立即升级处理',
        '投诉 5551 已于 2026-10-25 关闭：请在 2026-11-08 前回访客户。',
      ],
    ],
  ])('%s: open, overdue, 12 months, median days and the follow-up due', async (locale, texts) => {
    serve({ complaints });
    const card = renderCard(SatisfactionCard, { locale });
    await card.waitForText(texts[0] ?? '');
    for (const text of texts) expect(card.screen()).toContain(text);
  });

  it('two overdue complaints agree in number; nothing closed yet shows a dash', async () => {
    serve({ complaints: { ...complaints, overdue: 2, medianDaysToClose: null, followUp: null } });
    const card = renderCard(SatisfactionCard);
    await card.waitForText('2 complaints past the time limit: escalate now');
    expect(card.maybeFind(Alert, { testId: 'follow-up' })).toBeNull();
    expect(card.screen()).toContain('—');
  });

  it.each([
    ['en-us', 'No complaint tickets'],
    ['zh-cn', '没有投诉工单'],
  ])('%s: a notice when no complaint ticket is linked', async (locale, title) => {
    serve({
      complaints: {
        ...complaints,
        source: 'none',
        open: 0,
        openMajor: 0,
        overdue: 0,
        last12Months: 0,
        medianDaysToClose: null,
        followUp: null,
      },
    });
    const card = renderCard(SatisfactionCard, { locale });
    await card.waitForText(title);
    expect(card.findByTestId(Alert, 'no-tickets').props.variant).toBe('info');
    expect(card.maybeFind(Flex, { testId: 'complaints' })).toBeNull();
  });
});
