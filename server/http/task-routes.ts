import { Router } from 'express';
import { z } from 'zod';
import type { NextAction } from '../../src/index.ts';
import type { NewTask, PortalClient, TaskRecord } from '../hubspot/portal-client.ts';
import type { SnapshotStore } from '../recompute/snapshot-store.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import type { TokenStore } from '../tokens/token-store.ts';
import { ApiError, validationError } from './api-error.ts';
import { companyIdOf, installedPortal, scoredAccount } from './card-routes.ts';
import { signedPortalId } from './signed-request.ts';

/**
 * The card may send the action's title and reason in the rep's language (the
 * model writes English); without them the task carries the model's words.
 */
const taskTextSchema = z
  .strictObject({
    subject: z
      .string()
      .trim()
      .min(1, 'a subject cannot be empty')
      .max(200, 'at most 200 characters')
      .optional(),
    reason: z.string().trim().max(2_000, 'at most 2000 characters').optional(),
  })
  .optional();
type TaskText = z.infer<typeof taskTextSchema>;

export interface TaskRoutesDeps {
  readonly tokens: Pick<TokenStore, 'status'>;
  readonly snapshots: Pick<SnapshotStore, 'frame' | 'account'>;
  readonly settings: Pick<SettingsStore, 'get'>;
  readonly tasks: TaskStore;
  readonly clientFor: (portalId: number) => Promise<PortalClient>;
  /** How long a second click waits for the first to finish creating (default 10 s). */
  readonly lockWaitMs?: number;
}

/** `actionKey` of src/next-actions.ts: rule, dimension where there is one, company id. */
const ACTION_KEY = /^A\d{1,2}(?:-[a-z]+)?-(\d+)$/;
/** Longer than any create (HubSpot's rate limiter may make it wait); released as soon as it is done. */
const LOCK_TTL_MS = 60_000;
const LOCK_POLL_MS = 50;

function priorityOf(action: NextAction): NewTask['priority'] {
  if (action.priority <= 1) return 'HIGH';
  if (action.priority === 2) return 'MEDIUM';
  return 'LOW';
}

/**
 * `POST /api/v1/companies/:id/actions/:key/task`: one HubSpot task per action
 * key while it is open (kam-model.md §7), safe against a double click.
 */
export function taskRoutes(deps: TaskRoutesDeps): Router {
  const router = Router();
  const lockWaitMs = deps.lockWaitMs ?? 10_000;

  /** The action as the company's current scorecard has it (rescored from the snapshot). */
  const findAction = async (
    portalId: number,
    companyId: string,
    key: string,
  ): Promise<{ action: NextAction; ownerId: string | null }> => {
    const [frame, account] = await Promise.all([
      deps.snapshots.frame(portalId),
      deps.snapshots.account(portalId, companyId),
    ]);
    if (frame === null || account === null) {
      throw new ApiError('not_found', `company ${companyId} has not been scored in this portal`);
    }
    const company = scoredAccount(account, frame);
    const action = company.actions.find((candidate) => candidate.key === key);
    if (action === undefined) {
      throw new ApiError('not_found', `company ${companyId} has no current action ${key}`, 'key');
    }
    return { action, ownerId: account.fact.inputs.ownerId };
  };

  /** With the key's lock held: the open remembered task, or a new one. */
  const openOrCreate = async (
    portalId: number,
    companyId: string,
    action: NextAction,
    ownerId: string | null,
    text: TaskText,
  ): Promise<{ created: boolean; task: TaskRecord }> => {
    const client = await deps.clientFor(portalId);
    const remembered = await deps.tasks.get(portalId, companyId, action.key);
    if (remembered !== null) {
      const [current] = await client.readTasks([remembered.id]);
      if (current !== undefined && current.status !== 'COMPLETED') {
        await deps.tasks.remember(portalId, companyId, action.key, current);
        return { created: false, task: current };
      }
      // Completed (or deleted in HubSpot): the rule still fires, so a new task may be made.
    }
    const task = await client.createTask({
      companyId,
      subject: text?.subject ?? action.title,
      body: `${text?.reason ?? action.reason}\n\n(KAM rule ${action.ruleId}, action ${action.key})`,
      dueDate: action.due,
      priority: priorityOf(action),
      ownerId,
    });
    await deps.tasks.remember(portalId, companyId, action.key, task);
    return { created: true, task };
  };

  router.post('/api/v1/companies/:id/actions/:key/task', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const companyId = companyIdOf(request.params.id);
    const key = request.params.key;
    const keyCompany = typeof key === 'string' ? ACTION_KEY.exec(key)?.[1] : undefined;
    if (typeof key !== 'string' || keyCompany !== companyId) {
      throw new ApiError('not_found', `no action ${String(key)} for company ${companyId}`, 'key');
    }
    const parsed = taskTextSchema.safeParse(request.body);
    if (!parsed.success) throw validationError(parsed.error);
    const settings = await deps.settings.get(portalId);
    if (!settings.tasksEnabled) {
      throw new ApiError(
        'validation_failed',
        'making HubSpot tasks from actions is turned off in the settings',
        'tasksEnabled',
      );
    }
    const { action, ownerId } = await findAction(portalId, companyId, key);

    const deadline = Date.now() + lockWaitMs;
    let release = await deps.tasks.lock(portalId, key, LOCK_TTL_MS);
    while (release === null) {
      // Another click is creating this task: wait for it, then answer with its task.
      if (Date.now() >= deadline) {
        throw new ApiError('unavailable', 'this task is still being created; try again shortly');
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      release = await deps.tasks.lock(portalId, key, LOCK_TTL_MS);
    }
    let outcome: { created: boolean; task: TaskRecord };
    try {
      outcome = await openOrCreate(portalId, companyId, action, ownerId, parsed.data);
    } finally {
      await release();
    }
    response.status(outcome.created ? 201 : 200).json(outcome);
  });

  return router;
}
