import { readFileSync } from 'node:fs';
import { vi } from 'vitest';
import {
  createElement,
  createRenderer,
  hubspot,
  type FunctionComponent,
  type RenderedElementNode,
} from '../../../extension/app/cards/testing.ts';
import type {
  CompanyScore,
  NextAction,
  Portfolio,
  RecomputeStatus,
  Scorecard,
} from '../../../extension/app/cards/lib/types.ts';

/** The backend origin the local profile gives the cards (the same value HubSpot would substitute). */
export const ORIGIN = readProfileOrigin('local');

export function readProfileOrigin(profile: string): string {
  const raw = readFileSync(
    new URL(`../../../extension/hsprofile.${profile}.json`, import.meta.url),
    'utf8',
  );
  const parsed = JSON.parse(raw) as { variables: Record<string, string> };
  const origin = parsed.variables.KAM_API_ORIGIN;
  if (origin === undefined) throw new Error(`hsprofile.${profile}.json has no KAM_API_ORIGIN`);
  return origin;
}

interface Fixtures {
  companies: Record<
    'strategic' | 'newWithStaleSurvey' | 'belowExpectations' | 'complaint' | 'noActions',
    CompanyScore
  >;
  /** The sample portal's summary; the Pareto curve computed from the same companies. */
  portfolio: Omit<Portfolio, 'movements' | 'recompute'>;
}

/** Real CompanyScore objects, trimmed from `kam score` on the bundled sample portal. */
export const fixtures = JSON.parse(
  readFileSync(new URL('../fixtures/company-scores.json', import.meta.url), 'utf8'),
) as Fixtures;

/** A10 on company 1003 (kam-model.md v2 §7): map the buying centre, the action that asks for an e-mail. */
export const MAP_BUYING_CENTRE: NextAction = {
  ruleId: 'A10',
  key: 'A10-1003',
  title: 'Map the buying centre',
  reason: 'W2: single-threaded',
  evidence: {},
  priority: 2,
  dueDays: 21,
  due: '2026-11-22',
};

export const IDLE: RecomputeStatus = {
  state: 'idle',
  progress: { pagesRead: 1, companiesScored: 40, companiesWritten: 40, companiesTotal: 40 },
  startedAt: '2026-11-01T00:00:00.000Z',
  finishedAt: '2026-11-01T00:00:05.000Z',
};

export function scorecardFor(
  company: CompanyScore | null,
  overrides: Partial<Scorecard> = {},
): Scorecard {
  return {
    portalId: 123,
    companyId: company?.id ?? '123',
    scoredAt: '2026-11-01T00:00:05.000Z',
    company,
    history: [
      { at: '2026-09-01T00:00:00.000Z', score: 71.2 },
      { at: '2026-10-01T00:00:00.000Z', score: company?.score ?? 0 },
    ],
    pinnedBy: null,
    manual: {
      strengths: [],
      weaknesses: [],
      opportunities: [],
      threats: [],
      competitors: [],
      accountPlan: null,
      tierOverride: null,
    },
    tasks: {},
    tasksEnabled: true,
    recompute: IDLE,
    writeFailure: null,
    ownerNames: {},
    ...overrides,
  };
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}

export interface Call {
  method: string;
  url: string;
  path: string;
  body: unknown;
}

type Reply = { status: number; body?: unknown } | 'network-error' | 'never';
type Route = (call: Call) => Reply | undefined;

/**
 * Replaces `hubspot.fetch` with a scripted backend: each request goes to the
 * first route that answers it; an unrouted request fails the test loudly.
 */
export function mockBackend(...routes: Route[]) {
  const calls: Call[] = [];
  const spy = vi.spyOn(hubspot, 'fetch').mockImplementation(async (input, options) => {
    const url = String(input);
    const call: Call = {
      method: options?.method ?? 'GET',
      url,
      path: pathOf(url),
      body: options?.body,
    };
    calls.push(call);
    for (const route of routes) {
      const reply = route(call);
      if (reply === undefined) continue;
      if (reply === 'network-error') throw new TypeError('Failed to fetch');
      if (reply === 'never') return new Promise<Response>(() => undefined);
      return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'content-type': 'application/json' },
      });
    }
    throw new Error(`unexpected request ${call.method} ${call.url}`);
  });
  return { calls, spy };
}

/** A route answering `METHOD /path` (the path may be a RegExp); `reply` may vary per call. */
export function on(
  method: string,
  path: string | RegExp,
  reply: Reply | ((call: Call) => Reply),
): Route {
  return (call) => {
    if (call.method !== method) return undefined;
    const matches = typeof path === 'string' ? call.path === path : path.test(call.path);
    if (!matches) return undefined;
    return typeof reply === 'function' ? reply(call) : reply;
  };
}

export function apiError(status: number, code: string, message: string, field?: string): Reply {
  return { status, body: { error: { code, message, ...(field ? { field } : {}) } } };
}

type Location = 'crm.record.tab' | 'crm.record.sidebar' | 'settings' | 'pages';

/** Renders a card as HubSpot would: profile variables, the user's locale, company 1003 unless told. */
export function renderCard<L extends Location = 'crm.record.tab'>(
  component: FunctionComponent,
  options: { location?: L; locale?: string; companyId?: number; origin?: string } = {},
) {
  const renderer = createRenderer<L>(options.location ?? ('crm.record.tab' as L));
  const context = renderer.mocks.context;
  context.variables = { KAM_API_ORIGIN: options.origin ?? ORIGIN };
  context.user.locale = options.locale ?? 'en-us';
  if ('crm' in context) context.crm.objectId = options.companyId ?? 1003;
  renderer.render(createElement(component));
  return {
    ...renderer,
    /** Everything on screen: text and the titles, labels and messages HubSpot draws from props. */
    screen: () => renderer.getRootNode().toString(),
    /** Waits until the screen shows the text. */
    waitForText: (text: string, timeoutInMs = 2_000) =>
      renderer.waitFor(
        () => {
          const shown = renderer.getRootNode().toString();
          if (!shown.includes(text)) throw new Error(`"${text}" not on screen:\n${shown}`);
        },
        { timeoutInMs },
      ),
  };
}

/**
 * Fires an event prop with its argument. `trigger`'s declared type asks for
 * the handler itself as the argument (it passes the argument to the handler),
 * hence the cast.
 */
export function fire<P extends object>(
  node: RenderedElementNode<P>,
  event: string,
  value?: unknown,
): void {
  (node.trigger as (name: string, arg?: unknown) => void)(event, value);
}

/**
 * Clicks a button inside an overlay: HubSpot passes `onClick` the event and
 * the reactions that open and close panels; the spies say which were asked for.
 */
export function clickInOverlay<P extends object>(node: RenderedElementNode<P>) {
  const reactions = {
    openPanel: vi.fn(),
    closePanel: vi.fn(),
    openModal: vi.fn(),
    closeModal: vi.fn(),
  };
  // `trigger` passes one argument: call the handler itself with both.
  const onClick = (node.props as { onClick?: (event: unknown, r: typeof reactions) => void })
    .onClick;
  if (onClick === undefined) throw new Error('the node has no onClick');
  onClick({}, reactions);
  return reactions;
}
