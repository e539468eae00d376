import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyScore, ProfileAttention } from '../../../src/index.ts';
import {
  dueDateCache,
  PROFILE_ATTENTION_BELOW,
  PROFILE_ATTENTION_LISTED,
  scoreAccount,
} from '../../../src/index.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend } from '../../support/installed-backend.ts';

/**
 * kam-model.md v2 §14: `GET /api/v1/portfolio` lists the strategic and key
 * accounts whose profile is under 80% or that have no owner, after the full
 * recompute and after one company's rescore alike.
 */

let kam: InstalledBackend;

beforeAll(async () => {
  kam = await startInstalledBackend();
}, 60_000);

afterAll(async () => {
  await kam.stop();
});

/** Every account of the snapshot as the model scores it now. */
async function scoredAccounts(): Promise<CompanyScore[]> {
  const { snapshots } = kam.backend.stores;
  const frame = await snapshots.frame(kam.portalId);
  if (frame === null) throw new Error('no snapshot after the first recompute');
  return [...(await snapshots.accounts(kam.portalId)).accounts.values()].map((account) =>
    scoreAccount(account.fact, account.standing, {
      context: frame.context,
      settings: frame.settings,
      asOfMs: frame.asOfMs,
      dueDate: dueDateCache(frame.asOfMs),
    }),
  );
}

async function portfolioList(): Promise<ProfileAttention> {
  const response = await kam.card('GET', '/api/v1/portfolio');
  expect(response.status).toBe(200);
  return ((await response.json()) as { profileAttention: ProfileAttention }).profileAttention;
}

const needsAttention = (company: CompanyScore): boolean =>
  (company.tier === 'strategic' || company.tier === 'key') &&
  (company.profile.completeness < PROFILE_ATTENTION_BELOW || company.ownerId === null);

describe('the portfolio list of thin profiles and accounts without an owner', () => {
  it('lists exactly the strategic and key accounts the model finds under 80% or without an owner', async () => {
    const expected = (await scoredAccounts()).filter(needsAttention);
    expect(expected.length).toBeGreaterThan(0);
    const list = await portfolioList();
    expect(list.total).toBe(expected.length);
    expect(list.accounts.map((account) => account.id)).toEqual(
      [...expected]
        .sort((a, b) => b.metrics.revenueTtm - a.metrics.revenueTtm || a.id.localeCompare(b.id))
        .slice(0, PROFILE_ATTENTION_LISTED)
        .map((company) => company.id),
    );
    for (const account of list.accounts) {
      const company = expected.find((candidate) => candidate.id === account.id);
      expect(account).toMatchObject({
        name: company?.name,
        tier: company?.tier,
        completeness: company?.profile.completeness,
        hasOwner: company?.ownerId !== null,
      });
    }
  });

  it("follows one company's rescore: competitors entered on a card raise its completeness on the list", async () => {
    const before = await portfolioList();
    const target = (await scoredAccounts()).find(
      (company) =>
        before.accounts.some((account) => account.id === company.id) &&
        company.profile.missing.includes('competitors'),
    );
    if (target === undefined) throw new Error('no listed account lacks its competitors');
    const saved = await kam.card('PUT', `/api/v1/companies/${target.id}/swot`, {
      competitors: ['Nordlys AB', 'Vesta Group'],
    });
    expect(saved.status).toBe(200);
    const rescored = ((await saved.json()) as { company: CompanyScore }).company;
    expect(rescored.profile.completeness).toBeGreaterThan(target.profile.completeness);
    const after = await portfolioList();
    const listed = after.accounts.find((account) => account.id === target.id);
    if (needsAttention(rescored)) {
      expect(listed?.completeness).toBe(rescored.profile.completeness);
      expect(after.total).toBe(before.total);
    } else {
      expect(listed).toBeUndefined();
      expect(after.total).toBe(before.total - 1);
    }
  });
});
