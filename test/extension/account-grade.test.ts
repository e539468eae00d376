import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountGradeCard } from '../../extension/app/cards/account-grade/AccountGradeCard.tsx';
import {
  Button,
  LineChart,
  LoadingSpinner,
  Panel,
  ProgressBar,
  ScoreCircle,
  Select,
  Tag,
  Text,
} from '../../extension/app/cards/testing.ts';
import {
  IDLE,
  apiError,
  fire,
  fixtures,
  mockBackend,
  on,
  renderCard,
  scorecardFor,
} from './support/card-harness.ts';

const SCORECARD = '/api/v1/companies/1003/scorecard';
const strategic = fixtures.companies.strategic;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Account grade card', () => {
  it('shows a spinner while the scorecard loads', () => {
    mockBackend(on('GET', SCORECARD, 'never'));
    const card = renderCard(AccountGradeCard);
    expect(card.find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('leads with the grade, the tier as a labelled tag, the strategy and the change since the last history point', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Strategy: Invest');
    const screen = card.screen();
    const score = strategic.score ?? Number.NaN;
    expect(card.find(ScoreCircle).props.score).toBe(score);
    expect(screen).toContain(`Grade A · ${score.toFixed(1)}`);
    expect(card.findByTestId(Tag, 'tier').text).toBe('Strategic');
    // History: 71.2 on 2026-09-01, then the current score.
    expect(card.findByTestId(Text, 'score-change').text).toBe(
      `+${(score - 71.2).toFixed(1)} since 2026-09-01`,
    );
    expect(screen).toContain('Core');
    expect(screen).toContain('Partner');
    expect(screen).toContain('Last scored 2026-11-01 00:00 UTC');
  });

  it('keeps the 3×3 matrix and the pin in panels, off the first screen', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Strategy: Invest');
    const matrixPanel = card.findByTestId(Button, 'open-matrix').props.overlay;
    expect(matrixPanel).toBeDefined();
    expect(card.findByTestId(Text, 'matrix-here').text).toBe('● Invest (this account)');
    expect(card.find(Panel, { id: 'kam-tier-pin' }).find(Select).props.name).toBe('tierOverride');
  });

  it('shows what lifts the score and what holds it back', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('What lifts the score');
    const screen = card.screen();
    expect(screen).toContain(
      'Revenue size (Attractiveness): 97.4 of 100, weight 35% — revenue 742k (percentile 97)',
    );
    // Revenue down 37%: growth scores 8.4, the one factor that pulls this account down.
    const hurts = screen.slice(screen.indexOf('What holds it back'));
    expect(hurts).toContain('Growth (Attractiveness): 8.4 of 100, weight 24%');
  });

  it('says a first-year customer has no segment yet, and names the v2 stages', async () => {
    const firstYear = { ...strategic, loyalty: null, segment: null, stage: 'growing' as const };
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(firstYear) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Not yet measurable (a prospect or first-year customer)');
    expect(card.screen()).toContain('Growing');
    expect(card.screen()).not.toContain('Core');
  });

  it('draws the score history as a line chart', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Score history');
    const chart = card.find(LineChart);
    expect(chart.props.data).toEqual([
      { date: '2026-09-01T00:00:00.000Z', score: 71.2 },
      { date: '2026-10-01T00:00:00.000Z', score: strategic.score },
    ]);
  });

  it('says when the tier is pinned, by whom, and what the model would say', async () => {
    const pinned = {
      ...strategic,
      tier: 'key' as const,
      tierPinned: true,
      computedTier: 'strategic' as const,
    };
    mockBackend(
      on('GET', SCORECARD, {
        status: 200,
        body: scorecardFor(pinned, { pinnedBy: { userId: 42, at: '2026-10-15T09:30:00Z' } }),
      }),
    );
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Key');
    expect(card.screen()).toContain('Pinned by user 42 on 2026-10-15 09:30 UTC');
    expect(card.screen()).toContain('the model says Strategic');
  });

  it('names the user who pinned the tier, as HubSpot names them, in both languages', async () => {
    const pinned = {
      ...strategic,
      tier: 'key' as const,
      tierPinned: true,
      computedTier: 'strategic' as const,
    };
    const body = scorecardFor(pinned, {
      pinnedBy: { userId: '2000002', name: 'Mia Manager', at: '2026-10-15T09:30:00Z' },
    });
    mockBackend(on('GET', SCORECARD, { status: 200, body }));
    const en = renderCard(AccountGradeCard);
    await en.waitForText('Key');
    expect(en.screen()).toContain('Pinned by Mia Manager on 2026-10-15 09:30 UTC');
    expect(en.screen()).not.toContain('2000002');

    mockBackend(on('GET', SCORECARD, { status: 200, body }));
    const zh = renderCard(AccountGradeCard, { locale: 'zh-cn' });
    await zh.waitForText('重点');
    expect(zh.screen()).toContain('由Mia Manager于 2026-10-15 09:30 UTC 锁定');
  });

  it('pins the tier by hand, shows the pin and refreshes the record', async () => {
    const pinned = {
      ...strategic,
      tier: 'key' as const,
      tierPinned: true,
      computedTier: 'strategic' as const,
    };
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('PUT', '/api/v1/companies/1003/swot', {
        status: 200,
        body: scorecardFor(pinned, { pinnedBy: { userId: 1, at: '2026-11-02T10:00:00Z' } }),
      }),
    );
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Strategy: Invest');
    expect(card.find(Select, { name: 'tierOverride' }).props.value).toBe('none');
    fire(card.find(Select, { name: 'tierOverride' }), 'onChange', 'key');
    fire(card.findByTestId(Button, 'pin-save'), 'onClick');
    await card.waitForText('Tier pin saved; the account was recomputed.');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ tierOverride: 'key' });
    expect(card.screen()).toContain('Pinned by user 1 on 2026-11-02 10:00 UTC');
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });

  it("says when HubSpot refused the last write of the company's properties", async () => {
    mockBackend(
      on('GET', SCORECARD, {
        status: 200,
        body: scorecardFor(strategic, {
          writeFailure: { code: 'VALIDATION_ERROR', message: 'Property "industry" is required' },
        }),
      }),
    );
    const card = renderCard(AccountGradeCard);
    await card.waitForText('HubSpot refused the last update of this company');
    expect(card.screen()).toContain('Property \\"industry\\" is required');
  });

  it('shows the computed score of a company with a lost and an open deal but no win yet', async () => {
    const cedar = fixtures.companies.newWithStaleSurvey;
    expect(cedar.metrics).toMatchObject({ wonCount: 0, lostCount: 1, openCount: 1 });
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(cedar) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText(`· ${(cedar.score ?? Number.NaN).toFixed(1)}`);
    expect(card.screen()).not.toContain('No deals yet');
  });

  it('says a company is not graded when no factor has a value, without a made-up number', async () => {
    const cedar = fixtures.companies.newWithStaleSurvey;
    const ungraded = {
      ...cedar,
      score: null,
      grade: null,
      strength: null,
      strengthLevel: null,
      strategy: null,
    };
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(ungraded) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Not graded: no factor has a value yet');
    expect(card.maybeFind(ScoreCircle)).toBeNull();
    expect(card.screen()).not.toContain('Strategy:');
    expect(card.screen()).toContain('number="—"');
    expect(card.screen()).toContain('No data yet');
  });

  it('explains the empty grade of a company without any deal', async () => {
    const cedar = fixtures.companies.newWithStaleSurvey;
    const noDeals = { ...cedar, metrics: { ...cedar.metrics, lostCount: 0, openCount: 0 } };
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(noDeals) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('No deals yet — the grade appears with the first deal.');
  });

  it('offers a recompute for a company not scored yet', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(null) }));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Not scored yet');
    expect(card.findByTestId(Button, 'recompute').text).toBe('Recompute');
  });

  it('says the backend is unreachable and retries on request', async () => {
    let attempt = 0;
    mockBackend(
      on('GET', SCORECARD, () =>
        ++attempt === 1 ? 'network-error' : { status: 200, body: scorecardFor(strategic) },
      ),
    );
    const card = renderCard(AccountGradeCard);
    await card.waitForText('The KAM service cannot be reached');
    fire(card.find(Button), 'onClick');
    await card.waitForText('Strategy: Invest');
  });

  it('asks for a reinstall when the portal needs re-authorisation, without a useless retry', async () => {
    mockBackend(on('GET', SCORECARD, apiError(409, 'needs_reauth', 'refresh token revoked')));
    const card = renderCard(AccountGradeCard);
    await card.waitForText('KAM needs to be reconnected');
    expect(card.screen()).toContain('reinstall KAM for HubSpot');
    expect(card.maybeFind(Button)).toBeNull();
  });

  it('recomputes the company: shows the rescored scorecard the route answers with, and refreshes the record', async () => {
    const rescored = { ...strategic, score: 64.2, grade: 'B' as const };
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('POST', '/api/v1/companies/1003/recompute', {
        status: 200,
        body: scorecardFor(rescored),
      }),
    );
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Strategy: Invest');
    fire(card.findByTestId(Button, 'recompute'), 'onClick');
    await card.waitForText('Recompute finished');
    expect(card.screen()).toContain('64.2');
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(1);
    expect(calls.filter((c) => c.path === SCORECARD)).toHaveLength(1);
  });

  it('follows the full recompute that holds the company back, then reloads', async () => {
    const running = {
      ...IDLE,
      state: 'running' as const,
      progress: { pagesRead: 1, companiesScored: 10, companiesWritten: 4, companiesTotal: 40 },
      finishedAt: null,
    };
    let statusCalls = 0;
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('POST', '/api/v1/companies/1003/recompute', {
        status: 200,
        body: scorecardFor(strategic, { recompute: running }),
      }),
      on('GET', '/api/v1/recompute/status', () =>
        ++statusCalls === 1 ? { status: 200, body: running } : { status: 200, body: IDLE },
      ),
    );
    const card = renderCard(AccountGradeCard);
    await card.waitForText('Strategy: Invest');
    fire(card.findByTestId(Button, 'recompute'), 'onClick');
    await card.waitFor(() =>
      expect(card.find(ProgressBar).props.title).toBe('Recomputing: 4 of 40 companies written'),
    );
    await card.waitForText('Recompute finished', 5_000);
    expect(calls.filter((c) => c.path === SCORECARD)).toHaveLength(2);
  });
});
