import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend } from '../../support/installed-backend.ts';

let kam: InstalledBackend;

beforeAll(async () => {
  kam = await startInstalledBackend();
}, 60_000);

afterAll(async () => {
  await kam.stop();
});

function pipelineReads(): number {
  const byRoute = kam.sandbox.stats().portals[String(kam.portalId)]?.byRoute ?? {};
  return Object.entries(byRoute)
    .filter(([route]) => route.includes('/pipelines/tickets'))
    .reduce((sum, [, count]) => sum + count, 0);
}

describe('GET /api/v1/ticket-pipelines (the complaint pipelines picker, kam-model.md §12)', () => {
  it("lists the portal's ticket pipelines by id and label, asking HubSpot once in five minutes", async () => {
    const before = pipelineReads();
    const first = await kam.card('GET', '/api/v1/ticket-pipelines');
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      pipelines: [
        { id: '0', label: 'Support Pipeline' },
        { id: '84512331', label: 'Complaints' },
      ],
      ticketsScope: true,
    });
    const again = await kam.cardAs(2_000_002, 'GET', '/api/v1/ticket-pipelines');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { pipelines: unknown[] }).pipelines).toHaveLength(2);
    expect(pipelineReads() - before).toBe(1);
  });

  it('refuses a request HubSpot did not sign', async () => {
    const response = await fetch(
      `${kam.backend.url ?? ''}/api/v1/ticket-pipelines?portalId=${kam.portalId}`,
    );
    expect(response.status).toBe(401);
  });
});
