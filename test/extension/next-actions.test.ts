import { afterEach, describe, expect, it, vi } from 'vitest';
import { NextActionsCard } from '../../extension/app/cards/next-actions/NextActionsCard.tsx';
import { Button, LoadingSpinner, Tile } from '../../extension/app/cards/testing.ts';
import type { Scorecard, Task } from '../../extension/app/cards/lib/types.ts';
import {
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
    expect(subscription?.[0]).toContain('kam_score');
    // The satisfaction card saved a survey and refreshed the record's properties.
    saved = true;
    const onChange = subscription?.[1] as (values: Record<string, string>) => void;
    onChange({ kam_score: '64.2' });
    await card.waitFor(() => expect(card.screen()).not.toContain('Schedule an account visit'));
    expect(card.screen()).toContain('Business review meeting');
  });

  it('lists the actions in priority order with reason, due date and priority', async () => {
    mockBackend(on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }));
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    const tiles = card.findAll(Tile);
    expect(tiles.map((t) => t.props.testId)).toEqual(
      strategic.actions.map((a) => `action-${a.key}`),
    );
    const first = tiles[0]?.toString() ?? '';
    expect(first).toContain('Priority 1');
    expect(first).toContain(
      'W4: No activity for 197 days; strategic accounts are visited every 30 days',
    );
    expect(first).toContain('Due 2026-11-08');
  });

  it('creates a task once; asking again shows the task that already exists', async () => {
    let asked = 0;
    const { calls } = mockBackend(
      on('GET', SCORECARD, { status: 200, body: scorecardFor(strategic) }),
      on('POST', TASK_A1, () =>
        ++asked === 1
          ? { status: 201, body: { created: true, task } }
          : { status: 200, body: { created: false, task } },
      ),
    );
    const card = renderSidebar();
    await card.waitForText('Schedule an account visit');
    fire(card.findByTestId(Button, 'create-task-A1-1003'), 'onClick');
    await card.waitForText('Task created: Schedule an account visit');
    expect(card.findByTestId(Tile, 'action-A1-1003').toString()).toContain(
      'Task NOT_STARTED, due 2026-11-08',
    );
    fire(card.findByTestId(Button, 'create-task-A1-1003'), 'onClick');
    await card.waitForText('Open task already exists: Schedule an account visit');
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([TASK_A1, TASK_A1]);
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
    expect(card.maybeFind(Button)).toBeNull();
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
