import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredApp } from '../../../server/sandbox/oauth.ts';
import { errorBodySchema, tokenResponseSchema } from './hubspot-schemas.ts';
import { startTestSandbox, type TestSandbox } from './sandbox-fixture.ts';

const REDIRECT = 'http://localhost:3000/oauth/callback';
const SCOPES = ['oauth', 'crm.objects.companies.read', 'crm.objects.deals.read'];

/** A clock the tests move forward to expire tokens without waiting. */
let offsetMs = 0;
const clock = (): number => Date.now() + offsetMs;

let t: TestSandbox;
let app: RegisteredApp;

beforeAll(async () => {
  t = await startTestSandbox(
    { now: clock, accessTokenTtlSeconds: 60 },
    { companies: 10, deals: 30 },
  );
  app = t.sandbox.admin.registerApp({ redirectUrls: [REDIRECT] });
});

afterAll(async () => {
  await t.close();
});

function authorizeUrl(extra: Record<string, string> = {}): string {
  const url = new URL('/oauth/authorize', t.sandbox.url);
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('redirect_uri', REDIRECT);
  url.searchParams.set('scope', SCOPES.join(' '));
  url.searchParams.set('optional_scope', 'tickets');
  url.searchParams.set('state', 'state-123');
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  return url.toString();
}

async function authorizationCode(): Promise<string> {
  const response = await fetch(authorizeUrl({ auto: '1' }), { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
  expect(location.searchParams.get('state')).toBe('state-123');
  return location.searchParams.get('code') ?? '';
}

/** The 2026-03 endpoints through the SDK's raw request, as the app must call them. */
async function tokenCall(path: string, form: Record<string, string>): Promise<Response> {
  const client = new Client({ basePath: t.sandbox.url });
  return client.apiRequest({
    method: 'POST',
    path,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    defaultJson: false,
  });
}

async function exchangeCode(code: string): Promise<Response> {
  return tokenCall('/oauth/2026-03/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    client_id: app.clientId,
    client_secret: app.clientSecret,
  });
}

describe('OAuth install', () => {
  it('shows a consent page, and validates client id and redirect URI', async () => {
    const page = await fetch(authorizeUrl());
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('crm.objects.companies.read');
    const wrongRedirect = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example/cb' }), {
      redirect: 'manual',
    });
    expect(wrongRedirect.status).toBe(400);
    const wrongClient = await fetch(authorizeUrl({ client_id: 'nope' }), { redirect: 'manual' });
    expect(wrongClient.status).toBe(400);
  });

  it('approving the consent form redirects with a code and the state', async () => {
    const form = new URLSearchParams(new URL(authorizeUrl()).searchParams);
    form.set('portal_id', String(t.portalId));
    const response = await fetch(`${t.sandbox.url}/oauth/authorize`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();
  });

  it('exchanges a single-use code for tokens carrying hub_id, and the token reads the portal', async () => {
    const code = await authorizationCode();
    const response = await exchangeCode(code);
    expect(response.status).toBe(200);
    const tokens = tokenResponseSchema.parse(await response.json());
    expect(tokens).toMatchObject({ hub_id: t.portalId, expires_in: 60, token_type: 'bearer' });
    expect(tokens.scopes).toEqual([...SCOPES, 'tickets']);
    const client = new Client({ accessToken: tokens.access_token, basePath: t.sandbox.url });
    const page = await client.crm.companies.basicApi.getPage(5);
    expect(page.results).toHaveLength(5);

    const again = await exchangeCode(code);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ status: 'BAD_AUTH_CODE' });
  });

  it('answers 403 MISSING_SCOPES when a token lacks the route’s scope', async () => {
    const tokens = tokenResponseSchema.parse(
      await (await exchangeCode(await authorizationCode())).json(),
    );
    const response = await t.call('/crm/v3/objects/companies/batch/update', {
      method: 'POST',
      token: tokens.access_token,
      body: { inputs: [{ id: '1000', properties: { name: 'x' } }] },
    });
    expect(response.status).toBe(403);
    const body = errorBodySchema.parse(response.body);
    expect(body.category).toBe('MISSING_SCOPES');
    expect(body.errors?.[0]?.context).toEqual({
      requiredGranularScopes: ['crm.objects.companies.write'],
    });
  });

  it('expires access tokens after expires_in (401 EXPIRED_AUTHENTICATION) and refreshes them', async () => {
    const tokens = tokenResponseSchema.parse(
      await (await exchangeCode(await authorizationCode())).json(),
    );
    offsetMs += 61_000;
    const expired = await t.call('/crm/v3/objects/companies?limit=1', {
      token: tokens.access_token,
    });
    expect(expired.status).toBe(401);
    expect(errorBodySchema.parse(expired.body).category).toBe('EXPIRED_AUTHENTICATION');

    const refreshed = tokenResponseSchema.parse(
      await (
        await tokenCall('/oauth/2026-03/token', {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: app.clientId,
          client_secret: app.clientSecret,
        })
      ).json(),
    );
    expect(refreshed.hub_id).toBe(t.portalId);
    expect(
      (await t.call('/crm/v3/objects/companies?limit=1', { token: refreshed.access_token })).status,
    ).toBe(200);
  });

  it('introspects and revokes: a revoked refresh token ends its access tokens', async () => {
    const tokens = tokenResponseSchema.parse(
      await (await exchangeCode(await authorizationCode())).json(),
    );
    const credentials = { client_id: app.clientId, client_secret: app.clientSecret };
    const introspection = await tokenCall('/oauth/2026-03/token/introspect', {
      token: tokens.access_token,
      ...credentials,
    });
    expect(await introspection.json()).toMatchObject({
      active: true,
      hub_id: t.portalId,
      token_type: 'access_token',
    });

    const revoke = await tokenCall('/oauth/2026-03/token/revoke', {
      token: tokens.refresh_token,
      ...credentials,
    });
    expect(revoke.status).toBe(204);
    const after = await t.call('/crm/v3/objects/companies?limit=1', { token: tokens.access_token });
    expect(after.status).toBe(401);
    expect(errorBodySchema.parse(after.body).category).toBe('INVALID_AUTHENTICATION');
    const inactive = await tokenCall('/oauth/2026-03/token/introspect', {
      token: tokens.refresh_token,
      ...credentials,
    });
    expect(await inactive.json()).toEqual({ active: false });
    const refresh = await tokenCall('/oauth/2026-03/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      ...credentials,
    });
    expect(await refresh.json()).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
  });

  it('rejects unknown and missing bearer tokens with 401 INVALID_AUTHENTICATION', async () => {
    const unknown = await t.call('/crm/v3/objects/deals', { token: 'not-a-token' });
    expect(unknown.status).toBe(401);
    expect(errorBodySchema.parse(unknown.body).category).toBe('INVALID_AUTHENTICATION');
    const missing = await fetch(`${t.sandbox.url}/crm/v3/objects/deals`);
    expect(missing.status).toBe(401);
  });
});
