import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountGradeCard } from '../../extension/app/cards/account-grade/AccountGradeCard.tsx';
import { paths } from '../../extension/app/cards/lib/api-client.ts';
import { NextActionsCard } from '../../extension/app/cards/next-actions/NextActionsCard.tsx';
import { SatisfactionCard } from '../../extension/app/cards/satisfaction/SatisfactionCard.tsx';
import { PortfolioPage } from '../../extension/app/cards/portfolio/PortfolioPage.tsx';
import { SettingsPage } from '../../extension/app/cards/settings/SettingsPage.tsx';
import { SwotCard } from '../../extension/app/cards/swot/SwotCard.tsx';
import {
  Button,
  DateInput,
  LoadingButton,
  NumberInput,
} from '../../extension/app/cards/testing.ts';
import {
  IDLE,
  clickInOverlay,
  fire,
  fixtures,
  mockBackend,
  on,
  readProfileOrigin,
  renderCard,
  scorecardFor,
  type Call,
} from './support/card-harness.ts';

const APP_DIR = fileURLToPath(new URL('../../extension/app/', import.meta.url));
const strategic = fixtures.companies.strategic;

interface AppMeta {
  config: { permittedUrls: { fetch: string[] } };
}

/** `permittedUrls.fetch` as HubSpot builds it for a profile: `${VAR}` replaced by the profile's value. */
function permittedOrigins(profile: string): string[] {
  const meta = JSON.parse(readFileSync(join(APP_DIR, 'app-hsmeta.json'), 'utf8')) as AppMeta;
  const raw = readFileSync(
    new URL(`../../extension/hsprofile.${profile}.json`, import.meta.url),
    'utf8',
  );
  const variables = (JSON.parse(raw) as { variables: Record<string, string> }).variables;
  return meta.config.permittedUrls.fetch.map((entry) =>
    entry.replace(/\$\{([^}]+)\}/g, (_match, name: string) => {
      const value = variables[name];
      if (value === undefined) throw new Error(`hsprofile.${profile}.json lacks ${name}`);
      return value;
    }),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** A backend that answers every card API route with a plausible body, to drive every flow. */
function wholeBackend() {
  return mockBackend(
    on('GET', /\/scorecard$/, { status: 200, body: scorecardFor(strategic) }),
    on('PUT', /\/(survey|swot)$/, { status: 200, body: scorecardFor(strategic) }),
    on('POST', /\/companies\/\d+\/recompute$/, { status: 200, body: scorecardFor(strategic) }),
    on('GET', '/api/v1/recompute/status', { status: 200, body: IDLE }),
    on('POST', /\/actions\/[^/]+\/task$/, {
      status: 201,
      body: {
        created: true,
        task: {
          id: '1',
          subject: 's',
          status: 'NOT_STARTED',
          dueDate: '2026-11-08',
          ownerId: null,
        },
      },
    }),
    on('GET', '/api/v1/settings', {
      status: 200,
      body: {
        settings: {
          windowDays: 365,
          churnDays: 365,
          tierMethod: 'pareto',
          paretoCutoffs: { strategic: 0.5, key: 0.8, standard: 0.95 },
          thresholds: { strategic: 500000, key: 200000, standard: 50000 },
          attractivenessWeights: {
            size: 30,
            growth: 20,
            potential: 20,
            profitability: 15,
            scale: 15,
          },
          strengthWeights: {
            win: 20,
            tenure: 15,
            repeat: 15,
            breadth: 15,
            satisfaction: 20,
            recency: 15,
          },
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
          reviewTitlePattern: 'review|QBR',
          profileRequiredFields: {
            strategic: ['name'],
            key: ['name'],
            standard: ['name'],
            transactional: ['name'],
            unrated: ['name'],
          },
        },
      },
    }),
    on('GET', '/api/v1/owners', { status: 200, body: { owners: [] } }),
    on('POST', '/api/v1/settings/preview', { status: 200, body: { tierCounts: {}, moves: [] } }),
    on('GET', '/api/v1/portfolio', {
      status: 200,
      body: { ...fixtures.portfolio, movements: [], recompute: IDLE },
    }),
    on('POST', '/api/v1/recompute', { status: 202, body: { ...IDLE, state: 'queued' } }),
    on('PUT', '/api/v1/settings', (call) => ({ status: 200, body: call.body })),
    on('DELETE', '/api/v1/installation', { status: 200, body: { removed: true, portalId: 123 } }),
  );
}

/** Drives every request the cards and the settings page can make, and returns them. */
async function everyRequest(origin: string): Promise<Call[]> {
  const { calls } = wholeBackend();

  const grade = renderCard(AccountGradeCard, { origin });
  await grade.waitForText('Strategy: Invest');
  fire(grade.findByTestId(Button, 'recompute'), 'onClick');
  await grade.waitForText('Recompute finished', 5_000);

  const swot = renderCard(SwotCard, { origin });
  await swot.waitForText('Strengths');
  fire(swot.findByTestId(Button, 'swot-edit'), 'onClick');
  clickInOverlay(swot.findByTestId(Button, 'swot-save'));
  await swot.waitForText('SWOT saved');

  const gap = renderCard(SatisfactionCard, { origin });
  await gap.waitForText('Enter a survey');
  fire(gap.find(NumberInput, { name: 'empathy.expected' }), 'onChange', 5);
  fire(gap.find(DateInput), 'onChange', { year: 2026, month: 10, date: 1 });
  clickInOverlay(gap.findByTestId(Button, 'survey-submit'));
  await gap.waitForText('Survey saved');

  const actions = renderCard(NextActionsCard, { origin, location: 'crm.record.sidebar' });
  await actions.waitForText('Schedule an account visit');
  fire(actions.findByTestId(Button, 'create-task-A1-1003'), 'onClick');
  await actions.waitForText('Task created');

  const settings = renderCard(SettingsPage, { origin, location: 'settings' });
  await settings.waitForText('Sum: 100 of 100');
  fire(settings.findByTestId(Button, 'settings-preview'), 'onClick');
  await settings.waitForText('No company would change tier.');
  fire(settings.findByTestId(Button, 'settings-save'), 'onClick');
  await settings.waitForText('Recompute finished', 5_000);
  fire(settings.findByTestId(Button, 'remove-data-start'), 'onClick');
  fire(settings.findByTestId(LoadingButton, 'remove-data-confirm'), 'onClick');
  await settings.waitForText('The app’s data for this portal was removed');

  const home = renderCard(PortfolioPage, { origin, location: 'pages' });
  await home.waitForText('Key-account portfolio');
  fire(home.findByTestId(Button, 'recompute-all'), 'onClick');
  await home.waitForText('Recompute finished', 5_000);
  return calls;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('permitted URLs', () => {
  it('has exactly one hubspot.fetch call site, the api client, and no other fetch', () => {
    const callers = sourceFiles(APP_DIR)
      .filter((file) => /\bfetch\s*\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(APP_DIR, file));
    expect(callers).toEqual(['cards/lib/api-client.ts']);
  });

  it.each(['local', 'production'])(
    'only calls origins that app-hsmeta.json permits under the %s profile',
    async (profile) => {
      const origin = readProfileOrigin(profile);
      const permitted = permittedOrigins(profile);
      expect(permitted).toEqual([origin]);
      const calls = await everyRequest(origin);
      const routes = new Set(
        calls.map(
          (c) =>
            `${c.method} ${c.path
              .replace(/\/companies\/\d+/, '/companies/:id')
              .replace(/\/actions\/[^/]+/, '/actions/:key')}`,
        ),
      );
      // Every route of the card API the extension uses was exercised.
      expect([...routes].sort()).toEqual(
        [
          'GET /api/v1/companies/:id/scorecard',
          'POST /api/v1/companies/:id/recompute',
          'GET /api/v1/recompute/status',
          'PUT /api/v1/companies/:id/swot',
          'PUT /api/v1/companies/:id/survey',
          'POST /api/v1/companies/:id/actions/:key/task',
          'GET /api/v1/settings',
          'GET /api/v1/owners',
          'POST /api/v1/settings/preview',
          'PUT /api/v1/settings',
          'DELETE /api/v1/installation',
          'GET /api/v1/portfolio',
          'POST /api/v1/recompute',
        ].sort(),
      );
      for (const call of calls) {
        const url = new URL(call.url);
        expect(url.protocol).toBe('https:');
        expect(permitted).toContain(url.origin);
      }
    },
  );

  it('builds every card API path under /api/v1 with the ids escaped', () => {
    const built = [
      paths.scorecard('1003'),
      paths.survey('1003'),
      paths.swot('1003'),
      paths.recomputeCompany('1003'),
      paths.task('1003', 'A3-responsiveness-1003'),
      paths.recomputeStatus(),
      paths.settings(),
      paths.settingsPreview(),
      paths.portfolio(),
      paths.recomputeAll(),
      paths.installation(),
      paths.owners(),
      paths.task('1003', 'a/b'),
    ];
    for (const path of built) expect(path).toMatch(/^\/api\/v1\//);
    expect(paths.task('1003', 'a/b')).toBe('/api/v1/companies/1003/actions/a%2Fb/task');
  });
});
