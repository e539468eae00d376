/**
 * Issue 14, security round 2, items 1–3 (and 11's OAuth error page): the
 * install is bound to the browser that started it, floods are refused per
 * client address, junk codes are a 400 page and a warning, anonymous
 * installs leave Redis as it was, and only a refusal for good from HubSpot's
 * token endpoint logs a portal out.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { startAppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { createOAuthClient, OAuthUnavailableError } from '../../../server/hubspot/oauth-client.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import { refreshWithRetry } from '../../../server/tokens/token-refresh.ts';
import { createTokenStore, NeedsReauthError } from '../../../server/tokens/token-store.ts';
import type { TestRedis } from '../../support/redis-server.ts';
import { startTestRedis } from '../../support/redis-server.ts';

const TOKEN_ROUTE = 'POST /oauth/2026-03/token';

let redis: TestRedis;
let connection: Redis;
let sandbox: Sandbox;
/** The app as deployed behind one proxy, with the default 10 installs a minute per address. */
let app: AppOnSandbox;
let portalId: number;
const logLines: { level: number; msg: string; err?: { stack?: string } }[] = [];
let clock = Date.now();

beforeAll(async () => {
  redis = await startTestRedis();
  connection = redis.connect();
  sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    portals: [{ companies: 10, deals: 40, seed: 14, asOf: new Date().toISOString() }],
  });
  portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
          logLines.push(JSON.parse(line) as (typeof logLines)[number]);
        }
        done();
      },
    }),
  );
  app = await startAppOnSandbox(sandbox, {
    redisUrl: redis.url,
    logger,
    now: () => clock,
    worker: false,
    env: { TRUST_PROXY_HOPS: '1' },
  });
}, 60_000);

afterAll(async () => {
  await app.backend.stop();
  await sandbox.close();
  await redis.stop();
});

const tokenCalls = (): number => sandbox.stats().portals.none?.byRoute[TOKEN_ROUTE] ?? 0;

/** A client at `address` behind the deployment's one proxy. */
const from = (address: string): Record<string, string> => ({ 'X-Forwarded-For': address });

interface StartedInstall {
  readonly status: number;
  /** Where the install sends the browser: HubSpot's consent page. */
  readonly location: string;
  /** The `Cookie` header a browser would send back to the app. */
  readonly cookie: string;
}

async function startInstall(address: string, base = app.publicBaseUrl): Promise<StartedInstall> {
  const response = await fetch(`${base}/oauth/install`, {
    redirect: 'manual',
    headers: from(address),
  });
  await response.body?.cancel();
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .join('; ');
  return { status: response.status, location: response.headers.get('location') ?? '', cookie };
}

/** HubSpot's consent page approves and sends the browser back: the callback URL with code and state. */
async function consent(location: string): Promise<URL> {
  const response = await fetch(location, { redirect: 'manual' });
  await response.body?.cancel();
  return new URL(response.headers.get('location') ?? '');
}

function callback(url: URL | string, address: string, cookie?: string): Promise<Response> {
  return fetch(url, {
    redirect: 'manual',
    headers: { ...from(address), ...(cookie === undefined ? {} : { Cookie: cookie }) },
  });
}

describe('anonymous installs leave nothing in Redis (item 3)', () => {
  it('10,000 installs that each got a state add one key: the rate limit’s count for the address', async () => {
    // A deployment allowing every one of them, so only the state's own cost is
    // measured, on a Redis of its own.
    const own = await startTestRedis();
    const ownConnection = own.connect();
    // BullMQ writes its queue's meta key when the backend starts, whenever that lands.
    const keys = async (): Promise<string[]> =>
      (await ownConnection.keys('*')).filter((key) => !key.startsWith('bull:')).sort();
    const open = await startAppOnSandbox(sandbox, {
      redisUrl: own.url,
      logger: pino({ level: 'silent' }),
      worker: false,
      env: { OAUTH_INSTALLS_PER_MINUTE: '20000' },
    });
    try {
      const before = await keys();
      const statuses = new Map<number, number>();
      const states = new Set<string>();
      for (let batch = 0; batch < 200; batch += 1) {
        const started = await Promise.all(
          Array.from({ length: 50 }, () => startInstall('203.0.113.1', open.publicBaseUrl)),
        );
        for (const install of started) {
          statuses.set(install.status, (statuses.get(install.status) ?? 0) + 1);
          states.add(new URL(install.location).searchParams.get('state') ?? '');
          expect(install.cookie).toMatch(/^kam_install_state=/);
        }
      }
      expect(Object.fromEntries(statuses)).toEqual({ 302: 10_000 });
      expect(states.size).toBe(10_000);
      const added = (await keys()).filter((key) => !before.includes(key));
      expect(added).toEqual(['kam:client-limit:oauth-install:127.0.0.1']);
    } finally {
      await open.backend.stop();
      await own.stop();
    }
  }, 120_000);
});

describe('the install is bound to the browser that started it (item 2)', () => {
  it('installs with the cookie the install set', async () => {
    await app.install();
    expect(await app.backend.stores.tokens.status(portalId)).toBe('active');
  });

  it('refuses a callback without the cookie, before calling HubSpot', async () => {
    const attacker = await startInstall('198.51.100.10');
    const link = await consent(attacker.location);
    const calls = tokenCalls();
    const response = await callback(link, '198.51.100.11'); // the victim's browser: no cookie
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('not started in this browser');
    expect(tokenCalls()).toBe(calls);
  });

  it('refuses a callback with another install’s cookie, a forged one, or an expired one', async () => {
    const mine = await startInstall('198.51.100.20');
    const other = await startInstall('198.51.100.20');
    const link = await consent(mine.location);
    const state = link.searchParams.get('state') ?? '';
    const [, expiresAt = '', mac = ''] = (other.cookie.split('=')[1] ?? '').split('.');
    const calls = tokenCalls();
    for (const cookie of [
      other.cookie,
      `kam_install_state=${state}.${expiresAt}.${mac}`, // my state under the other's signature
      `kam_install_state=${state}.${expiresAt}.${randomBytes(32).toString('base64url')}`,
    ]) {
      const response = await callback(link, '198.51.100.20', cookie);
      expect(response.status).toBe(400);
      await response.body?.cancel();
    }
    clock += 11 * 60_000;
    try {
      const late = await callback(link, '198.51.100.20', mine.cookie);
      expect(late.status).toBe(400);
      await late.body?.cancel();
    } finally {
      clock -= 11 * 60_000;
    }
    expect(tokenCalls()).toBe(calls);
    // The cookie is HttpOnly, SameSite=Lax and only sent back to the callback.
    const response = await fetch(`${app.publicBaseUrl}/oauth/install`, {
      redirect: 'manual',
      headers: from('198.51.100.21'),
    });
    expect(response.headers.get('set-cookie')).toMatch(
      /^kam_install_state=[^;]+; Max-Age=600; Path=\/oauth\/callback; Expires=[^;]+; HttpOnly; SameSite=Lax$/,
    );
  });
});

describe('floods are refused per client address (item 2)', () => {
  it('answers the 11th install of a minute from one address with 429, and others still install', async () => {
    const answers = [];
    for (let i = 0; i < 30; i += 1) answers.push((await startInstall('192.0.2.1')).status);
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(302));
    expect(answers.slice(10)).toEqual(Array(20).fill(429));
    const refused = await fetch(`${app.publicBaseUrl}/oauth/install`, {
      redirect: 'manual',
      headers: from('192.0.2.1'),
    });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('Too many install attempts');
    expect((await startInstall('192.0.2.2')).status).toBe(302);
  });

  it('counts the addresses of one IPv6 /64 as one client', async () => {
    const answers = [];
    for (let i = 1; i <= 11; i += 1)
      answers.push((await startInstall(`2001:db8:5:6::${i}`)).status);
    expect(answers).toEqual([...Array<number>(10).fill(302), 429]);
    expect((await startInstall('2001:db8:5:7::1')).status).toBe(302);
  });

  it('answers a flood of junk callbacks with 429 after ten, and calls HubSpot for none', async () => {
    const calls = tokenCalls();
    const answers = [];
    for (let i = 0; i < 30; i += 1) {
      const response = await callback(
        `${app.publicBaseUrl}/oauth/callback?state=${'a'.repeat(32)}&code=junk-${i}`,
        '192.0.2.3',
      );
      answers.push(response.status);
      await response.body?.cancel();
    }
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(answers.slice(10)).toEqual(Array(20).fill(429));
    expect(tokenCalls()).toBe(calls);
  });
});

describe('a code HubSpot refuses, and HubSpot’s own error (items 2 and 11)', () => {
  it('answers a junk code with a 400 page and a warning, never an error with a stack', async () => {
    const install = await startInstall('192.0.2.10');
    const link = await consent(install.location);
    link.searchParams.set('code', 'junk');
    const logged = logLines.length;
    const response = await callback(link, '192.0.2.10', install.cookie);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('HubSpot refused the authorisation code');
    const lines = logLines.slice(logged);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.some((line) => line.err?.stack !== undefined)).toBe(false);
    expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual([
      'install: HubSpot refused the authorisation code',
    ]);
  });

  it('shows HubSpot’s error on a plain page, escaped', async () => {
    const response = await callback(
      `${app.publicBaseUrl}/oauth/callback?error=${encodeURIComponent('<script>alert(1)</script>')}`,
      '192.0.2.11',
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('a token refresh HubSpot refuses for now keeps the tokens (item 1)', () => {
  type Outcome = 'refreshed' | 'kept' | 'needs_reauth';
  type Fault = { tokenErrors: number; tokenErrorStatus: 0 | 401 | 408 | 429 | 502 | 503 };
  const rows: [string, Outcome, number, Fault | 'revoked'][] = [
    ['400 BAD_REFRESH_TOKEN (access revoked)', 'needs_reauth', 1, 'revoked'],
    ['401', 'needs_reauth', 1, { tokenErrors: 1, tokenErrorStatus: 401 }],
    ['429 once', 'refreshed', 2, { tokenErrors: 1, tokenErrorStatus: 429 }],
    ['408 once', 'refreshed', 2, { tokenErrors: 1, tokenErrorStatus: 408 }],
    ['503 once', 'refreshed', 2, { tokenErrors: 1, tokenErrorStatus: 503 }],
    ['a timeout once', 'refreshed', 2, { tokenErrors: 1, tokenErrorStatus: 0 }],
    ['502 lasting', 'kept', 4, { tokenErrors: 10, tokenErrorStatus: 502 }],
    ['429 lasting', 'kept', 4, { tokenErrors: 10, tokenErrorStatus: 429 }],
  ];

  it.each(rows)(
    '%s → %s after %i attempt(s)',
    async (name, outcome, calls, fault) => {
      sandbox.faults.update({ hangMs: 1_000 });
      const registered = sandbox.admin.registerApp({});
      const oauth = createOAuthClient({
        baseUrl: sandbox.url,
        clientId: registered.clientId,
        clientSecret: registered.clientSecret,
        timeoutMs: 300,
      });
      let attempts = 0;
      const counted = {
        refresh: (token: string) => {
          attempts += 1;
          return oauth.refresh(token);
        },
      };
      // The same refresh the backend wires into its token store, on a store of its own.
      const store = createTokenStore({
        redis: connection,
        key: randomBytes(32),
        prefix: `matrix-${registered.appId}`,
        refresh: refreshWithRetry(counted, { now: Date.now, policy: { baseDelayMs: 50 } }),
      });
      const issued = sandbox.admin.installApp(registered.appId, portalId);
      await store.save(portalId, {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token,
        expiresAt: Date.now() + issued.expires_in * 1000,
        scopes: issued.scopes,
      });
      if (fault === 'revoked') sandbox.admin.revokeAppTokens(registered.appId, portalId);
      else sandbox.faults.update(fault);
      const started = Date.now();
      const result = await store.refreshNow(portalId).catch((error: unknown) => error);
      const took = Date.now() - started;
      sandbox.faults.update({ tokenErrors: 0 });

      expect(attempts).toBe(calls);
      if (outcome === 'needs_reauth') {
        expect(result).toBeInstanceOf(NeedsReauthError);
        expect(await store.status(portalId)).toBe('needs_reauth');
        return;
      }
      expect(await store.status(portalId)).toBe('active');
      if (outcome === 'refreshed') {
        expect(typeof result).toBe('string');
        expect(result).not.toBe(issued.access_token);
        // HubSpot's Retry-After: 1 was waited out.
        if (name.startsWith('429')) expect(took).toBeGreaterThanOrEqual(1_000);
      } else {
        expect(result).toBeInstanceOf(OAuthUnavailableError);
        // The tokens are still there: the next call tries again and gets through.
        expect(await store.refreshNow(portalId)).not.toBe(issued.access_token);
      }
    },
    30_000,
  );
});
