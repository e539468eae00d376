import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountGradeCard } from '../../extension/app/cards/account-grade/AccountGradeCard.tsx';
import { NextActionsCard } from '../../extension/app/cards/next-actions/NextActionsCard.tsx';
import { SatisfactionCard } from '../../extension/app/cards/satisfaction/SatisfactionCard.tsx';
import { SwotCard } from '../../extension/app/cards/swot/SwotCard.tsx';
import { localeOf } from '../../extension/app/cards/lib/i18n.ts';
import { BarChart, Tile } from '../../extension/app/cards/testing.ts';
import { fixtures, mockBackend, on, renderCard, scorecardFor } from './support/card-harness.ts';

const strategic = fixtures.companies.strategic;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('locale', () => {
  it.each([
    ['zh-cn', 'zh'],
    ['zh-tw', 'zh'],
    ['en-us', 'en'],
    ['de-de', 'en'],
    [undefined, 'en'],
  ])('a user with locale %s reads %s', (locale, expected) => {
    expect(localeOf(locale === undefined ? {} : { locale })).toBe(expected);
  });

  it('switches the account grade between English and Simplified Chinese with the kam-model terms', async () => {
    mockBackend(
      on('GET', '/api/v1/companies/1003/scorecard', { status: 200, body: scorecardFor(strategic) }),
    );
    const en = renderCard(AccountGradeCard, { locale: 'en-us' });
    await en.waitForText('Strategy: Invest');
    expect(en.screen()).toContain('Partner');

    const zh = renderCard(AccountGradeCard, { locale: 'zh-cn' });
    await zh.waitForText('策略：投资发展');
    const screen = zh.screen();
    expect(screen).toContain('战略');
    expect(screen).toContain('协作');
    expect(screen).toContain('核心客户');
    // The grade is 评分等级 (等级 alone reads as the tier), and terms as a native reader writes them.
    expect(screen).toContain('评分等级 A');
    expect(screen).toContain('本客户）');
    expect(screen).not.toContain('(本客户)');
    expect(screen).toContain('收入规模（吸引力）：97.4 分，权重 35%');
    expect(screen).not.toContain('Strategy');
  });

  it('rebuilds derived SWOT items in Chinese from their evidence, and keeps the rep’s own words', async () => {
    const manual = {
      strengths: ['华东区域首选供应商'],
      weaknesses: [],
      opportunities: [],
      threats: [],
      competitors: [],
      accountPlan: null,
      tierOverride: null,
    };
    mockBackend(
      on('GET', '/api/v1/companies/1003/scorecard', {
        status: 200,
        body: scorecardFor(strategic, { manual }),
      }),
    );
    const card = renderCard(SwotCard, { locale: 'zh-cn' });
    await card.waitForText('优势');
    const strengths = card.findByTestId(Tile, 'swot-strength').toString();
    expect(strengths).toContain('长期合作：已合作 1068 天');
    expect(strengths).toContain('赢单率高：37 笔已关闭交易中赢单率 73%');
    expect(strengths).toContain('华东区域首选供应商');
    expect(strengths).toContain('手动添加');
    expect(card.findByTestId(Tile, 'swot-threat').toString()).toContain(
      '收入下降：-37%（742k，上期 1.2M）',
    );
  });

  it('shows next actions and the satisfaction gap in Chinese', async () => {
    mockBackend(
      on('GET', '/api/v1/companies/1003/scorecard', { status: 200, body: scorecardFor(strategic) }),
      on('GET', '/api/v1/companies/1038/scorecard', {
        status: 200,
        body: scorecardFor(fixtures.companies.belowExpectations),
      }),
    );
    const actions = renderCard(NextActionsCard, {
      location: 'crm.record.sidebar',
      locale: 'zh-cn',
    });
    await actions.waitForText('安排客户拜访');
    expect(actions.screen()).toContain('已 197 天无活动；该等级客户每 30 天拜访一次');
    expect(actions.screen()).toContain('准备解决方案（方案营销）');
    expect(actions.screen()).toContain('优先级 1');
    expect(actions.screen()).toContain('显示全部 6 项行动');

    const gap = renderCard(SatisfactionCard, { locale: 'zh-cn', companyId: 1038 });
    await gap.waitForText('低于期望');
    expect(gap.find(BarChart).props.data).toContainEqual({ dimension: '可靠性', gap: -2 });
    expect(gap.screen()).toContain('与期望差距最大');
  });
});
