import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The cookie that binds an install's OAuth state to the browser that started it. */
export const INSTALL_STATE_COOKIE = 'kam_install_state';

/** An install must come back from HubSpot's consent page within this long. */
export const INSTALL_STATE_TTL_MS = 10 * 60_000;

const STATE = /^[A-Za-z0-9_-]{32}$/;

/**
 * The state cookie's MAC key, derived from the client secret so that nothing
 * else the secret signs (HubSpot's request signatures) can pass as a state.
 */
function stateKey(clientSecret: string): Buffer {
  return createHmac('sha256', clientSecret).update('kam install state v1').digest();
}

function mac(clientSecret: string, payload: string): Buffer {
  return createHmac('sha256', stateKey(clientSecret)).update(payload).digest();
}

/**
 * A fresh OAuth state and the signed cookie value that carries it,
 * `state.expiresAt.mac`: the state lives in the browser, not in Redis, so an
 * anonymous `GET /oauth/install` stores nothing.
 */
export function issueInstallState(
  clientSecret: string,
  now: number,
): { state: string; cookie: string } {
  const state = randomBytes(24).toString('base64url');
  const payload = `${state}.${now + INSTALL_STATE_TTL_MS}`;
  return { state, cookie: `${payload}.${mac(clientSecret, payload).toString('base64url')}` };
}

/**
 * Whether the callback's `state` is the one this browser's cookie carries,
 * the cookie was signed by this app, and it has not expired.
 */
export function isInstallStateValid(
  clientSecret: string,
  cookie: string | undefined,
  state: unknown,
  now: number,
): boolean {
  if (cookie === undefined || typeof state !== 'string' || !STATE.test(state)) return false;
  const [cookieState, expiresAt, signature, ...extra] = cookie.split('.');
  if (cookieState === undefined || expiresAt === undefined || signature === undefined) return false;
  if (extra.length > 0 || !/^\d{1,15}$/.test(expiresAt) || Number(expiresAt) <= now) return false;
  const expected = mac(clientSecret, `${cookieState}.${expiresAt}`);
  const given = Buffer.from(signature, 'base64url');
  // The state itself travels in the URL and is no secret; the MAC is.
  return (
    given.length === expected.length && timingSafeEqual(given, expected) && cookieState === state
  );
}
