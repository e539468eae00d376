import { Router } from 'express';
import type { Settings, Tier } from '../../src/index.ts';
import { assignTiers, compareHubSpotIds, settingsSchema, TIERS } from '../../src/index.ts';
import type { RecomputeQueue } from '../jobs/recompute-queue.ts';
import type { RecomputeStatus, RecomputeStatusStore } from '../jobs/recompute-status.ts';
import type { SnapshotStore } from '../recompute/snapshot-store.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { TokenStore } from '../tokens/token-store.ts';
import { ApiError, validationError } from './api-error.ts';
import { installedPortal } from './card-routes.ts';
import { signedPortalId, signedUserId } from './signed-request.ts';
import type { SuperAdminCheck } from './super-admin.ts';
import { requireSuperAdmin } from './super-admin.ts';

export interface SettingsRoutesDeps {
  readonly tokens: Pick<TokenStore, 'status'>;
  readonly settings: Pick<SettingsStore, 'get' | 'put'>;
  readonly snapshots: Pick<SnapshotStore, 'frame' | 'accounts'>;
  readonly status: RecomputeStatusStore;
  readonly queue: Pick<RecomputeQueue, 'full'>;
  readonly admins: SuperAdminCheck;
}

export interface TierMove {
  readonly companyId: string;
  readonly name: string;
  readonly from: Tier;
  readonly to: Tier;
}

export interface SettingsPreview {
  readonly tierCounts: Record<Tier, number>;
  /** The largest accounts (by revenue in the window) that would change tier, at most MAX_MOVES. */
  readonly moves: readonly TierMove[];
  readonly movesTotal: number;
  /** True when the proposal changes what the stored facts were computed with. */
  readonly approximate: boolean;
  readonly note?: string;
}

export const MAX_MOVES = 200;

/** The facts in the snapshot were computed with these; changing them needs a recompute to be exact. */
const FACT_SETTINGS = ['windowDays', 'churnDays', 'profitProperty', 'productLineProperty'] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The saved settings with a partial proposal laid over them; a nested object
 * (weights, cut-offs) is merged key by key, so `{paretoCutoffs: {strategic: 0.4}}`
 * keeps the other cut-offs. Validated as a whole with `settingsSchema`.
 */
function proposedSettings(saved: Settings, body: unknown): Settings {
  const proposal = isPlainObject(body) ? body.settings : undefined;
  if (!isPlainObject(body) || !isPlainObject(proposal)) {
    throw new ApiError('validation_failed', 'the body must be {"settings": {...}}', 'settings');
  }
  const extra = Object.keys(body).find((key) => key !== 'settings');
  if (extra !== undefined) {
    throw new ApiError('validation_failed', `unknown field ${extra}`, extra);
  }
  const merged: Record<string, unknown> = { ...saved };
  for (const [key, value] of Object.entries(proposal)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
  }
  const parsed = settingsSchema.safeParse(merged);
  if (!parsed.success) throw validationError(parsed.error, ['settings']);
  return parsed.data;
}

function emptyCounts(): Record<Tier, number> {
  return Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
}

/** `GET|PUT /api/v1/settings` and `POST /api/v1/settings/preview` (the settings page). */
export function settingsRoutes(deps: SettingsRoutesDeps): Router {
  const router = Router();

  router.get('/api/v1/settings', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const [settings, access] = await Promise.all([
      deps.settings.get(portalId),
      deps.admins.access(portalId, signedUserId(request)),
    ]);
    // The page shows a read-only view to anyone but a super admin.
    response.json({ settings, canEdit: access === 'super_admin' });
  });

  router.put('/api/v1/settings', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    await requireSuperAdmin(deps.admins, portalId, request);
    const settings = proposedSettings(await deps.settings.get(portalId), request.body);
    await deps.settings.put(portalId, settings);
    // Status before the job, so a worker's `running` that follows is never overwritten.
    const current = await deps.status.get(portalId);
    const recompute: RecomputeStatus =
      current.state === 'running' ? current : { ...current, state: 'queued' };
    await deps.status.set(portalId, recompute);
    await deps.queue.full({ portalId, reason: 'settings_changed' });
    response.json({ settings, recompute });
  });

  router.post('/api/v1/settings/preview', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const settings = proposedSettings(await deps.settings.get(portalId), request.body);
    const [frame, snapshot] = await Promise.all([
      deps.snapshots.frame(portalId),
      deps.snapshots.accounts(portalId),
    ]);
    const accounts = [...snapshot.accounts.values()];
    if (frame === null) {
      const preview: SettingsPreview = {
        tierCounts: emptyCounts(),
        moves: [],
        movesTotal: 0,
        approximate: false,
        note: 'No recompute has finished yet: there is nothing to compare with.',
      };
      response.json(preview);
      return;
    }

    // Tiers depend only on revenue in the window, the pin and the tier settings:
    // re-rank the stored facts under the proposal and compare with the tiers in force.
    const tiering = assignTiers(
      accounts.map(({ fact }) => ({
        companyId: fact.companyId,
        revenueTtm: fact.metrics.revenueTtm,
        tierOverride: fact.inputs.tierOverride,
      })),
      settings,
    );
    const tierCounts = emptyCounts();
    const moved: (TierMove & { revenue: number })[] = [];
    for (const { fact, standing } of accounts) {
      const to = tiering.byCompany.get(fact.companyId)?.tier ?? 'unrated';
      tierCounts[to] += 1;
      if (to !== standing.tier.tier) {
        moved.push({
          companyId: fact.companyId,
          name: fact.inputs.name ?? `Company ${fact.companyId}`,
          from: standing.tier.tier,
          to,
          revenue: fact.metrics.revenueTtm,
        });
      }
    }
    moved.sort((a, b) => b.revenue - a.revenue || compareHubSpotIds(a.companyId, b.companyId));

    const changed = FACT_SETTINGS.filter((key) => settings[key] !== frame.settings[key]);
    const preview: SettingsPreview = {
      tierCounts,
      moves: moved
        .slice(0, MAX_MOVES)
        .map(({ companyId, name, from, to }) => ({ companyId, name, from, to })),
      movesTotal: moved.length,
      approximate: changed.length > 0,
      ...(changed.length > 0
        ? {
            note: `Approximate: ${changed.join(', ')} changed, and revenue is from the last recompute under the saved values; save to recompute exactly.`,
          }
        : {}),
    };
    response.json(preview);
  });

  return router;
}
