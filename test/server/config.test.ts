import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OAUTH = {
  HUBSPOT_CLIENT_ID: 'client-id',
  HUBSPOT_CLIENT_SECRET: 'client-secret',
  TOKEN_ENCRYPTION_KEY: KEY,
};

describe('loadConfig', () => {
  it('applies the documented defaults in OAuth mode', () => {
    const config = loadConfig(OAUTH);
    expect(config.port).toBe(3000);
    expect(config.publicBaseUrl).toBe('http://localhost:3000');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.hubspot.apiBaseUrl).toBe('https://api.hubapi.com');
    expect(config.hubspot.authorizeUrl).toBe('https://app.hubspot.com/oauth/authorize');
    expect(config.tokenEncryptionKey?.length).toBe(32);
    expect(config.recomputeDebounceMs).toBe(1000);
    expect(config.http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_000,
    });
    expect(config.metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(config.trustProxyHops).toBe(0);
    expect(config.installsPerMinute).toBe(10);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('needs no OAuth credentials in single-portal mode', () => {
    const config = loadConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-1', PORT: '0' });
    expect(config.hubspot.accessToken).toBe('pat-1');
    expect(config.port).toBe(0);
  });

  it('names every missing OAuth variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(
      /HUBSPOT_CLIENT_ID: is required in OAuth mode[\s\S]*HUBSPOT_CLIENT_SECRET[\s\S]*TOKEN_ENCRYPTION_KEY/,
    );
  });

  it.each([
    ['PORT', { PORT: 'eighty' }, /PORT: /],
    ['REDIS_URL', { REDIS_URL: 'http://localhost:6379' }, /REDIS_URL: /],
    [
      'TOKEN_ENCRYPTION_KEY',
      { TOKEN_ENCRYPTION_KEY: 'short' },
      /TOKEN_ENCRYPTION_KEY: must be 32 bytes/,
    ],
    ['PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'not a url' }, /PUBLIC_BASE_URL: /],
    [
      'HTTP_HEADERS_TIMEOUT_MS',
      { HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' },
      /HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS/,
    ],
    ['HTTP_MAX_CONNECTIONS', { HTTP_MAX_CONNECTIONS: '0' }, /HTTP_MAX_CONNECTIONS: /],
    ['METRICS_PORT', { METRICS_PORT: '70000' }, /METRICS_PORT: /],
    ['TRUST_PROXY_HOPS', { TRUST_PROXY_HOPS: 'true' }, /TRUST_PROXY_HOPS: /],
    [
      'OAUTH_INSTALLS_PER_MINUTE',
      { OAUTH_INSTALLS_PER_MINUTE: '0' },
      /OAUTH_INSTALLS_PER_MINUTE: /,
    ],
  ])('refuses a bad %s and names it', (_name, env, message) => {
    expect(() => loadConfig({ ...OAUTH, ...env })).toThrow(message);
  });

  it('accepts a hex key and strips a trailing slash from origins', () => {
    const config = loadConfig({
      ...OAUTH,
      TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
      PUBLIC_BASE_URL: 'https://kam.example.com/',
    });
    expect(config.tokenEncryptionKey?.toString('hex')).toBe('ab'.repeat(32));
    expect(config.publicBaseUrl).toBe('https://kam.example.com');
  });
});
