/**
 * Issue 14, item 5: manual text that reaches HubSpot without the card API
 * (an import, an edit in HubSpot) is cut to kam-model.md §8's bounds before
 * it is scored or kept in the snapshot, and the company is flagged. The
 * text is written straight into the sandbox portal, as an import would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_BOUNDS } from '../../../src/index.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import { portalCompanies } from './support.ts';

let installed: InstalledBackend;
let ids: string[];

/** 120 items of 520 characters and a 65,000-character plan: within HubSpot's own limits. */
const IMPORTED = {
  kam_swot_strengths: Array.from({ length: 120 }, (_, index) => `${index} `.padEnd(520, 's')).join(
    '\n',
  ),
  kam_account_plan: 'p'.repeat(65_000),
};

beforeAll(async () => {
  installed = await startInstalledBackend();
  ids = Object.keys(
    await portalCompanies(installed.sandbox.url, installed.privateToken, ['name']),
  ).sort();
});

afterAll(async () => {
  await installed.stop();
});

async function importText(companyId: string): Promise<void> {
  const response = await fetch(`${installed.sandbox.url}/crm/v3/objects/companies/${companyId}`, {
    method: 'PATCH',
    headers: {
      Authorization: `Bearer ${installed.privateToken}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ properties: IMPORTED }),
  });
  expect(response.status).toBe(200);
}

const account = (companyId: string) =>
  installed.backend.stores.snapshots.account(installed.portalId, companyId);

/** What the snapshot keeps of the company's text must be within the bounds, and flagged. */
async function expectBoundedAndFlagged(companyId: string): Promise<void> {
  const kept = await until(
    () => account(companyId),
    (found) => found?.fact.flags.some((flag) => flag.code === 'text_too_long') === true,
    `company ${companyId}'s text to be rescored`,
  );
  const inputs = kept?.fact.inputs;
  expect(inputs?.manualSwot.strength).toHaveLength(TEXT_BOUNDS.listItems);
  expect(Math.max(...(inputs?.manualSwot.strength ?? []).map((item) => item.length))).toBe(
    TEXT_BOUNDS.itemChars,
  );
  expect(inputs?.accountPlan).toHaveLength(TEXT_BOUNDS.planChars);
  expect(
    kept?.fact.flags.filter((flag) => flag.code === 'text_too_long').map((flag) => flag.field),
  ).toEqual(['kam_swot_strengths', 'kam_account_plan']);
  // 25 kB of items and 5 kB of plan, not the 127 kB imported.
  expect(JSON.stringify(kept?.fact).length).toBeLessThan(40_000);

  const scorecard = (await (
    await installed.card('GET', `/api/v1/companies/${companyId}/scorecard`)
  ).json()) as { manual: { strengths: string[]; accountPlan: string } };
  expect(scorecard.manual.strengths).toHaveLength(TEXT_BOUNDS.listItems);
  expect(scorecard.manual.accountPlan).toHaveLength(TEXT_BOUNDS.planChars);
}

describe('text imported into HubSpot over §8’s bounds', () => {
  it('is cut and flagged by the company’s own pass', async () => {
    const companyId = ids[0] ?? '';
    await importText(companyId);
    const response = await installed.card('POST', `/api/v1/companies/${companyId}/recompute`);
    // The route answers once the company's own pass has run: its scorecard is already bounded.
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { manual: { strengths: string[] } };
    expect(answer.manual.strengths).toHaveLength(TEXT_BOUNDS.listItems);
    await expectBoundedAndFlagged(companyId);
  });

  it('is cut and flagged by a full recompute, and counted in its data-quality report', async () => {
    const companyId = ids[1] ?? '';
    await importText(companyId);
    expect((await installed.card('POST', '/api/v1/recompute')).status).toBe(202);
    await until(
      () => installed.backend.stores.status.get(installed.portalId),
      recomputeFinished,
      'the full recompute',
    );
    await expectBoundedAndFlagged(companyId);
    const frame = await installed.backend.stores.snapshots.frame(installed.portalId);
    expect(frame?.summary.dataQuality.flags.text_too_long).toBeGreaterThanOrEqual(1);
  });
});
