import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Settings, Tier } from '../../../src/index.ts';
import { DEFAULT_SETTINGS, TIERS } from '../../../src/index.ts';
import type { RecomputeStatus } from '../../../server/jobs/recompute-status.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';

let kam: InstalledBackend;

beforeAll(async () => {
  kam = await startInstalledBackend();
}, 60_000);

afterAll(async () => {
  await kam.stop();
});

interface Preview {
  tierCounts: Record<Tier, number>;
  moves: { companyId: string; name: string; from: Tier; to: Tier }[];
  movesTotal: number;
  approximate: boolean;
  note?: string;
}

/** Requests that change HubSpot: every method but GET, apart from batch reads and searches. */
function writes(): Record<string, number> {
  const byRoute = kam.sandbox.stats().portals[String(kam.portalId)]?.byRoute ?? {};
  return Object.fromEntries(
    Object.entries(byRoute).filter(
      ([route]) => !route.startsWith('GET ') && !/\/batch\/read$|\/search$/.test(route),
    ),
  );
}

async function savedSettings(): Promise<Settings> {
  const response = await kam.card('GET', '/api/v1/settings');
  expect(response.status).toBe(200);
  return ((await response.json()) as { settings: Settings }).settings;
}

const idle = (): Promise<RecomputeStatus> =>
  until(
    () => kam.backend.stores.status.get(kam.portalId),
    (status) => status.state === 'idle',
    'an idle recompute',
  );

describe('settings API', () => {
  it('GET answers the defaults for a portal that never saved any', async () => {
    expect(await savedSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('preview shows the moves of a changed Pareto cut-off and writes nothing', async () => {
    const before = writes();
    const frame = await kam.backend.stores.snapshots.frame(kam.portalId);
    const current = frame?.summary.tierCounts;

    const response = await kam.card('POST', '/api/v1/settings/preview', {
      settings: { paretoCutoffs: { strategic: 0.3 } },
    });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as Preview;
    expect(preview.approximate).toBe(false);
    expect(preview.note).toBeUndefined();
    expect(preview.movesTotal).toBeGreaterThan(0);
    expect(preview.moves).toHaveLength(preview.movesTotal);
    // A lower strategic cut-off only demotes strategic accounts, to key.
    for (const move of preview.moves) expect([move.from, move.to]).toEqual(['strategic', 'key']);
    expect(preview.tierCounts.strategic).toBe((current?.strategic ?? 0) - preview.movesTotal);
    expect(preview.tierCounts.key).toBe((current?.key ?? 0) + preview.movesTotal);
    expect(TIERS.reduce((sum, tier) => sum + preview.tierCounts[tier], 0)).toBe(40);

    // Nothing saved, nothing queued, nothing written to HubSpot.
    expect(await savedSettings()).toEqual(DEFAULT_SETTINGS);
    expect((await kam.backend.stores.status.get(kam.portalId)).state).toBe('idle');
    expect(writes()).toEqual(before);
  });

  it('preview says it is approximate when the window changes, and the moves are largest first', async () => {
    const response = await kam.card('POST', '/api/v1/settings/preview', {
      settings: { windowDays: 180, paretoCutoffs: { strategic: 0.2, key: 0.4, standard: 0.6 } },
    });
    const preview = (await response.json()) as Preview;
    expect(preview.approximate).toBe(true);
    expect(preview.note).toContain('windowDays');
    expect(preview.movesTotal).toBeGreaterThan(1);
    const { accounts } = await kam.backend.stores.snapshots.accounts(kam.portalId);
    const revenue = new Map(
      [...accounts.values()].map((a) => [a.fact.companyId, a.fact.metrics.revenueTtm]),
    );
    const revenues = preview.moves.map((move) => revenue.get(move.companyId) ?? -1);
    expect(revenues).toEqual([...revenues].sort((a, b) => b - a));
  });

  it('PUT merges a partial change over the saved settings and queues a full recompute', async () => {
    const response = await kam.card('PUT', '/api/v1/settings', {
      settings: { loyaltyThreshold: 70, paretoCutoffs: { strategic: 0.4 } },
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { settings: Settings; recompute: RecomputeStatus };
    const expected: Settings = {
      ...DEFAULT_SETTINGS,
      loyaltyThreshold: 70,
      paretoCutoffs: { ...DEFAULT_SETTINGS.paretoCutoffs, strategic: 0.4 },
    };
    expect(answer.settings).toEqual(expected);
    expect(['queued', 'running']).toContain(answer.recompute.state);
    expect(await savedSettings()).toEqual(expected);

    // The queued recompute runs with the new settings.
    await until(
      async () => (await kam.backend.stores.snapshots.frame(kam.portalId))?.settings,
      (settings) => settings?.loyaltyThreshold === 70,
      'a recompute under the new settings',
    );
    await idle();

    // A second partial change keeps the first.
    const second = await kam.card('PUT', '/api/v1/settings', { settings: { windowDays: 200 } });
    expect(((await second.json()) as { settings: Settings }).settings).toEqual({
      ...expected,
      windowDays: 200,
    });
    await idle();
  });

  it.each([
    [
      { attractivenessWeights: { size: 90 } },
      'settings.attractivenessWeights',
      'weights must sum to 100',
    ],
    [{ paretoCutoffs: { strategic: 0.9 } }, 'settings.paretoCutoffs', 'cut-offs must increase'],
    [{ windowDays: 0 }, 'settings.windowDays', ''],
    [{ profitProperty: 'Margin Amount' }, 'settings.profitProperty', 'HubSpot property name'],
    [{ colour: 'blue' }, 'settings.colour', ''],
  ])('PUT %j is refused, naming %s, and stores nothing', async (change, field, message) => {
    const saved = await savedSettings();
    const response = await kam.card('PUT', '/api/v1/settings', { settings: change });
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { code: string; field: string; message: string };
    };
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.field).toBe(field);
    expect(body.error.message).toContain(message);
    expect(await savedSettings()).toEqual(saved);
  });

  it('a body without settings is refused', async () => {
    const response = await kam.card('PUT', '/api/v1/settings', { loyaltyThreshold: 70 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 'validation_failed', field: 'settings' },
    });
  });
});
