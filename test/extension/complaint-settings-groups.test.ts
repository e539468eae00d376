/**
 * kam-model.md §12 on the settings page (complaint pipelines picked from the
 * portal's ticket pipelines, SLA days per tier) and §11 on the home page (the
 * Pareto over groups), in en and zh, with the states a portal can be in.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/index.ts';
import { PortfolioPage } from '../../extension/app/cards/portfolio/PortfolioPage.tsx';
import { SettingsPage } from '../../extension/app/cards/settings/SettingsPage.tsx';
import type { Portfolio, PortfolioGroups, Settings } from '../../extension/app/cards/lib/types.ts';
import {
  Button,
  MultiSelect,
  NumberInput,
  Table,
  TableRow,
} from '../../extension/app/cards/testing.ts';
import {
  IDLE,
  apiError,
  fire,
  fixtures,
  mockBackend,
  on,
  renderCard,
} from './support/card-harness.ts';

/** The model's defaults, as the backend serves them, with one complaint pipeline chosen. */
const SETTINGS: Settings = {
  ...(JSON.parse(JSON.stringify(DEFAULT_SETTINGS)) as Settings),
  complaintPipelines: ['0'],
};
const PIPELINES = {
  pipelines: [
    { id: '0', label: 'Support Pipeline' },
    { id: '77', label: 'Complaints' },
  ],
};

afterEach(() => {
  vi.restoreAllMocks();
});

const renderSettings = (locale = 'en-us') =>
  renderCard(SettingsPage, { location: 'settings', locale });

describe('settings page: complaints (§12)', () => {
  it.each([
    ['en-us', 'Ticket pipelines that hold complaints', 'Strategic'],
    ['zh-cn', '记录投诉的工单管道', '战略'],
  ])(
    '%s: picks pipelines from the portal’s and saves them with the SLA days',
    async (locale, label, strategic) => {
      const { calls } = mockBackend(
        on('GET', '/api/v1/settings', { status: 200, body: { settings: SETTINGS } }),
        on('GET', '/api/v1/ticket-pipelines', { status: 200, body: PIPELINES }),
        on('PUT', '/api/v1/settings', (call) => ({
          status: 200,
          body: { settings: (call.body as { settings: Settings }).settings, recompute: IDLE },
        })),
      );
      const page = renderSettings(locale);
      await page.waitForText(label);
      await page.waitFor(() =>
        expect(page.find(MultiSelect, { name: 'complaintPipelines' }).props.options).toEqual([
          { label: 'Support Pipeline', value: '0' },
          { label: 'Complaints', value: '77' },
        ]),
      );
      expect(page.find(NumberInput, { name: 'complaintSlaDays.strategic' }).props.label).toBe(
        strategic,
      );
      fire(page.find(MultiSelect, { name: 'complaintPipelines' }), 'onChange', ['77']);
      fire(page.find(NumberInput, { name: 'complaintSlaDays.key' }), 'onChange', 3);
      fire(page.findByTestId(Button, 'settings-save'), 'onClick');
      await page.waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
      const sent = (calls.find((c) => c.method === 'PUT')?.body as { settings: Settings }).settings;
      expect(sent.complaintPipelines).toEqual(['77']);
      expect(sent.complaintSlaDays).toEqual({
        strategic: 1,
        key: 3,
        standard: 3,
        transactional: 5,
        unrated: 5,
      });
    },
  );

  it('an SLA of 0 days is refused on the field; saving is blocked', async () => {
    mockBackend(
      on('GET', '/api/v1/settings', { status: 200, body: { settings: SETTINGS } }),
      on('GET', '/api/v1/ticket-pipelines', { status: 200, body: PIPELINES }),
    );
    const page = renderSettings();
    await page.waitForText('Ticket pipelines that hold complaints');
    fire(page.find(NumberInput, { name: 'complaintSlaDays.unrated' }), 'onChange', 0);
    expect(
      page.find(NumberInput, { name: 'complaintSlaDays.unrated' }).props.validationMessage,
    ).toBe('Enter a whole number of at least 1.');
    expect(page.findByTestId(Button, 'settings-save').props.disabled).toBe(true);
  });

  it('keeps a saved pipeline the portal no longer has, and says when the pipelines cannot be loaded', async () => {
    mockBackend(
      on('GET', '/api/v1/settings', {
        status: 200,
        body: { settings: { ...SETTINGS, complaintPipelines: ['9'] } },
      }),
      on('GET', '/api/v1/ticket-pipelines', apiError(503, 'unavailable', 'HubSpot is down')),
    );
    const page = renderSettings();
    await page.waitForText(
      'The portal’s ticket pipelines could not be loaded; the saved choice is kept.',
    );
    expect(page.find(MultiSelect, { name: 'complaintPipelines' }).props.options).toEqual([
      { label: 'Pipeline 9 (no longer in the portal)', value: '9' },
    ]);
  });

  it('a backend without the complaint settings shows no such section and asks for no pipelines', async () => {
    const older: Settings = { ...SETTINGS };
    delete older.complaintPipelines;
    delete older.complaintSlaDays;
    const { calls } = mockBackend(
      on('GET', '/api/v1/settings', { status: 200, body: { settings: older } }),
    );
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    expect(page.maybeFind(MultiSelect, { name: 'complaintPipelines' })).toBeNull();
    expect(calls.map((c) => c.path)).not.toContain('/api/v1/ticket-pipelines');
  });
});

const GROUPS: PortfolioGroups = {
  count: 31,
  multiMember: 3,
  tierCounts: { strategic: 2, key: 4, standard: 10, transactional: 15 },
  top20Share: 0.71,
  top: [
    { id: '900', name: 'Nordic Steel Group', tier: 'strategic', size: 14, revenueTtm: 2_040_000 },
    { id: '901', name: null, tier: 'key', size: 2, revenueTtm: 410_000 },
  ],
};
const portfolio = (groups?: PortfolioGroups): Portfolio => ({
  ...fixtures.portfolio,
  movements: [],
  recompute: IDLE,
  ...(groups === undefined ? {} : { groups }),
});

describe('home page: the Pareto over groups (§11)', () => {
  it.each([
    [
      'en-us',
      [
        'Groups',
        'Revenue held by the top 20% of groups',
        '71%',
        '31 groups, 3 with more than one company',
      ],
      ['Nordic Steel Group', 'Strategic', '14', '2M'],
      ['Group 901', 'Key', '2', '410k'],
    ],
    [
      'zh-cn',
      ['集团', '前 20% 集团的收入占比', '31 个集团，其中 3 个包含多家公司'],
      ['Nordic Steel Group', '战略', '14', '2M'],
      ['集团 901', '重点', '2', '410k'],
    ],
  ])('%s: the groups with tier, members and revenue', async (locale, texts, first, second) => {
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: portfolio(GROUPS) }));
    const page = renderCard(PortfolioPage, { location: 'pages', locale });
    await page.waitForText(texts[0] ?? '');
    for (const text of texts) expect(page.screen()).toContain(text);
    const rows = page
      .findByTestId(Table, 'portfolio-groups-table')
      .findAll(TableRow)
      .slice(1)
      .map((row) => row.toString());
    for (const text of first) expect(rows[0]).toContain(text);
    for (const text of second) expect(rows[1]).toContain(text);
  });

  it('one group agrees in number; a portal without parent companies says so', async () => {
    mockBackend(
      on('GET', '/api/v1/portfolio', {
        status: 200,
        body: portfolio({ ...GROUPS, count: 1, multiMember: 0, top: [] }),
      }),
    );
    const page = renderCard(PortfolioPage, { location: 'pages' });
    await page.waitForText('1 group, 0 with more than one company');
    expect(page.screen()).toContain('No company has a parent company');
    expect(page.maybeFind(Table, { testId: 'portfolio-groups-table' })).toBeNull();
  });

  it('an older backend without groups shows no groups view', async () => {
    mockBackend(on('GET', '/api/v1/portfolio', { status: 200, body: portfolio() }));
    const page = renderCard(PortfolioPage, { location: 'pages' });
    await page.waitForText('Key-account portfolio');
    expect(page.screen()).not.toContain('Revenue held by the top 20% of groups');
  });
});
