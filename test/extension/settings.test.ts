import { afterEach, describe, expect, it, vi } from 'vitest';
import { SettingsPage } from '../../extension/app/cards/settings/SettingsPage.tsx';
import {
  Alert,
  Button,
  Checkbox,
  Input,
  MultiSelect,
  LoadingButton,
  LoadingSpinner,
  NumberInput,
  ProgressBar,
  Select,
  Text,
  Tile,
  Toggle,
} from '../../extension/app/cards/testing.ts';
import { PROFILE_FIELDS, type Settings } from '../../extension/app/cards/lib/types.ts';
import { IDLE, apiError, fire, mockBackend, on, renderCard } from './support/card-harness.ts';

/** kam-model.md v2 §14: a strategic or key account's profile needs every field. */
const KEY_ACCOUNT_FIELDS = PROFILE_FIELDS;

/** The model's defaults, as `kam score --format json` prints them. */
const DEFAULTS: Settings = {
  windowDays: 365,
  churnDays: 365,
  tierMethod: 'pareto',
  paretoCutoffs: { strategic: 0.5, key: 0.8, standard: 0.95 },
  thresholds: { strategic: 500000, key: 200000, standard: 50000 },
  attractivenessWeights: { size: 30, growth: 20, potential: 20, profitability: 15, scale: 15 },
  strengthWeights: { win: 20, tenure: 15, repeat: 15, breadth: 15, satisfaction: 20, recency: 15 },
  scoreWeights: { attractiveness: 50, strength: 50 },
  loyaltyWeights: { repeat: 30, trend: 20, rivals: 20, selection: 10, attitude: 20 },
  loyaltyThreshold: 60,
  visitCadenceDays: { strategic: 30, key: 60, standard: 90, transactional: 180 },
  servqualWeights: {
    tangibles: 20,
    reliability: 20,
    responsiveness: 20,
    assurance: 20,
    empathy: 20,
  },
  profitProperty: null,
  productLineProperty: 'pipeline',
  tasksEnabled: true,
  executiveUserIds: [],
  reviewTitlePattern: 'review|QBR|业务回顾|经营分析',
  profileRequiredFields: {
    strategic: [...KEY_ACCOUNT_FIELDS],
    key: [...KEY_ACCOUNT_FIELDS],
    standard: ['name', 'industry', 'owner'],
    transactional: ['name', 'industry', 'owner'],
    unrated: ['name', 'industry', 'owner'],
  },
};

afterEach(() => {
  vi.restoreAllMocks();
});

function renderSettings(locale = 'en-us') {
  return renderCard(SettingsPage, { location: 'settings', locale });
}

const loaded = on('GET', '/api/v1/settings', { status: 200, body: { settings: DEFAULTS } });

const ownersListed = on('GET', '/api/v1/owners', {
  status: 200,
  body: {
    owners: [
      { id: '71000001', name: 'Mei Chen', email: 'mei@example.com' },
      { id: '71000002', name: 'Lars Berg', email: null },
    ],
  },
});

describe('Settings page', () => {
  it('shows a spinner while loading', () => {
    mockBackend(on('GET', '/api/v1/settings', 'never'));
    const page = renderSettings();
    expect(page.find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('shows the weight sums live and blocks preview and save while a group is not 100', async () => {
    mockBackend(loaded);
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    expect(page.findByTestId(Text, 'weights-sum-strengthWeights').text).toBe('Sum: 100 of 100');
    fire(page.find(NumberInput, { name: 'strengthWeights.win' }), 'onChange', 35);
    expect(page.findByTestId(Text, 'weights-sum-strengthWeights').text).toBe(
      'Weights must sum to 100; they sum to 115.',
    );
    expect(page.findByTestId(Button, 'settings-preview').props.disabled).toBe(true);
    expect(page.findByTestId(Button, 'settings-save').props.disabled).toBe(true);
    expect(page.screen()).toContain('Fix the highlighted fields first.');
    fire(page.find(NumberInput, { name: 'strengthWeights.satisfaction' }), 'onChange', 5);
    expect(page.findByTestId(Text, 'weights-sum-strengthWeights').text).toBe('Sum: 100 of 100');
    expect(page.findByTestId(Button, 'settings-preview').props.disabled).toBe(false);
  });

  it("edits model v2's loyalty weights like the others: the seed's five measures, summing to 100", async () => {
    mockBackend(loaded);
    const page = renderSettings();
    await page.waitForText('Loyalty weights');
    for (const factor of ['repeat', 'trend', 'rivals', 'selection', 'attitude']) {
      expect(page.find(NumberInput, { name: `loyaltyWeights.${factor}` }).props.label).toBeTruthy();
    }
    expect(page.find(NumberInput, { name: 'loyaltyWeights.rivals' }).props.label).toBe(
      'Losses to rivals',
    );
    fire(page.find(NumberInput, { name: 'loyaltyWeights.selection' }), 'onChange', 20);
    expect(page.findByTestId(Text, 'weights-sum-loyaltyWeights').text).toBe(
      'Weights must sum to 100; they sum to 110.',
    );
    expect(page.findByTestId(Button, 'settings-save').props.disabled).toBe(true);
  });

  it('puts range and order errors on their fields', async () => {
    mockBackend(loaded);
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    fire(page.find(NumberInput, { name: 'windowDays' }), 'onChange', 0);
    fire(page.find(NumberInput, { name: 'paretoCutoffs.key' }), 'onChange', 0.4);
    expect(page.find(NumberInput, { name: 'windowDays' }).props.validationMessage).toBe(
      'Enter a whole number of at least 1.',
    );
    expect(page.screen()).toContain('Cut-offs must increase: strategic < key < standard < 1.');
  });

  it('checks the revenue thresholds when that method is chosen', async () => {
    mockBackend(loaded);
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    fire(page.find(Select, { name: 'tierMethod' }), 'onChange', 'thresholds');
    fire(page.find(NumberInput, { name: 'thresholds.standard' }), 'onChange', -5);
    fire(page.find(NumberInput, { name: 'thresholds.key' }), 'onChange', 600000);
    expect(page.find(NumberInput, { name: 'thresholds.standard' }).props.validationMessage).toBe(
      'Enter an amount of 0 or more.',
    );
    expect(page.screen()).toContain('Thresholds must decrease: strategic > key > standard.');
    expect(page.maybeFind(NumberInput, { name: 'paretoCutoffs.key' })).toBeNull();
  });

  it('previews tier counts and the companies that would move before saving', async () => {
    const { calls } = mockBackend(
      loaded,
      on('POST', '/api/v1/settings/preview', {
        status: 200,
        body: {
          tierCounts: { strategic: 3, key: 6, standard: 9, transactional: 11, unrated: 11 },
          moves: [{ companyId: '1010', name: 'Juniper Retail 11', from: 'key', to: 'strategic' }],
        },
      }),
    );
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    fire(page.find(NumberInput, { name: 'paretoCutoffs.strategic' }), 'onChange', 0.6);
    fire(page.findByTestId(Button, 'settings-preview'), 'onClick');
    await page.waitForText('1 companies would change tier');
    const preview = page.findByTestId(Tile, 'settings-preview-result').toString();
    expect(preview).toContain('Strategic: 3');
    expect(preview).toContain('Unrated: 11');
    expect(preview).toContain('Juniper Retail 11: Key → Strategic');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      settings: { ...DEFAULTS, paretoCutoffs: { strategic: 0.6, key: 0.8, standard: 0.95 } },
    });
  });

  it("shows the backend's note on a preview", async () => {
    mockBackend(
      loaded,
      on('POST', '/api/v1/settings/preview', {
        status: 200,
        body: {
          tierCounts: {},
          moves: [],
          note: 'No recompute has finished yet: there is nothing to compare with.',
        },
      }),
    );
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    fire(page.findByTestId(Button, 'settings-preview'), 'onClick');
    await page.waitForText('No recompute has finished yet: there is nothing to compare with.');
  });

  it('saves, then follows the full recompute to its end', async () => {
    let polls = 0;
    const saved = { ...DEFAULTS, tasksEnabled: false };
    const { calls } = mockBackend(
      loaded,
      on('PUT', '/api/v1/settings', {
        status: 200,
        body: { settings: saved, recompute: { ...IDLE, state: 'queued', finishedAt: null } },
      }),
      on('GET', '/api/v1/recompute/status', () =>
        ++polls === 1
          ? {
              status: 200,
              body: {
                ...IDLE,
                state: 'running',
                progress: {
                  pagesRead: 2,
                  companiesScored: 40,
                  companiesWritten: 10,
                  companiesTotal: 40,
                },
              },
            }
          : { status: 200, body: IDLE },
      ),
    );
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    fire(page.find(Button, { testId: 'settings-save' }), 'onClick');
    await page.waitFor(() =>
      expect(page.find(ProgressBar).props.title).toBe('Recomputing: 10 of 40 companies written'),
    );
    expect(page.find(ProgressBar).props.value).toBe(25);
    await page.waitForText('Recompute finished', 5_000);
    expect(page.screen()).toContain('Settings saved.');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ settings: DEFAULTS });
  });

  it('shows the backend’s refusal of a save', async () => {
    mockBackend(
      loaded,
      on(
        'PUT',
        '/api/v1/settings',
        apiError(
          400,
          'validation_failed',
          'strengthWeights: weights must sum to 100',
          'strengthWeights',
        ),
      ),
    );
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    fire(page.findByTestId(Button, 'settings-save'), 'onClick');
    await page.waitForText('strengthWeights: weights must sum to 100');
  });

  it('shows a user who is not a super admin the settings, read-only, with nothing to press', async () => {
    const { calls } = mockBackend(
      on('GET', '/api/v1/settings', { status: 200, body: { settings: DEFAULTS, canEdit: false } }),
      ownersListed,
    );
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    expect(page.screen()).toContain(
      'Only a super admin of this HubSpot account can change these settings.',
    );
    expect(page.find(NumberInput, { name: 'windowDays' }).props.readOnly).toBe(true);
    expect(page.find(Select, { name: 'tierMethod' }).props.readOnly).toBe(true);
    expect(page.find(Toggle, { name: 'tasksEnabled' }).props.readOnly).toBe(true);
    expect(page.maybeFind(Button, { testId: 'settings-save' })).toBeNull();
    expect(page.maybeFind(Button, { testId: 'settings-preview' })).toBeNull();
    expect(page.maybeFind(Button, { testId: 'remove-data-start' })).toBeNull();
    expect(page.find(MultiSelect, { name: 'executiveUserIds' }).props.readOnly).toBe(true);
    expect(page.find(Input, { name: 'reviewTitlePattern' }).props.readOnly).toBe(true);
    expect(
      page.findAll(Checkbox).every((box) => (box.props as { readOnly?: boolean }).readOnly),
    ).toBe(true);
    // Read only: it reads the settings and the owners' names, and writes nothing.
    await page.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls.map((call) => `${call.method} ${call.path}`).sort()).toEqual([
      'GET /api/v1/owners',
      'GET /api/v1/settings',
    ]);
  });

  it('lets a super admin edit', async () => {
    mockBackend(
      on('GET', '/api/v1/settings', { status: 200, body: { settings: DEFAULTS, canEdit: true } }),
    );
    const page = renderSettings();
    await page.waitForText('Sum: 100 of 100');
    expect(page.screen()).not.toContain('Only a super admin');
    expect(page.find(NumberInput, { name: 'windowDays' }).props.readOnly).toBe(false);
    expect(page.findByTestId(Button, 'settings-save').props.disabled).toBe(false);
  });

  it.each([
    ['unreachable', 'network-error' as const, 'The KAM service cannot be reached'],
    [
      'needs re-authorisation',
      apiError(409, 'needs_reauth', 'reinstall'),
      'KAM needs to be reconnected',
    ],
  ])('shows the error state when the backend is %s', async (_name, reply, title) => {
    mockBackend(on('GET', '/api/v1/settings', reply));
    const page = renderSettings();
    await page.waitForText(title);
  });

  describe('removing the app’s data', () => {
    const removed = on('DELETE', '/api/v1/installation', {
      status: 200,
      body: { removed: true, portalId: 123 },
    });

    async function openConfirmation() {
      const page = renderSettings();
      await page.waitForText('Sum: 100 of 100');
      fire(page.findByTestId(Button, 'remove-data-start'), 'onClick');
      return page;
    }

    it('explains at the foot of the page what removal does and keeps, before anything is sent', async () => {
      const { calls } = mockBackend(loaded, removed);
      const page = renderSettings();
      await page.waitForText('Remove the app’s data');
      const section = page.findByTestId(Tile, 'remove-data-section').toString();
      expect(section).toContain('access to this portal is revoked');
      expect(section).toContain('The nightly recompute stops.');
      expect(section).toContain('the scores, these settings, the tier pins and the links');
      expect(section).toContain('(kam_*) and the tasks it created stay in HubSpot');
      expect(section).toContain('Settings › Integrations › Connected apps');
      expect(page.maybeFind(LoadingButton, { testId: 'remove-data-confirm' })).toBeNull();
      expect(calls.map((c) => c.method)).toEqual(['GET']);
    });

    it('asks for confirmation, then sends one DELETE and replaces the page with what happened', async () => {
      const { calls } = mockBackend(loaded, removed);
      const page = await openConfirmation();
      expect(page.screen()).toContain('Remove all of KAM’s data for this portal?');
      expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(0);
      const confirm = page.findByTestId(LoadingButton, 'remove-data-confirm');
      fire(confirm, 'onClick');
      fire(confirm, 'onClick');
      await page.waitForText('The app’s data for this portal was removed');
      const deletes = calls.filter((c) => c.method === 'DELETE');
      expect(deletes).toHaveLength(1);
      expect(deletes[0]?.path).toBe('/api/v1/installation');
      expect(page.find(Alert, { variant: 'success' }).props.title).toBe(
        'The app’s data for this portal was removed',
      );
      expect(page.screen()).toContain('Settings › Integrations › Connected apps');
      // Nothing is left to edit or send.
      expect(page.maybeFind(NumberInput)).toBeNull();
      expect(page.maybeFind(Button, { testId: 'settings-save' })).toBeNull();
      expect(page.maybeFind(Button, { testId: 'remove-data-start' })).toBeNull();
    });

    it('shows a spinner on the confirm button and blocks the page’s other requests while removing', async () => {
      mockBackend(loaded, on('DELETE', '/api/v1/installation', 'never'));
      const page = await openConfirmation();
      fire(page.findByTestId(LoadingButton, 'remove-data-confirm'), 'onClick');
      await page.waitFor(() =>
        expect(page.findByTestId(LoadingButton, 'remove-data-confirm').props.loading).toBe(true),
      );
      expect(page.findByTestId(Button, 'remove-data-cancel').props.disabled).toBe(true);
      expect(page.findByTestId(Button, 'settings-save').props.disabled).toBe(true);
      expect(page.findByTestId(Button, 'settings-preview').props.disabled).toBe(true);
    });

    it('sends nothing when the admin cancels', async () => {
      const { calls } = mockBackend(loaded, removed);
      const page = await openConfirmation();
      fire(page.findByTestId(Button, 'remove-data-cancel'), 'onClick');
      expect(page.maybeFind(LoadingButton, { testId: 'remove-data-confirm' })).toBeNull();
      expect(page.screen()).not.toContain('Remove all of KAM’s data for this portal?');
      expect(page.findByTestId(Button, 'remove-data-start').props.disabled).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Only reads (the settings, the owners for the executives picker): no DELETE.
      expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
      expect(page.find(NumberInput, { name: 'windowDays' }).props.value).toBe(365);
    });

    it('shows the backend’s message when the removal fails, and keeps the settings', async () => {
      const { calls } = mockBackend(
        loaded,
        on(
          'DELETE',
          '/api/v1/installation',
          apiError(503, 'unavailable', 'Redis is unavailable; nothing was removed'),
        ),
      );
      const page = await openConfirmation();
      fire(page.findByTestId(LoadingButton, 'remove-data-confirm'), 'onClick');
      await page.waitForText('Redis is unavailable; nothing was removed');
      expect(page.find(Alert, { variant: 'error' }).props.title).toBe(
        'The KAM service cannot be reached',
      );
      expect(page.screen()).not.toContain('The app’s data for this portal was removed');
      expect(page.find(NumberInput, { name: 'windowDays' }).props.value).toBe(365);
      // The admin may try again, through the confirmation again.
      fire(page.findByTestId(Button, 'remove-data-start'), 'onClick');
      expect(page.findByTestId(LoadingButton, 'remove-data-confirm').props.loading).toBe(false);
      expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
    });

    it('says the app holds nothing for the portal when the backend no longer knows it', async () => {
      mockBackend(
        on(
          'GET',
          '/api/v1/settings',
          apiError(404, 'not_found', 'the app is not installed in this portal'),
        ),
      );
      const page = renderSettings();
      await page.waitForText('KAM has no data for this portal');
      expect(page.screen()).not.toContain('Company not found');
      expect(page.maybeFind(Button, { testId: 'remove-data-start' })).toBeNull();
    });

    it('reads in Chinese for a Chinese-speaking admin', async () => {
      mockBackend(loaded, removed);
      const page = renderSettings('zh-cn');
      await page.waitForText('删除应用数据');
      fire(page.findByTestId(Button, 'remove-data-start'), 'onClick');
      expect(page.screen()).toContain('确定删除 KAM 为此 HubSpot 账户保存的全部数据？');
      fire(page.findByTestId(LoadingButton, 'remove-data-confirm'), 'onClick');
      await page.waitForText('已删除此 HubSpot 账户的应用数据');
      expect(page.screen()).not.toContain('removed');
    });
  });

  // --- #12: executives, review titles, required profile fields (kam-model.md v2 §10, §14) ---
  describe('relationship settings', () => {
    it('picks the executives from the portal’s owners, by name, and saves their owner ids', async () => {
      const { calls } = mockBackend(
        loaded,
        ownersListed,
        on('PUT', '/api/v1/settings', (call) => ({ status: 200, body: call.body })),
      );
      const page = renderSettings();
      await page.waitFor(() =>
        expect(page.find(MultiSelect, { name: 'executiveUserIds' }).props.options).toEqual([
          { label: 'Mei Chen (mei@example.com)', value: '71000001' },
          { label: 'Lars Berg', value: '71000002' },
        ]),
      );
      fire(page.find(MultiSelect, { name: 'executiveUserIds' }), 'onChange', ['71000002']);
      fire(page.findByTestId(Button, 'settings-save'), 'onClick');
      await page.waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
      expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
        settings: { ...DEFAULTS, executiveUserIds: ['71000002'] },
      });
    });

    it('keeps a saved executive the owners list lacks, and says when the owners cannot be loaded', async () => {
      mockBackend(
        on('GET', '/api/v1/settings', {
          status: 200,
          body: { settings: { ...DEFAULTS, executiveUserIds: ['71000077'] } },
        }),
        on('GET', '/api/v1/owners', apiError(503, 'unavailable', 'HubSpot is down')),
      );
      const page = renderSettings();
      await page.waitForText('The portal’s owners could not be loaded.');
      const picker = page.find(MultiSelect, { name: 'executiveUserIds' });
      expect(picker.props.value).toEqual(['71000077']);
      expect(picker.props.options).toEqual([{ label: 'owner 71000077', value: '71000077' }]);
    });

    it('says why the owners list is empty when the app may not read the owners', async () => {
      mockBackend(
        loaded,
        on('GET', '/api/v1/owners', { status: 200, body: { owners: [], ownersScope: false } }),
      );
      const page = renderSettings();
      await page.waitForText('HubSpot does not let the app read this portal’s owners');
      expect(page.find(MultiSelect, { name: 'executiveUserIds' }).props.options).toEqual([]);
    });

    it('shows the backend’s refusal of a review title pattern next to the field', async () => {
      mockBackend(
        loaded,
        ownersListed,
        on(
          'POST',
          '/api/v1/settings/preview',
          apiError(
            400,
            'validation_failed',
            'reviewTitlePattern: the pattern can backtrack catastrophically',
            'settings.reviewTitlePattern',
          ),
        ),
      );
      const page = renderSettings();
      await page.waitForText('Sum: 100 of 100');
      fire(page.find(Input, { name: 'reviewTitlePattern' }), 'onChange', '(a+)+$');
      fire(page.findByTestId(Button, 'settings-preview'), 'onClick');
      await page.waitFor(() =>
        expect(page.find(Input, { name: 'reviewTitlePattern' }).props).toMatchObject({
          error: true,
          validationMessage: 'reviewTitlePattern: the pattern can backtrack catastrophically',
        }),
      );
    });

    it('asks for a review title pattern before saving', async () => {
      mockBackend(loaded, ownersListed);
      const page = renderSettings();
      await page.waitForText('Sum: 100 of 100');
      fire(page.find(Input, { name: 'reviewTitlePattern' }), 'onChange', '  ');
      await page.waitFor(() =>
        expect(page.find(Input, { name: 'reviewTitlePattern' }).props.validationMessage).toBe(
          'Required.',
        ),
      );
      expect(page.findByTestId(Button, 'settings-save').props.disabled).toBe(true);
    });

    it('ticks the required profile fields per tier, and saves them in the profile’s order', async () => {
      const { calls } = mockBackend(
        loaded,
        ownersListed,
        on('PUT', '/api/v1/settings', (call) => ({ status: 200, body: call.body })),
      );
      const page = renderSettings();
      await page.waitForText('Sum: 100 of 100');
      const box = (tier: string, field: string) =>
        page.find(Checkbox, { name: `profileRequiredFields.${tier}.${field}` });
      expect(box('key', 'survey').props.checked).toBe(true);
      expect(box('standard', 'competitors').props.checked).toBe(false);
      fire(box('key', 'survey'), 'onChange', false);
      fire(box('standard', 'competitors'), 'onChange', true);
      await page.waitFor(() => expect(box('standard', 'competitors').props.checked).toBe(true));
      fire(page.findByTestId(Button, 'settings-save'), 'onClick');
      await page.waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
      const sent = (calls.find((c) => c.method === 'PUT')?.body as { settings: typeof DEFAULTS })
        .settings.profileRequiredFields;
      expect(sent?.key).toEqual(KEY_ACCOUNT_FIELDS.filter((field) => field !== 'survey'));
      expect(sent?.standard).toEqual(['name', 'industry', 'owner', 'competitors']);
      expect(sent?.strategic).toEqual([...KEY_ACCOUNT_FIELDS]);
    });

    it('leaves the section out, and asks for no owners, for a backend without these settings', async () => {
      const older: Partial<Settings> = { ...DEFAULTS };
      delete older.executiveUserIds;
      delete older.reviewTitlePattern;
      delete older.profileRequiredFields;
      const { calls } = mockBackend(
        on('GET', '/api/v1/settings', { status: 200, body: { settings: older } }),
      );
      const page = renderSettings();
      await page.waitForText('Sum: 100 of 100');
      expect(page.maybeFind(Tile, { testId: 'settings-relationship' })).toBeNull();
      expect(page.findByTestId(Button, 'settings-save').props.disabled).toBe(false);
      expect(calls.map((call) => call.path)).toEqual(['/api/v1/settings']);
    });

    it('reads in Chinese', async () => {
      mockBackend(loaded, ownersListed);
      const page = renderSettings('zh-cn');
      await page.waitForText('高层人员（其会议计为高层拜访）');
      expect(page.screen()).toContain('业务回顾：会议标题匹配（不区分大小写）');
      expect(page.screen()).toContain('至少 2 家竞争对手');
    });
  });
  // --- end #12 ---
});
