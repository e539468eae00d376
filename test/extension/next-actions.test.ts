import { afterEach, describe, expect, it, vi } from 'vitest';
import { NextActionsCard } from '../../extension/app/cards/next-actions/NextActionsCard.tsx';
import {
  Button,
  CrmActionButton,
  CrmActionLink,
  LoadingSpinner,
  Tile,
} from '../../extension/app/cards/testing.ts';
import type { Scorecard, Task } from '../../extension/app/cards/lib/types.ts';
import { SCORECARD_PROPERTIES } from '../../extension/app/cards/lib/use-scorecard.ts';
import { KAM_PROPERTIES } from '../../server/hubspot/kam-properties.ts';
import {
  MAP_BUYING_CENTRE,
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
const TASK_A1 = '/api/v1/companies/1003/actions/A1-1003/task';
const task: Task = {
  id: '9001',
  subject: 'Schedule an account visit',
  status: 'NOT_STARTED',
  dueDate: '2026-11-08T00:00:00.000Z',
  ownerId: '71000001',
};

afterEach(() => {
  vi.restoreAllMocks();
});

function renderSidebar(companyId = 1003) {
  return renderCard(NextActionsCard, { location: 'crm.record.sidebar', companyId });
}

describe('Next actions card', () => {
  it('shows a spinner while loading', () => {
    mockBackend(on('GET', SCORECARD, 'never'));
    const card = renderSidebar();
    expect(card.find(LoadingSpinner).props.label).toBe('Loading…');
  });

  it('reloads when another card of the record saved (HubSpot reports the kam_ properties changed)', async () => {
    let saved = false;
    const fewer = { ...strategic, actions: strategic.actions.slice(1) };
    mockBackend(
      on('GET', SCORECARD, () => ({ status: 200, body: scorecardFor(saved ? fewer : strategic) })),
    );
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    const subscription = card.mocks.actions.onCrmPropertiesUpdate.calls.at(-1);
    expect(subscription?.[0]).toEqual(SCORECARD_PROPERTIES);
    // Every one of them is a property the app provisions in HubSpot.
    expect(KAM_PROPERTIES.map((p) => p.name)).toEqual(expect.arrayContaining(SCORECARD_PROPERTIES));
    // The satisfaction card saved a survey and refreshed the record's properties.
    saved = true;
    const onChange = subscription?.[1] as (values: Record<string, string>) => void;
    onChange({ kam_score: '64.2' });
    await card.waitFor(() => expect(card.screen()).not.toContain('Schedule an account visit'));
    expect(card.screen()).toContain('Business review meeting');
  });

  it('lists the top three actions in priority order with reason, due date and priority, the rest on request', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }));
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    const keys = strategic.actions.map((a) => `action-${a.key}`);
    expect(keys.length).toBeGreaterThan(3);
    expect(card.findAll(Tile).map((t) => t.props.testId)).toEqual(keys.slice(0, 3));
    const first = card.findAll(Tile)[0]?.toString() ?? '';
    expect(first).toContain('Priority 1');
    // The sentence only: the rule id the model prefixes it with means nothing to a rep.
    expect(first).toContain(
      '"No activity for 197 days; strategic accounts are visited every 30 days"',
    );
    expect(first).not.toContain('W4');
    expect(first).toContain('Due 2026-11-08');
    fire(card.findByTestId(Button, 'actions-show-all'), 'onClick');
    await card.waitFor(() => expect(card.findAll(Tile).map((t) => t.props.testId)).toEqual(keys));
  });

  it("offers HubSpot's own meeting and e-mail tools for visits and surveys", async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }));
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    const visit = card.findByTestId(Tile, 'action-A1-1003');
    expect(visit.find(CrmActionButton).props.actionType).toBe('SCHEDULE_MEETING');
    expect(visit.find(CrmActionButton).props.actionContext).toEqual({
      objectTypeId: '0-2',
      objectId: 1003,
    });
  });

  it('offers an e-mail where A10 asks to map the buying centre, and no meeting there', async () => {
    mockBackend(
      on('GET', SCORECARD, {
        status: 200,
        body: scorecardFor({ ...strategic, actions: [MAP_BUYING_CENTRE] }),
      }),
    );
    const card = renderSidebar();
    await card.waitForText('Map the buying centre');
    const tile = card.findByTestId(Tile, 'action-A10-1003');
    expect(tile.findAll(CrmActionButton).map((b) => b.props.actionType)).toEqual(['SEND_EMAIL']);
  });

  it('creates a task, then offers to open it instead of a second one', async () => {
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('POST', TASK_A1, { status: 201, body: { created: true, task } }),
    );
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    fire(card.findByTestId(Button, 'create-task-A1-1003'), 'onClick');
    await card.waitForText('Task created: Schedule an account visit');
    const tile = card.findByTestId(Tile, 'action-A1-1003');
    expect(tile.toString()).toContain('Not started, due 2026-11-08');
    expect(tile.toString()).not.toContain('NOT_STARTED');
    expect(tile.maybeFind(Button, { testId: 'create-task-A1-1003' })).toBeNull();
    expect(tile.find(CrmActionLink).props).toMatchObject({
      actionType: 'ENGAGEMENT_APP_LINK',
      actionContext: { objectTypeId: '0-2', objectId: 1003, engagementId: '9001' },
    });
    expect(tile.find(CrmActionLink).text).toBe('Open task');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([TASK_A1]);
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      subject: 'Schedule an account visit',
      reason: 'No activity for 197 days; strategic accounts are visited every 30 days',
    });
  });

  it("names the task in the rep's language", async () => {
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('POST', TASK_A1, { status: 201, body: { created: true, task } }),
    );
    const card = renderCard(NextActionsCard, {
      location: 'crm.record.sidebar',
      locale: 'zh-cn',
    });
    await card.waitForText('安排客户拜访');
    fire(card.findByTestId(Button, 'create-task-A1-1003'), 'onClick');
    await card.waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      subject: '安排客户拜访',
      reason: '已 197 天无活动；该等级客户每 30 天拜访一次',
    });
  });

  it('says when the backend answers with a task that already exists', async () => {
    mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('POST', TASK_A1, { status: 200, body: { created: false, task } }),
    );
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    fire(card.findByTestId(Button, 'create-task-A1-1003'), 'onClick');
    await card.waitForText('Open task already exists: Schedule an account visit');
  });

  it('shows a task the scorecard already knows about', async () => {
    mockBackend(
      on('GET', SCORECARD, {
        status: 200,
        body: scorecardFor(strategic, { tasks: { 'A1-1003': task } }),
      }),
    );
    const card = renderSidebar();
    await card.waitForText('Task: Schedule an account visit');
    expect(card.findByTestId(CrmActionLink, 'open-task-A1-1003').text).toBe('Open task');
    expect(card.maybeFind(Button, { testId: 'create-task-A1-1003' })).toBeNull();
  });

  it('offers a new task once the last one is completed', async () => {
    mockBackend(
      on('GET', SCORECARD, {
        status: 200,
        body: scorecardFor(strategic, { tasks: { 'A1-1003': { ...task, status: 'COMPLETED' } } }),
      }),
    );
    const card = renderSidebar();
    await card.waitForText('Completed, due 2026-11-08');
    expect(card.findByTestId(Button, 'create-task-A1-1003').text).toBe('Create task');
  });

  it('reads a scorecard without the optional task fields as "no tasks yet, creation on"', async () => {
    const older: Partial<Scorecard> = scorecardFor(strategic);
    delete older.tasks;
    delete older.tasksEnabled;
    delete older.pinnedBy;
    mockBackend(on('GET', SCORECARD, { status: 200, body: older }));
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    expect(card.findByTestId(Button, 'create-task-A1-1003').text).toBe('Create task');
  });

  it('hides task creation when the admin turned it off', async () => {
    mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic, { tasksEnabled: false }) }),
    );
    const card = renderSidebar();
    await card.waitForText('Task creation is turned off in the app settings.');
    expect(card.screen()).not.toContain('Create task');
  });

  it('says so when nothing is due', async () => {
    mockBackend(
      on('GET', '/api/v1/companies/1024/scorecard', {
        status: 200,
        body: scorecardFor(fixtures.companies.noActions),
      }),
    );
    const card = renderSidebar(1024);
    await card.waitForText('Nothing due');
    expect(card.screen()).toContain('No rule calls for an action on this account right now.');
  });

  it('shows why a task could not be created', async () => {
    mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('POST', TASK_A1, apiError(409, 'needs_reauth', 'reinstall')),
    );
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    fire(card.findByTestId(Button, 'create-task-A1-1003'), 'onClick');
    await card.waitForText('KAM needs to be reconnected');
  });

  it.each([
    ['unreachable', 'network-error' as const, 'The KAM service cannot be reached'],
    [
      'needs re-authorisation',
      apiError(409, 'needs_reauth', 'reinstall'),
      'KAM needs to be reconnected',
    ],
  ])('shows the error state when the backend is %s', async (_name, reply, title) => {
    mockBackend(on('GET', SCORECARD, reply));
    const card = renderSidebar();
    await card.waitForText(title);
  });
});
