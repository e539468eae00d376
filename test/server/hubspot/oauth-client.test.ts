import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createOAuthClient,
  OAuthError,
  OAuthRefusedError,
  OAuthUnavailableError,
} from '../../../server/hubspot/oauth-client.ts';

const BASE = 'https://api.hubapi.com';
const oauth = createOAuthClient({ baseUrl: BASE, clientId: 'client-1', clientSecret: 'secret-1' });

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
});

const issued = {
  access_token: 'CK-access',
  refresh_token: 'na1-refresh',
  expires_in: 1800,
  token_type: 'bearer',
  hub_id: 9000001,
  user_id: 2000001,
  scopes: ['oauth', 'crm.objects.companies.read'],
};

/** Answers the token endpoint and keeps the form it received. */
function tokenEndpoint(status: number, body: unknown) {
  const received: Record<string, string>[] = [];
  nock(BASE)
    .post('/oauth/2026-03/token')
    .matchHeader('content-type', /application\/x-www-form-urlencoded/)
    .reply(async (request: Request) => {
      received.push(Object.fromEntries(new URLSearchParams(await request.text())));
      return [status, body as nock.Body];
    });
  return received;
}

describe('OAuth 2026-03 token endpoints', () => {
  it('exchanges an authorization code, form-encoded, and reads hub_id and scopes', async () => {
    const received = tokenEndpoint(200, issued);
    const tokens = await oauth.exchangeCode('code-1', 'https://kam.example.com/oauth/callback');
    expect(received).toEqual([
      {
        grant_type: 'authorization_code',
        code: 'code-1',
        redirect_uri: 'https://kam.example.com/oauth/callback',
        client_id: 'client-1',
        client_secret: 'secret-1',
      },
    ]);
    expect(tokens).toEqual({
      accessToken: 'CK-access',
      refreshToken: 'na1-refresh',
      expiresInSeconds: 1800,
      tokenType: 'bearer',
      hubId: 9000001,
      scopes: ['oauth', 'crm.objects.companies.read'],
    });
  });

  it('refreshes with the refresh_token grant', async () => {
    const received = tokenEndpoint(200, { ...issued, access_token: 'CK-next' });
    const tokens = await oauth.refresh('na1-refresh');
    expect(received[0]).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'na1-refresh',
    });
    expect(tokens.accessToken).toBe('CK-next');
  });

  it('a refused refresh is an OAuthRefusedError with HubSpot code, and never shows the token', async () => {
    tokenEndpoint(400, {
      status: 'BAD_REFRESH_TOKEN',
      message: 'missing or invalid refresh token',
      correlationId: 'c-1',
    });
    const error: unknown = await oauth
      .refresh('na1-secret-refresh')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthRefusedError);
    expect(error).toMatchObject({
      httpStatus: 400,
      code: 'BAD_REFRESH_TOKEN',
      correlationId: 'c-1',
    });
    expect(String((error as Error).message)).not.toContain('na1-secret-refresh');
    expect(String((error as Error).message)).not.toContain('secret-1');
  });

  it('a 5xx is OAuthUnavailableError (retry later), not a refusal', async () => {
    tokenEndpoint(503, { message: 'unavailable' });
    const error: unknown = await oauth.refresh('r').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthUnavailableError);
    expect(error).not.toBeInstanceOf(OAuthRefusedError);
    expect(error).toBeInstanceOf(OAuthError);
  });

  it.each<[string, number, object, Record<string, string>, string]>([
    ['400 BAD_REFRESH_TOKEN', 400, { status: 'BAD_REFRESH_TOKEN' }, {}, 'refused'],
    ['400 invalid_grant (RFC 6749 body)', 400, { error: 'invalid_grant' }, {}, 'refused'],
    ['401 (access revoked)', 401, { message: 'revoked' }, {}, 'refused'],
    ['429 with Retry-After', 429, { errorType: 'RATE_LIMIT' }, { 'Retry-After': '2' }, 'later'],
    ['408', 408, {}, {}, 'later'],
    [
      '400 BAD_CLIENT_SECRET (our configuration)',
      400,
      { status: 'BAD_CLIENT_SECRET' },
      {},
      'other',
    ],
  ])('%s is classified %s', async (_name, status, body, headers, kind) => {
    nock(BASE).post('/oauth/2026-03/token').reply(status, body, headers);
    const error: unknown = await oauth.refresh('r').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthError);
    expect(error instanceof OAuthRefusedError).toBe(kind === 'refused');
    expect(error instanceof OAuthUnavailableError).toBe(kind === 'later');
    if (headers['Retry-After'] !== undefined)
      expect((error as OAuthUnavailableError).retryAfterMs).toBe(2_000);
  });

  it('a token response without hub_id is refused as unexpected, naming fields only', async () => {
    tokenEndpoint(200, { ...issued, hub_id: undefined });
    const error: unknown = await oauth
      .exchangeCode('c', 'https://x')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OAuthUnavailableError);
    expect((error as Error).message).toContain('hub_id');
    expect((error as Error).message).not.toContain('CK-access');
  });

  it('introspects a token', async () => {
    nock(BASE)
      .post('/oauth/2026-03/token/introspect')
      .reply(200, {
        active: true,
        token_type: 'access_token',
        client_id: 'client-1',
        app_id: 3000001,
        hub_id: 9000001,
        user_id: 2000001,
        scopes: ['oauth'],
        expires_in: 1200,
      });
    expect(await oauth.introspect('CK-access')).toEqual({
      active: true,
      tokenType: 'access_token',
      hubId: 9000001,
      appId: 3000001,
      scopes: ['oauth'],
      expiresInSeconds: 1200,
    });
    nock(BASE).post('/oauth/2026-03/token/introspect').reply(200, { active: false });
    expect(await oauth.introspect('gone')).toMatchObject({ active: false, hubId: null });
  });

  it('revokes a token (204)', async () => {
    const scope = nock(BASE).post('/oauth/2026-03/token/revoke').reply(204);
    await oauth.revoke('na1-refresh');
    expect(scope.isDone()).toBe(true);
  });

  it('an unreachable HubSpot is OAuthUnavailableError (network denied here)', async () => {
    await expect(oauth.refresh('r')).rejects.toBeInstanceOf(OAuthUnavailableError);
  });
});
