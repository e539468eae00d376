import { Router } from 'express';
import type { CompanyScore, PlanInputs, PlanStatus } from '../../src/index.ts';
import { dueDateCache, isoDate, scoreAccount } from '../../src/index.ts';
import type { RecomputeQueue } from '../jobs/recompute-queue.ts';
import type { RecomputeStatus, RecomputeStatusStore } from '../jobs/recompute-status.ts';
import type { PortalClient, TaskRecord } from '../hubspot/portal-client.ts';
import type {
  AccountSnapshot,
  PropertyHistory,
  SnapshotFrame,
  SnapshotStore,
} from '../recompute/snapshot-store.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { PinStore } from '../pins/pin-store.ts';
import type { OwnerDirectory } from './owner-directory.ts';
import { ownerNames } from './owner-directory.ts';
import type { UserNames } from './user-names.ts';
import type { TaskStore } from '../tasks/task-store.ts';
import type { TokenStore } from '../tokens/token-store.ts';
import { ApiError, validationError } from './api-error.ts';
import { hubSpotId } from './hubspot-id.ts';
import { signedPortalId } from './signed-request.ts';
import type { SuperAdminCheck } from './super-admin.ts';
import { requireSuperAdmin } from './super-admin.ts';

export interface CardRoutesDeps {
  readonly tokens: Pick<TokenStore, 'status'>;
  readonly snapshots: SnapshotStore;
  readonly status: RecomputeStatusStore;
  readonly queue: Pick<RecomputeQueue, 'full' | 'company' | 'settled'>;
  readonly clientFor: (portalId: number) => Promise<PortalClient>;
  readonly tasks: Pick<TaskStore, 'tasksOf'>;
  readonly pins: Pick<PinStore, 'get'>;
  readonly settings: Pick<SettingsStore, 'get'>;
  /** Who may start a full recompute of the portal. */
  readonly admins: SuperAdminCheck;
  /** Who pinned a tier, by name. */
  readonly userNames: UserNames;
  /** Owners by name: the company's, its contacts'. */
  readonly owners: OwnerDirectory;
  /** How long a company's rescore waits for the worker's pass before answering (default 8 s). */
  readonly settleWaitMs?: number;
}

export interface Scorecard {
  readonly portalId: number;
  readonly companyId: string;
  readonly scoredAt: string | null;
  readonly company: CompanyScore | null;
  readonly history: readonly { readonly at: string; readonly score: number }[];
  readonly manual: {
    readonly strengths: readonly string[];
    readonly weaknesses: readonly string[];
    readonly opportunities: readonly string[];
    readonly threats: readonly string[];
    readonly competitors: readonly string[];
    readonly accountPlan: string | null;
    readonly tierOverride: string | null;
    /**
     * §13: the plan as stored, for the editor; null when it has no objective.
     * While `kam_plan_objective` is empty the objective is v1's
     * `kam_account_plan`, so saving it moves v1's text into the objective.
     */
    readonly plan: Pick<
      PlanStatus,
      'objective' | 'goalRevenue' | 'goalDate' | 'strategies' | 'measures' | 'reviewedAt'
    > | null;
  };
  readonly writeFailure: { readonly code: string; readonly message: string } | null;
  /**
   * Who pinned the tier: the rep on the card, or a HubSpot user (its
   * history's source id), with the user's name where HubSpot gives one.
   */
  readonly pinnedBy: {
    readonly userId: string | null;
    readonly name: string | null;
    readonly at: string;
  } | null;
  readonly tasks: Readonly<Record<string, TaskRecord>>;
  readonly tasksEnabled: boolean;
  readonly recompute: RecomputeStatus;
  /** Names of the owners the scorecard mentions (the company's, its contacts'), by owner id. */
  readonly ownerNames: Readonly<Record<string, string>>;
}

/** Within hubspot.fetch's 15 s, with room for a HubSpot write before it. */
const SETTLE_WAIT_MS = 8_000;

/** The portal of a signed request, once the app is installed and authorised there. */
export async function installedPortal(
  tokens: Pick<TokenStore, 'status'>,
  portalId: number,
): Promise<number> {
  const status = await tokens.status(portalId);
  if (status === 'needs_reauth') {
    throw new ApiError('needs_reauth', 'HubSpot refused this portal’s token: reinstall the app');
  }
  if (status === 'not_installed') {
    throw new ApiError('not_found', 'the app is not installed in this portal');
  }
  return portalId;
}

/** A route's company id, canonical (`01000` is company 1000), or a 400 naming `id`. */
export function companyIdOf(value: string | string[] | undefined): string {
  const parsed = hubSpotId.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error, ['id']);
  return parsed.data;
}

/**
 * Proves a company is the portal's before work is queued for it: one in the
 * snapshot is; any other is asked of HubSpot with the portal's token
 * (another portal's id, or a deleted company, is a 404).
 */
async function companyOfPortal(
  deps: CardRoutesDeps,
  portalId: number,
  companyId: string,
): Promise<void> {
  if ((await deps.snapshots.account(portalId, companyId)) !== null) return;
  const [record] = await (await deps.clientFor(portalId)).readCompanies([companyId], ['name']);
  if (record === undefined)
    throw new ApiError('not_found', `company ${companyId} is not in this portal`);
}

// The store hands back the same account and frame objects until the
// snapshot's version moves, so a warm card is scored once per version.
const scores = new WeakMap<AccountSnapshot, { frame: SnapshotFrame; company: CompanyScore }>();

/** The account scored in its snapshot's frame: what the cards show and the task route acts on. */
export function scoredAccount(account: AccountSnapshot, frame: SnapshotFrame): CompanyScore {
  const hit = scores.get(account);
  if (hit !== undefined && hit.frame === frame) return hit.company;
  const company = scoreAccount(account.fact, account.standing, {
    context: frame.context,
    settings: frame.settings,
    asOfMs: frame.asOfMs,
    dueDate: dueDateCache(frame.asOfMs),
  });
  scores.set(account, { frame, company });
  return company;
}

const companyJson = new WeakMap<CompanyScore, string>();

/**
 * The scorecard as JSON, with the company (most of its 8 KB) serialized once
 * per scored account rather than on every request.
 */
function scorecardJson(scorecard: Scorecard): string {
  const { company, ...rest } = scorecard;
  return `${JSON.stringify(rest).slice(0, -1)},"company":${serializedCompany(company)}}`;
}

function serializedCompany(company: CompanyScore | null): string {
  if (company === null) return 'null';
  let json = companyJson.get(company);
  if (json === undefined) {
    json = JSON.stringify(company);
    companyJson.set(company, json);
  }
  return json;
}

/**
 * Everything the four cards show for one company, rescored from the
 * snapshot; one HubSpot call proves the company is this portal's (another
 * portal's id is a 404) and brings kam_score's history for the trend.
 * Checks that the app is installed in the portal before anything leaves.
 */
export async function readScorecard(
  deps: CardRoutesDeps,
  portalId: number,
  companyId: string,
): Promise<Scorecard> {
  // One round trip for everything the card needs from Redis (auto-pipelined):
  // under load every further one costs a turn of the event loop.
  const [, frame, account, recompute, cachedHistory, failure, settings, remembered, pin] =
    await Promise.all([
      installedPortal(deps.tokens, portalId),
      deps.snapshots.frame(portalId),
      deps.snapshots.account(portalId, companyId),
      deps.status.get(portalId),
      deps.snapshots.cachedHistory(portalId, companyId),
      deps.snapshots.writeFailure(portalId, companyId),
      deps.settings.get(portalId),
      deps.tasks.tasksOf(portalId, companyId),
      deps.pins.get(portalId, companyId),
    ]);
  // A company in this portal's snapshot is this portal's: warm, no HubSpot call.
  let propertyHistory = account === null ? null : cachedHistory;
  if (propertyHistory === null) {
    const client = await deps.clientFor(portalId);
    const [record] = await client.readCompanies(
      [companyId],
      ['kam_score', 'kam_tier_override'],
      ['kam_score', 'kam_tier_override'],
    );
    if (record === undefined) {
      throw new ApiError('not_found', `company ${companyId} is not in this portal`);
    }
    propertyHistory = record.propertiesWithHistory ?? {};
    // A company new to the snapshot, or a snapshot of an earlier model (no
    // frame): its company job finds no snapshot and queues a full recompute.
    if (account === null || frame === null) await deps.queue.company({ portalId, companyId }, 0);
    else await deps.snapshots.cacheHistory(portalId, companyId, propertyHistory);
  }

  const company = frame === null || account === null ? null : scoredAccount(account, frame);
  const inputs = account?.fact.inputs;
  const history = (propertyHistory.kam_score ?? [])
    .filter((entry) => entry.value !== '' && Number.isFinite(Number(entry.value)))
    .map((entry) => ({ at: entry.timestamp, score: Number(entry.value) }))
    .sort((a, b) => a.at.localeCompare(b.at));
  const tasks: Record<string, TaskRecord> = {};
  for (const action of company?.actions ?? []) {
    const task = remembered.get(action.key);
    if (task !== undefined) tasks[action.key] = task;
  }
  return {
    portalId,
    companyId,
    scoredAt: frame === null || account === null ? null : new Date(frame.asOfMs).toISOString(),
    company,
    history,
    manual: {
      strengths: inputs?.manualSwot.strength ?? [],
      weaknesses: inputs?.manualSwot.weakness ?? [],
      opportunities: inputs?.manualSwot.opportunity ?? [],
      threats: inputs?.manualSwot.threat ?? [],
      competitors: inputs?.competitors ?? [],
      accountPlan: inputs?.accountPlan ?? null,
      tierOverride: inputs?.tierOverride ?? null,
      plan: storedPlan(inputs?.plan ?? null),
    },
    writeFailure: failure === null ? null : { code: failure.code, message: failure.message },
    pinnedBy:
      inputs?.tierOverride == null
        ? null
        : await namedPin(deps, portalId, pin ?? pinnedInHubSpot(propertyHistory)),
    tasks,
    tasksEnabled: settings.tasksEnabled,
    recompute,
    // Asked only for a company of this portal that has been scored.
    ownerNames:
      company === null
        ? {}
        : ownerNames(await deps.owners.owners(portalId), [
            company.ownerId,
            ...company.buyingCentre.contacts.map((contact) => contact.ownerId),
          ]),
  };
}

/**
 * Queues the company's pass and answers with its scorecard once the worker
 * has re-ranked it (up to `settleWaitMs`), unless a full recompute is running:
 * the company then waits for it, and the scorecard says the run is under way.
 */
export async function rescoredScorecard(
  deps: CardRoutesDeps,
  portalId: number,
  companyId: string,
): Promise<Scorecard> {
  await deps.queue.company({ portalId, companyId }, 0);
  if ((await deps.status.get(portalId)).state !== 'running') {
    await deps.queue.settled(portalId, companyId, deps.settleWaitMs ?? SETTLE_WAIT_MS);
  }
  return readScorecard(deps, portalId, companyId);
}

/** The plan's inputs as the editor reads them: dates as YYYY-MM-DD. */
function storedPlan(plan: PlanInputs | null): Scorecard['manual']['plan'] {
  if (plan === null) return null;
  const day = (ms: number | null) => (ms === null ? null : isoDate(ms));
  return {
    objective: plan.objective,
    goalRevenue: plan.goalRevenue,
    goalDate: day(plan.goalDateMs),
    strategies: plan.strategies,
    measures: plan.measures,
    reviewedAt: day(plan.reviewedAtMs),
  };
}

/** Who last set the override in HubSpot itself (its history's source id). */
function pinnedInHubSpot(
  propertyHistory: PropertyHistory,
): { readonly userId: string | null; readonly at: string } | null {
  const latest = [...(propertyHistory.kam_tier_override ?? [])]
    .filter((entry) => entry.value !== '')
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp))[0];
  return latest === undefined ? null : { userId: latest.sourceId ?? null, at: latest.timestamp };
}

/** A pin with its user's name: a user id, bare or as HubSpot's `userId:123` source id, is looked up. */
export async function namedPin(
  deps: Pick<CardRoutesDeps, 'userNames'>,
  portalId: number,
  pin: { readonly userId: string | null; readonly at: string } | null,
): Promise<Scorecard['pinnedBy']> {
  if (pin === null) return null;
  const userId = /^(?:userId:)?(\d{1,19})$/.exec(pin.userId ?? '')?.[1];
  const name = userId === undefined ? null : await deps.userNames.name(portalId, userId);
  return { userId: pin.userId, name, at: pin.at };
}

/** The signed `/api/v1` routes the cards call; the portal comes from the signature only. */
export function cardRoutes(deps: CardRoutesDeps): Router {
  const router = Router();

  router.get('/api/v1/companies/:id/scorecard', async (request, response) => {
    const companyId = companyIdOf(request.params.id);
    const scorecard = await readScorecard(deps, signedPortalId(request), companyId);
    response.type('json').send(scorecardJson(scorecard));
  });

  router.post('/api/v1/companies/:id/recompute', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const companyId = companyIdOf(request.params.id);
    await companyOfPortal(deps, portalId, companyId);
    response.type('json').send(scorecardJson(await rescoredScorecard(deps, portalId, companyId)));
  });

  router.post('/api/v1/recompute', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    await requireSuperAdmin(deps.admins, portalId, request);
    await deps.queue.full({ portalId, reason: 'on_demand' });
    const current = await deps.status.get(portalId);
    const status: RecomputeStatus =
      current.state === 'running' ? current : { ...current, state: 'queued' };
    await deps.status.set(portalId, status);
    response.status(202).json(status);
  });

  router.get('/api/v1/recompute/status', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    response.json(await deps.status.get(portalId));
  });

  router.get('/api/v1/portfolio', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const [frame, recompute] = await Promise.all([
      deps.snapshots.frame(portalId),
      deps.status.get(portalId),
    ]);
    if (frame === null) throw new ApiError('not_found', 'this portal has not been scored yet');
    response.json({
      ...frame.summary,
      paretoCurve: frame.paretoCurve,
      movements: frame.movements,
      movementsTotal: frame.movementsTotal,
      scoredAt: new Date(frame.asOfMs).toISOString(),
      recompute,
    });
  });

  return router;
}
