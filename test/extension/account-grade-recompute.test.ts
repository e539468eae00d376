import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccountGradeCard } from '../../extension/app/cards/account-grade/AccountGradeCard.tsx';
import { formatScore } from '../../extension/app/cards/lib/format.ts';
import type { Scorecard } from '../../extension/app/cards/lib/types.ts';
import { Button, hubspot } from '../../extension/app/cards/testing.ts';
import type { InstalledBackend } from '../support/installed-backend.ts';
import { startInstalledBackend } from '../support/installed-backend.ts';
import { fire, renderCard } from './support/card-harness.ts';

// The account-grade card's Recompute against the real route: the backend
// (API and worker on a private Redis) installed in a sandbox portal, every
// `hubspot.fetch` of the card sent to it signed as HubSpot would.
let installed: InstalledBackend;

beforeAll(async () => {
  installed = await startInstalledBackend({ companies: 12, deals: 120, seed: 5 });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await installed.stop();
});

async function scorecardOf(companyId: string): Promise<Scorecard> {
  const response = await installed.card('GET', `/api/v1/companies/${companyId}/scorecard`);
  return (await response.json()) as Scorecard;
}

describe('Account grade card: Recompute on the real route', () => {
  it('shows the company rescored by its own pass, not the failure of an unrelated nightly run', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation((input, options) => {
      const url = new URL(String(input));
      return installed.card(options?.method ?? 'GET', url.pathname, options?.body);
    });
    const { portalId, backend, sandbox } = installed;
    const companyIds = sandbox.admin.portal(portalId).sortedIds('companies');
    const scored = await Promise.all(companyIds.map(scorecardOf));
    const scaleOf = (card: Scorecard) =>
      card.company?.explanations.attractiveness.factors?.find((f) => f.factor === 'scale')?.score;
    const target = scored.find(
      (card) => card.company?.tier !== 'unrated' && (scaleOf(card) ?? 100) < 50,
    );
    const before = target?.company?.score;
    expect(before).toBeDefined();
    const companyId = target?.companyId ?? '';

    // Last night's full recompute failed: the portal's status says so, and a
    // company's recompute must not report it as its own outcome.
    const status = await backend.stores.status.get(portalId);
    await backend.stores.status.set(portalId, {
      ...status,
      state: 'failed',
      error: 'nightly: HubSpot answered 500',
    });
    // A rep changes the company's annual revenue in HubSpot: no webhook covers
    // it, so only the recompute sees it (its scale factor becomes the top one).
    sandbox.admin.updateObject(portalId, 'companies', companyId, {
      annualrevenue: '900000000000',
    });

    const card = renderCard(AccountGradeCard, { companyId: Number(companyId) });
    await card.waitForText(formatScore(before ?? 0));
    fire(card.findByTestId(Button, 'recompute'), 'onClick');
    await card.waitForText('Recompute finished', 12_000);

    const after = (await scorecardOf(companyId)).company?.score;
    expect(after).not.toBe(before);
    expect(card.screen()).toContain(formatScore(after ?? 0));
    expect(card.screen()).not.toContain('Recompute failed');
    expect(card.mocks.actions.refreshObjectProperties.callCount).toBe(1);
  });
});
