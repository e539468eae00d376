import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it } from 'vitest';
import { isSignatureV3Valid } from '../../../server/hubspot/request-signature.ts';
import { sendCardRequest } from '../../../server/sandbox/card-request.ts';
import { startSandbox, type Sandbox } from '../../../server/sandbox/sandbox.ts';
import { TEST_AS_OF } from './sandbox-fixture.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sandboxFor(options: Parameters<typeof startSandbox>[0]): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, ...options });
  cleanups.push(() => sandbox.close());
  return sandbox;
}

async function receiverAt(path: string): Promise<Receiver> {
  const receiver = await startReceiver(path);
  cleanups.push(() => receiver.close());
  return receiver;
}

async function json(
  url: string,
  method = 'GET',
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('card requests', () => {
  it('calls the backend like hubspot.fetch: context in the query, signed v3', async () => {
    const backend = await receiverAt('/api/v1/companies/1000/survey');
    const response = await sendCardRequest({
      url: `${backend.url}?lang=en`,
      method: 'PUT',
      body: { tangibles: { expected: 6, perceived: 5 } },
      portalId: 9_000_001,
      userId: 77,
      userEmail: 'rep@example.com',
      appId: 3_000_001,
      clientSecret: 'card-secret',
    });
    expect(response.status).toBe(200);
    const [request] = backend.requests;
    if (request === undefined) throw new Error('no request');
    const url = new URL(request.url, backend.url);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      lang: 'en',
      portalId: '9000001',
      userId: '77',
      userEmail: 'rep@example.com',
      appId: '3000001',
    });
    expect(
      isSignatureV3Valid({
        method: request.method,
        url: url.toString(),
        body: request.body,
        timestamp: String(request.headers['x-hubspot-request-timestamp']),
        signature: String(request.headers['x-hubspot-signature-v3']),
        clientSecret: 'card-secret',
        now: Date.now(),
      }),
    ).toBe(true);
  });
});

describe('admin routes', () => {
  it('seeds portals, registers and installs apps, edits as a user and reports stats', async () => {
    const sandbox = await sandboxFor({ webhooks: { batchWindowMs: 10 } });
    const admin = `${sandbox.url}/__sandbox`;
    const portal = await json(`${admin}/portals`, 'POST', {
      companies: 10,
      deals: 40,
      seed: 3,
      asOf: TEST_AS_OF,
    });
    expect(portal.status).toBe(201);
    const { portalId, accessToken } = portal.body as { portalId: number; accessToken: string };
    const client = new Client({ accessToken, basePath: sandbox.url });
    expect((await client.crm.deals.basicApi.getPage(100)).results).toHaveLength(40);

    const receiver = await receiverAt('/hooks');
    const app = await json(`${admin}/apps`, 'POST', {
      targetUrl: receiver.url,
      redirectUrls: ['http://localhost:3000/oauth/callback'],
      subscriptions: [{ subscriptionType: 'object.associationChange', objectType: 'deal' }],
    });
    const { appId } = app.body as { appId: number };
    const install = await json(`${admin}/apps/${appId}/installs`, 'POST', { portalId });
    expect(install.body).toMatchObject({ hub_id: portalId, token_type: 'bearer' });

    const edit = await json(`${admin}/portals/${portalId}/objects/deals/5000000`, 'PATCH', {
      properties: { dealname: 'Edited by a user' },
    });
    expect(edit.status).toBe(200);
    const history = await client.crm.deals.basicApi.getById('5000000', ['dealname'], ['dealname']);
    expect(history.propertiesWithHistory?.dealname?.[0]).toMatchObject({
      sourceType: 'CRM_UI',
      updatedByUserId: 2_000_001,
    });
    const linked = sandbox.admin
      .portal(portalId)
      .associations.list('deals', '5000000', 'companies')
      .map((edge) => edge.toId);
    const unlinked = ['1000', '1001', '1002'].find((id) => !linked.includes(id)) ?? '';
    const associate = await json(
      `${admin}/portals/${portalId}/associations/deals/5000000/companies/${unlinked}`,
      'PUT',
      {
        associationTypeId: 341,
      },
    );
    expect(associate.status).toBe(204);
    await json(`${admin}/webhooks/idle`, 'POST');
    expect(receiver.requests.length).toBeGreaterThan(0);

    const invalid = await json(`${admin}/portals/${portalId}/objects/deals/5000000`, 'PATCH', {
      properties: { dealstage: 'nope' },
    });
    expect(invalid.status).toBe(400);
    const stats = await json(`${admin}/stats`);
    expect(stats.body).toMatchObject({ portals: { [portalId]: { requests: 2 } } });
  });
});

describe('persistence', () => {
  it('restores portals, writes, apps and tokens from the state file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'sandbox-state-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const stateFile = join(directory, 'state.json');
    const first = await startSandbox({
      port: 0,
      stateFile,
      portals: [{ companies: 10, deals: 30, asOf: TEST_AS_OF, accessToken: 'pat-fixed-token' }],
    });
    const app = first.admin.registerApp({ clientId: 'kept-client', redirectUrls: [] });
    const client = new Client({ accessToken: 'pat-fixed-token', basePath: first.url });
    await client.crm.companies.basicApi.update('1000', { properties: { name: 'Persisted Inc' } });
    await first.close();

    const second = await sandboxFor({ stateFile, portals: [{ companies: 1, deals: 1 }] });
    expect(second.initialPortals).toEqual([
      { portalId: 9_000_001, accessToken: 'pat-fixed-token' },
    ]);
    const again = new Client({ accessToken: 'pat-fixed-token', basePath: second.url });
    const company = await again.crm.companies.basicApi.getById('1000', ['name'], ['name']);
    expect(company.properties.name).toBe('Persisted Inc');
    expect(company.propertiesWithHistory?.name).toHaveLength(2);
    expect((await again.crm.deals.basicApi.getPage(100)).results).toHaveLength(30);
    expect(second.context.oauth.appByClientId('kept-client')?.appId).toBe(app.appId);
  });
});

describe('command line', () => {
  it('prints one ready line with the base URL, portal, token and app credentials', async () => {
    const child = spawn(
      process.execPath,
      [
        'server/sandbox/main.ts',
        '--port',
        '0',
        '--companies',
        '20',
        '--deals',
        '60',
        '--as-of',
        TEST_AS_OF,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const ready = JSON.parse(line) as Record<string, unknown>;
    expect(ready).toMatchObject({ ready: true, portalId: 9_000_001 });
    expect(Object.keys(ready).sort()).toEqual(
      ['accessToken', 'appId', 'baseUrl', 'clientId', 'clientSecret', 'portalId', 'ready'].sort(),
    );
    const client = new Client({
      accessToken: String(ready.accessToken),
      basePath: String(ready.baseUrl),
    });
    expect((await client.crm.deals.basicApi.getPage(100)).results).toHaveLength(60);
  });
});
