import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { vi } from 'vitest';
import { AccountGradeCard } from '../../extension/app/cards/account-grade/AccountGradeCard.tsx';
import type { Scorecard } from '../../extension/app/cards/lib/types.ts';
import { NextActionsCard } from '../../extension/app/cards/next-actions/NextActionsCard.tsx';
import { PortfolioPage } from '../../extension/app/cards/portfolio/PortfolioPage.tsx';
import { RelationshipCard } from '../../extension/app/cards/relationship/RelationshipCard.tsx';
import { SatisfactionCard } from '../../extension/app/cards/satisfaction/SatisfactionCard.tsx';
import { SettingsPage } from '../../extension/app/cards/settings/SettingsPage.tsx';
import { SwotCard } from '../../extension/app/cards/swot/SwotCard.tsx';
import { LoadingSpinner, type FunctionComponent } from '../../extension/app/cards/testing.ts';
import {
  IDLE,
  apiError,
  mockBackend,
  on,
  renderCard,
  scorecardFor,
} from '../extension/support/card-harness.ts';
import { pageHtml } from './component-html.ts';
import { AS_OF, DEFAULT_SETTINGS, galleryData, type AccountState } from './gallery-states.ts';

/** Debian's Chromium; `.ci/ensure-deps.mjs` installs it (with fonts-noto-cjk) where it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Location = 'crm.record.tab' | 'crm.record.sidebar' | 'settings' | 'pages';

/** Widths HubSpot gives each location on a 1440 px screen (the middle column's tab, the right sidebar, a full page). */
export const WIDTHS: Record<Location, number> = {
  'crm.record.tab': 880,
  'crm.record.sidebar': 360,
  settings: 1200,
  pages: 1200,
};

/**
 * What a rep sees without scrolling, per location: a tab card within one
 * laptop screen of the record's middle column (1,300 px), a sidebar card
 * within a sidebar section (1,000 px). Full pages scroll, like HubSpot's own.
 */
export const HEIGHT_BUDGETS: Partial<Record<Location, number>> = {
  'crm.record.tab': 1300,
  'crm.record.sidebar': 1000,
};

export type StateName =
  'loading' | 'not-scored' | AccountState | 'needs-reauth' | 'unavailable' | 'ready';

export interface Shot {
  name: string;
  component: string;
  location: Location;
  locale: 'en' | 'zh';
  state: StateName;
  height: number;
  /** What a person reads on the screenshot (the page's innerText). */
  visibleText: string;
  /** Elements whose content is wider or taller than their box. */
  overflowing: string[];
  file: string;
}

interface CardSpec {
  name: string;
  component: FunctionComponent;
  location: Location;
  states: StateName[];
}

const ACCOUNT_STATES: StateName[] = ['strategic', 'atRisk', 'prospect', 'lapsed', 'grouped'];
const ERROR_STATES: StateName[] = ['needs-reauth', 'unavailable'];

const CARDS: CardSpec[] = [
  {
    name: 'account-grade',
    component: AccountGradeCard,
    location: 'crm.record.tab',
    states: ['loading', 'not-scored', ...ACCOUNT_STATES, ...ERROR_STATES],
  },
  {
    name: 'swot',
    component: SwotCard,
    location: 'crm.record.tab',
    states: ['loading', 'not-scored', ...ACCOUNT_STATES, ...ERROR_STATES],
  },
  {
    name: 'satisfaction',
    component: SatisfactionCard,
    location: 'crm.record.tab',
    states: ['loading', 'not-scored', ...ACCOUNT_STATES, ...ERROR_STATES],
  },
  {
    name: 'relationship',
    component: RelationshipCard,
    location: 'crm.record.tab',
    states: ['loading', 'not-scored', ...ACCOUNT_STATES, ...ERROR_STATES],
  },
  {
    name: 'next-actions',
    component: NextActionsCard,
    location: 'crm.record.sidebar',
    states: ['loading', 'not-scored', ...ACCOUNT_STATES, ...ERROR_STATES],
  },
  {
    name: 'settings',
    component: SettingsPage,
    location: 'settings',
    states: ['loading', 'ready', ...ERROR_STATES],
  },
  {
    name: 'home',
    component: PortfolioPage,
    location: 'pages',
    states: ['loading', 'ready', 'not-scored', ...ERROR_STATES],
  },
];

const COMPANY_ID = 1003;

interface Measured {
  height: number;
  text: string;
  overflowing: string[];
}

/**
 * Runs in the page (as a string: the repository's TypeScript has no DOM
 * types): the card's height, its visible text, and every element whose
 * content is wider than its box (text that would spill out of it).
 */
const MEASURE = `(() => {
  const frame = document.getElementById('card');
  const overflowing = [];
  for (const el of frame.querySelectorAll('*')) {
    if (el.closest('svg')) continue;
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      overflowing.push(el.tagName.toLowerCase() + ': ' + (el.innerText || '').slice(0, 60));
    }
  }
  return { height: frame.getBoundingClientRect().height, text: frame.innerText, overflowing };
})()`;

function backendFor(spec: CardSpec, state: StateName, data: ReturnType<typeof galleryData>) {
  const everything = /.*/;
  if (state === 'loading') return mockBackend(on('GET', everything, 'never'));
  if (state === 'needs-reauth') {
    return mockBackend(
      on('GET', everything, apiError(409, 'needs_reauth', 'refresh token revoked')),
    );
  }
  if (state === 'unavailable') {
    return mockBackend(on('GET', everything, apiError(503, 'unavailable', 'Redis is down')));
  }
  if (spec.name === 'settings') {
    return mockBackend(
      on('GET', '/api/v1/settings', {
        status: 200,
        body: { settings: DEFAULT_SETTINGS, recompute: IDLE },
      }),
      on('GET', '/api/v1/owners', { status: 200, body: { owners: data.owners } }),
      on('GET', '/api/v1/ticket-pipelines', {
        status: 200,
        body: { pipelines: [{ id: '0', label: 'Support Pipeline' }] },
      }),
    );
  }
  if (spec.name === 'home') {
    return mockBackend(
      on(
        'GET',
        '/api/v1/portfolio',
        state === 'not-scored'
          ? apiError(404, 'not_found', 'this portal has not been scored yet')
          : { status: 200, body: { ...data.portfolio, recompute: IDLE } },
      ),
    );
  }
  const company = state === 'not-scored' ? null : data.accounts[state as AccountState];
  const scorecard: Scorecard = scorecardFor(company, {
    scoredAt: AS_OF,
    ownerNames: data.ownerNames,
    // Two history points: the change since the last one shows on the grade card.
    history:
      company?.score == null
        ? []
        : [
            { at: '2026-08-01T02:00:00.000Z', score: Math.max(0, company.score - 6.4) },
            { at: '2026-10-01T02:00:00.000Z', score: company.score },
          ],
  });
  return mockBackend(
    on('GET', `/api/v1/companies/${COMPANY_ID}/scorecard`, { status: 200, body: scorecard }),
  );
}

/**
 * Renders every card and page in every state and language through HubSpot's
 * `createRenderer`, lays each tree out as HTML and screenshots it in headless
 * Chromium into `outDir`; answers what each screenshot shows.
 */
export async function renderGallery(outDir: string): Promise<Shot[]> {
  mkdirSync(outDir, { recursive: true });
  const data = galleryData();
  const profile = mkdtempSync(join(tmpdir(), 'kam-gallery-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    deviceScaleFactor: 1,
  });
  const shots: Shot[] = [];
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    for (const spec of CARDS) {
      for (const locale of ['en', 'zh'] as const) {
        for (const state of spec.states) {
          backendFor(spec, state, data);
          const card = renderCard(spec.component, {
            location: spec.location,
            locale: locale === 'zh' ? 'zh-cn' : 'en-us',
            companyId: COMPANY_ID,
          });
          if (state !== 'loading') {
            await card.waitFor(() => {
              if (card.maybeFind(LoadingSpinner)) throw new Error('still loading');
            });
          }
          const name = `${spec.name}-${state}-${locale}`;
          const width = WIDTHS[spec.location];
          await page.setViewportSize({ width: width + 32, height: 800 });
          await page.setContent(
            pageHtml(card.getRootNode(), `${spec.name} · ${state} · ${locale}`, width),
            {
              waitUntil: 'load',
            },
          );
          await page.evaluate('document.fonts.ready');
          const measured = await page.evaluate<Measured>(MEASURE);
          const file = join(outDir, `${name}.png`);
          await (await page.$('#card'))?.screenshot({ path: file });
          shots.push({
            name,
            component: spec.name,
            location: spec.location,
            locale,
            state,
            height: Math.round(measured.height),
            visibleText: measured.text,
            overflowing: measured.overflowing,
            file,
          });
          vi.restoreAllMocks();
        }
      }
    }
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
  writeFileSync(
    join(outDir, 'gallery.json'),
    JSON.stringify(
      shots.map(({ visibleText: _text, ...shot }) => shot),
      null,
      2,
    ),
  );
  return shots;
}
