import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyScore, NextAction } from '../../../src/index.ts';
import { dueDateCache, scoreAccount } from '../../../src/index.ts';
import type { TaskRecord } from '../../../server/hubspot/portal-client.ts';
import { createTaskStore } from '../../../server/tasks/task-store.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';

let kam: InstalledBackend;
/** Companies of the snapshot that have at least one action, as their scorecard shows them. */
let withActions: CompanyScore[];

interface TaskAnswer {
  created: boolean;
  task: TaskRecord;
}

beforeAll(async () => {
  kam = await startInstalledBackend();
  const { snapshots } = kam.backend.stores;
  const frame = await snapshots.frame(kam.portalId);
  if (frame === null) throw new Error('no snapshot after the first recompute');
  withActions = [...(await snapshots.accounts(kam.portalId)).accounts.values()]
    .map((account) =>
      scoreAccount(account.fact, account.standing, {
        context: frame.context,
        settings: frame.settings,
        asOfMs: frame.asOfMs,
        dueDate: dueDateCache(frame.asOfMs),
      }),
    )
    .filter((company) => company.actions.length > 0);
}, 60_000);

afterAll(async () => {
  await kam.stop();
});

const taskIds = (): readonly string[] => kam.sandbox.admin.portal(kam.portalId).sortedIds('tasks');

function pick(index: number): { company: CompanyScore; action: NextAction } {
  const company = withActions[index];
  const action = company?.actions[0];
  if (company === undefined || action === undefined) throw new Error('not enough companies');
  return { company, action };
}

const taskPath = (companyId: string, key: string): string =>
  `/api/v1/companies/${companyId}/actions/${encodeURIComponent(key)}/task`;

describe('POST /api/v1/companies/:id/actions/:key/task', () => {
  it('creates one HubSpot task for an action and returns it when asked again', async () => {
    const { company, action } = pick(0);
    const before = taskIds().length;

    const first = await kam.card('POST', taskPath(company.id, action.key));
    expect(first.status).toBe(201);
    const created = (await first.json()) as TaskAnswer;
    expect(created.created).toBe(true);
    expect(created.task).toMatchObject({
      subject: action.title,
      status: 'NOT_STARTED',
      dueDate: action.due,
      ownerId: company.ownerId,
    });

    const second = await kam.card('POST', taskPath(company.id, action.key));
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ created: false, task: created.task });
    expect(taskIds().length).toBe(before + 1);

    // As HubSpot holds it: priority from the action, reason in the body, associated with the company.
    const stored = kam.sandbox.admin.portal(kam.portalId).get('tasks', created.task.id);
    const expectedPriority =
      action.priority <= 1 ? 'HIGH' : action.priority === 2 ? 'MEDIUM' : 'LOW';
    expect(stored?.properties.hs_task_priority).toBe(expectedPriority);
    expect(stored?.properties.hs_task_body).toContain(action.reason);
    expect(stored?.properties.hs_task_body).toContain(action.ruleId);
    const links = await fetch(`${kam.sandbox.url}/crm/v4/associations/tasks/companies/batch/read`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${kam.privateToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [{ id: created.task.id }] }),
    });
    const body = (await links.json()) as { results: { to: { toObjectId: string | number }[] }[] };
    expect(
      body.results.flatMap((result) => result.to.map((link) => String(link.toObjectId))),
    ).toEqual([company.id]);

    // The scorecard shows it beside its action, and no task of an action no longer current.
    await createTaskStore(kam.redis.connect()).remember(
      kam.portalId,
      company.id,
      `A99-${company.id}`,
      { ...created.task, id: '999999' },
    );
    const card = await kam.card('GET', `/api/v1/companies/${company.id}/scorecard`);
    const scorecard = (await card.json()) as { company: CompanyScore; tasks: unknown };
    expect(scorecard.tasks).toEqual({ [action.key]: created.task });
    expect(scorecard.company).toEqual(JSON.parse(JSON.stringify(company)));
  });

  it("names the task in the words the card sends (the rep's language), and refuses an empty subject", async () => {
    const { company, action } = pick(4);
    const refused = await kam.card('POST', taskPath(company.id, action.key), { subject: ' ' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field: string } }).error.field).toBe('subject');

    const response = await kam.card('POST', taskPath(company.id, action.key), {
      subject: '安排客户拜访',
      reason: '已 197 天无活动',
    });
    expect(response.status).toBe(201);
    const { task } = (await response.json()) as TaskAnswer;
    expect(task.subject).toBe('安排客户拜访');
    const stored = kam.sandbox.admin.portal(kam.portalId).get('tasks', task.id);
    expect(stored?.properties.hs_task_body).toContain('已 197 天无活动');
    expect(stored?.properties.hs_task_body).toContain(action.ruleId);
  });

  it('makes a new task once the remembered one is completed', async () => {
    const { company, action } = pick(0);
    const first = (await (
      await kam.card('POST', taskPath(company.id, action.key))
    ).json()) as TaskAnswer;
    kam.sandbox.admin.updateObject(kam.portalId, 'tasks', first.task.id, {
      hs_task_status: 'COMPLETED',
    });

    const again = await kam.card('POST', taskPath(company.id, action.key));
    expect(again.status).toBe(201);
    const renewed = (await again.json()) as TaskAnswer;
    expect(renewed.created).toBe(true);
    expect(renewed.task.id).not.toBe(first.task.id);

    const third = (await (
      await kam.card('POST', taskPath(company.id, action.key))
    ).json()) as TaskAnswer;
    expect(third).toEqual({ created: false, task: renewed.task });
  });

  it('creates one task when the same action is clicked several times at once', async () => {
    const { company, action } = pick(1);
    const before = taskIds().length;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => kam.card('POST', taskPath(company.id, action.key))),
    );
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as TaskAnswer[];
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(bodies.map((body) => body.task.id)).size).toBe(1);
    expect(taskIds().length).toBe(before + 1);
  });

  it('404s an unknown action key, and a key of another company', async () => {
    const { company, action } = pick(2);
    const other = pick(3).company;
    const before = taskIds().length;

    const unknown = await kam.card('POST', taskPath(company.id, `A99-${company.id}`));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found', field: 'key' } });

    const foreign = await kam.card('POST', taskPath(other.id, action.key));
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: 'not_found', field: 'key' } });

    const garbage = await kam.card('POST', taskPath(company.id, 'not-a-key'));
    expect(garbage.status).toBe(404);
    expect(taskIds().length).toBe(before);
  });

  it('refuses when tasks are turned off in the settings', async () => {
    const { company, action } = pick(2);
    const off = await kam.card('PUT', '/api/v1/settings', { settings: { tasksEnabled: false } });
    expect(off.status).toBe(200);
    const before = taskIds().length;

    const refused = await kam.card('POST', taskPath(company.id, action.key));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { code: 'validation_failed', field: 'tasksEnabled' },
    });
    expect(taskIds().length).toBe(before);

    // Let the recompute the settings change queued finish before the backend stops.
    await until(
      () => kam.backend.stores.status.get(kam.portalId),
      (status) => status.state === 'idle',
      'the settings recompute',
    );
  });
});
