import { afterEach, describe, expect, it, vi } from 'vitest';
import { PortfolioPage } from '../../extension/app/cards/portfolio/PortfolioPage.tsx';
import type { Portfolio } from '../../extension/app/cards/lib/types.ts';
import {
  Button,
  Flex,
  LineChart,
  LoadingSpinner,
  Table,
  TableCell,
  TableRow,
  createElement,
  hubspot,
  useState,
} from '../../extension/app/cards/testing.ts';
import { RECOMPUTE_POLL_MS } from '../../extension/app/cards/lib/use-recompute-progress.ts';
import {
  IDLE,
  apiError,
  fire,
  fixtures,
  mockBackend,
  on,
  renderCard,
} from './support/card-harness.ts';

const PORTFOLIO: Portfolio = {
  ...fixtures.portfolio,
  movements: [{ companyId: '1010', name: 'Juniper Retail 11', from: 'key', to: 'strategic' }],
  recompute: IDLE,
};

afterEach(() => {
  vi.restoreAllMocks();
});

function renderHome(locale = 'en-us') {
  return renderCard(PortfolioPage, { location: 'pages', locale });
}

describe('Portfolio home page', () => {
  it("states how much revenue the seed's top bands hold, and says when the structure is unsound", async () => {
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: PORTFOLIO }));
    const sound = renderHome();
    await sound.waitForText('Key-account portfolio');
    expect(sound.screen()).toContain('Revenue held by accounts buying 200k or more a year');
    expect(sound.screen()).toContain('number="84%"');
    expect(sound.screen()).not.toContain('unsound');

    const unsound: Portfolio = {
      ...PORTFOLIO,
      topBands: { threshold: 200_000, accounts: 4, accountShare: 0.14, revenueShare: 0.41 },
    };
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: unsound }));
    const zh = renderHome('zh-cn');
    await zh.waitForText('年采购 200k 以上客户的收入占比');
    expect(zh.screen()).toContain('number="41%"');
    expect(zh.screen()).toContain('与 80/20 原则差距较大：客户结构不合理。');
  });

  it('shows a spinner while loading', () => {
    mockBackend(on('GET', '/api/v1/portfolio', 'never'));
    expect(renderHome().find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('shows tiers with revenue share, the top-20% share, the Pareto curve, matrix, segments and movements', async () => {
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: PORTFOLIO }));
    const page = renderHome();
    await page.waitForText('Key-account portfolio');
    const screen = page.screen();
    expect(screen).toContain('label="Rated accounts" number={29}');
    expect(screen).toContain('number="89%"');
    const rows = (testId: string) =>
      page
        .findByTestId(Table, testId)
        .findAll(TableRow)
        .map((row) => row.findAll(TableCell).map((cell) => cell.text));
    expect(rows('portfolio-tiers').slice(1, 3)).toEqual([
      ['Strategic', '2', '58%'],
      ['Key', '2', '26%'],
    ]);
    // Attractiveness high (row 1) × strength high (column 1): 8 companies.
    expect(rows('portfolio-matrix')[1]).toEqual(['High', '8', '0', '0']);
    const curve = page.find(LineChart).props.data;
    // The curve ends where all accounts hold all revenue.
    expect(Array.isArray(curve) ? curve.at(-1) : curve).toEqual({ accounts: 100, revenue: 100 });
    expect(screen).toContain('Juniper Retail 11: Key → Strategic');
    expect(screen).toContain('3 companies have data-quality flags');
  });

  it('has an empty state with a recompute before anything is scored', async () => {
    mockBackend(
      on('GET', '/api/v1/portfolio', {
        status: 200,
        body: { ...PORTFOLIO, tierCounts: {}, paretoCurve: [], movements: [] },
      }),
    );
    const page = renderHome();
    await page.waitForText('No company scored yet');
    expect(page.findByTestId(Button, 'recompute-all').text).toBe('Recompute all companies');
  });

  it('stops following the recompute when the page goes away, even with a poll in flight', async () => {
    const running = { ...IDLE, state: 'running' as const, finishedAt: null };
    let statusCalls = 0;
    let answerPoll: (response: Response) => void = () => undefined;
    vi.spyOn(hubspot, 'fetch').mockImplementation((input, options) => {
      const path = new URL(String(input)).pathname;
      const json = (body: unknown) =>
        Promise.resolve(new Response(JSON.stringify(body), { status: 200 }));
      if (path === '/api/v1/portfolio') return json(PORTFOLIO);
      if (path === '/api/v1/recompute' && options?.method === 'POST') return json(running);
      statusCalls++;
      return new Promise<Response>((resolve) => {
        answerPoll = resolve;
      });
    });
    // The page inside a host that takes it away, as HubSpot does when the user navigates.
    let leave = () => undefined as void;
    function Host() {
      const [shown, setShown] = useState(true);
      leave = () => setShown(false);
      return shown ? createElement(PortfolioPage) : null;
    }
    const page = renderCard(Host, { location: 'pages' });
    await page.waitForText('Key-account portfolio');
    fire(page.findByTestId(Button, 'recompute-all'), 'onClick');
    await page.waitFor(() => expect(statusCalls).toBe(1));
    leave();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(page.screen()).not.toContain('Key-account portfolio');
    answerPoll(new Response(JSON.stringify(running), { status: 200 }));
    await new Promise((resolve) => setTimeout(resolve, RECOMPUTE_POLL_MS * 2));
    expect(statusCalls).toBe(1);
  });

  it('recomputes the whole portfolio with progress and reloads it', async () => {
    const { calls } = mockBackend(
      on('GET', '/api/v1/portfolio', { status: 200, body: PORTFOLIO }),
      on('POST', '/api/v1/recompute', { status: 202, body: { ...IDLE, state: 'queued' } }),
      on('GET', '/api/v1/recompute/status', { status: 200, body: IDLE }),
    );
    const page = renderHome();
    await page.waitForText('Key-account portfolio');
    fire(page.findByTestId(Button, 'recompute-all'), 'onClick');
    await page.waitForText('Recompute finished');
    expect(calls.filter((c) => c.path === '/api/v1/portfolio')).toHaveLength(2);
  });

  it('speaks Chinese to a Chinese user', async () => {
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: PORTFOLIO }));
    const page = renderHome('zh-cn');
    await page.waitForText('大客户组合');
    expect(page.screen()).toContain('战略');
    expect(page.screen()).toContain('明日之星');
  });

  it('shows the re-authorisation error', async () => {
    mockBackend(on('GET', '/api/v1/portfolio', apiError(409, 'needs_reauth', 'reinstall')));
    await renderHome().waitForText('KAM needs to be reconnected');
  });

  // --- #12: kam-model.md v2 §14 ---
  it('lists the strategic and key accounts with a thin profile or no owner, largest first, and how many more', async () => {
    const attention: Portfolio = {
      ...PORTFOLIO,
      profileAttention: {
        accounts: [
          {
            id: '1003',
            name: 'Harbor Health 4',
            tier: 'strategic',
            completeness: 63,
            hasOwner: true,
          },
          { id: '1010', name: null, tier: 'key', completeness: 88, hasOwner: false },
        ],
        total: 3,
      },
    };
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: attention }));
    const home = renderHome();
    await home.waitForText('Strategic and key accounts needing attention');
    const list = home.findByTestId(Flex, 'profile-attention');
    // Header row first; a cell's text is its own, or its tag's.
    expect(
      list
        .findAll(TableRow)
        .slice(1)
        .map((row) => row.findAll(TableCell).map((cell) => cell.text ?? cell.toString())),
    ).toEqual([
      ['Harbor Health 4', 'Strategic', '63%', expect.stringContaining('Assigned')],
      ['Company 1010', 'Key', '88%', expect.stringContaining('No owner')],
    ]);
    expect(list.toString()).toContain('and 1 more account');

    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: attention }));
    const zh = renderHome('zh-cn');
    await zh.waitForText('需要关注的战略和重点客户');
    expect(zh.screen()).toContain('无负责人');
    expect(zh.screen()).toContain('另有 1 个客户');
  });

  it('says so when every strategic and key account is in order, and shows nothing from an older backend', async () => {
    mockBackend(
      on('GET', '/api/v1/portfolio', {
        status: 200,
        body: { ...PORTFOLIO, profileAttention: { accounts: [], total: 0 } },
      }),
    );
    const home = renderHome();
    await home.waitForText(
      'Every strategic and key account has an owner and a profile at least 80% complete.',
    );
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: PORTFOLIO }));
    const older = renderHome();
    await older.waitForText('Key-account portfolio');
    expect(older.maybeFind(Flex, { testId: 'profile-attention' })).toBeNull();
  });
  // --- end #12 ---
});
