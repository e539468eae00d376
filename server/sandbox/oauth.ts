import { randomBytes, randomUUID } from 'node:crypto';
import {
  expiredAuthentication,
  HubSpotError,
  invalidAuthentication,
  newCorrelationId,
} from './errors.ts';
import { ALL_SCOPES } from './object-types.ts';

export const SUBSCRIPTION_TYPES = [
  'object.creation',
  'object.deletion',
  'object.propertyChange',
  'object.associationChange',
] as const;
export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[number];

/** A webhook subscription as an app's `webhooks-hsmeta.json` declares it. */
export interface WebhookSubscription {
  readonly id: number;
  readonly subscriptionType: SubscriptionType;
  /** `deal` or `company` (singular, as in the project config). */
  readonly objectType: string;
  /** Required for `object.propertyChange`: one subscription per property. */
  readonly propertyName?: string;
  readonly active: boolean;
}

export interface RegisteredApp {
  readonly appId: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUrls: readonly string[];
  readonly targetUrl?: string;
  readonly subscriptions: readonly WebhookSubscription[];
}

export interface AppRegistration {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly redirectUrls?: readonly string[];
  readonly targetUrl?: string;
  readonly subscriptions?: readonly Omit<WebhookSubscription, 'id' | 'active'>[];
}

/** Who a bearer token speaks for. */
export interface Principal {
  readonly portalId: number;
  /** `null` for a private-app (static) token. */
  readonly appId: number | null;
  readonly scopes: readonly string[];
  readonly kind: 'oauth' | 'private';
}

interface AccessTokenRecord {
  readonly appId: number;
  readonly portalId: number;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  readonly refreshToken: string;
  readonly userId: number;
  revoked: boolean;
}

interface RefreshTokenRecord {
  readonly appId: number;
  readonly portalId: number;
  readonly scopes: readonly string[];
  readonly userId: number;
  revoked: boolean;
}

interface AuthCodeRecord {
  readonly appId: number;
  readonly portalId: number;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly userId: number;
  readonly expiresAt: number;
  used: boolean;
}

interface PrivateTokenRecord {
  readonly portalId: number;
  readonly scopes: readonly string[];
}

/** The OAuth registry in the state file. */
export interface SerialisedOAuth {
  readonly apps: RegisteredApp[];
  readonly installs: string[];
  readonly accessTokens: Record<string, AccessTokenRecord>;
  readonly refreshTokens: Record<string, RefreshTokenRecord>;
  readonly privateTokens: Record<string, PrivateTokenRecord>;
  readonly nextAppId: number;
  readonly nextSubscriptionId: number;
}

/** The token endpoint's answer, HubSpot's 2026-03 shape. */
export interface TokenResponse {
  readonly access_token: string;
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly token_type: 'bearer';
  readonly hub_id: number;
  readonly user_id: number;
  readonly scopes: readonly string[];
}

/**
 * The OAuth endpoints answer errors with a status word instead of
 * `"error"` (`BAD_AUTH_CODE`, `BAD_REFRESH_TOKEN`, `BAD_CLIENT_ID`, ...).
 */
export class OAuthError extends HubSpotError {
  readonly statusWord: string;

  constructor(statusWord: string, message: string) {
    super(400, 'BAD_REQUEST', message);
    this.statusWord = statusWord;
  }

  override toBody(): Record<string, unknown> {
    return { status: this.statusWord, message: this.message, correlationId: newCorrelationId() };
  }
}

export interface OAuthOptions {
  readonly now: () => number;
  /** `expires_in` of access tokens; HubSpot's is 1800 s. */
  readonly accessTokenTtlSeconds: number;
  /** How long an authorization code stays redeemable. */
  readonly authCodeTtlMs: number;
}

/** The user the sandbox pretends approved installs and made UI changes. */
export const SANDBOX_USER = { id: 2_000_001, email: 'admin@sandbox.example' } as const;

function token(prefix: string): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}

/** Apps, installs, authorization codes and tokens of the sandbox. */
export class OAuthRegistry {
  readonly #options: OAuthOptions;
  readonly #apps = new Map<number, RegisteredApp>();
  readonly #codes = new Map<string, AuthCodeRecord>();
  readonly #accessTokens = new Map<string, AccessTokenRecord>();
  readonly #refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly #privateTokens = new Map<string, PrivateTokenRecord>();
  readonly #installs = new Set<string>();
  #nextAppId = 3_000_001;
  #nextSubscriptionId = 1;

  constructor(options: OAuthOptions) {
    this.#options = options;
  }

  /** Registers an app as a HubSpot developer project would, with its webhook settings. */
  registerApp(registration: AppRegistration): RegisteredApp {
    if (
      registration.clientId !== undefined &&
      this.appByClientId(registration.clientId) !== undefined
    ) {
      throw new HubSpotError(
        409,
        'OBJECT_ALREADY_EXISTS',
        `An app with client id ${registration.clientId} exists.`,
      );
    }
    const appId = this.#nextAppId++;
    const app: RegisteredApp = {
      appId,
      clientId: registration.clientId ?? randomUUID(),
      clientSecret: registration.clientSecret ?? randomUUID(),
      redirectUrls: registration.redirectUrls ?? [],
      ...(registration.targetUrl === undefined ? {} : { targetUrl: registration.targetUrl }),
      subscriptions: (registration.subscriptions ?? []).map((subscription) => ({
        ...subscription,
        id: this.#nextSubscriptionId++,
        active: true,
      })),
    };
    this.#apps.set(appId, app);
    return app;
  }

  apps(): RegisteredApp[] {
    return [...this.#apps.values()];
  }

  app(appId: number): RegisteredApp | undefined {
    return this.#apps.get(appId);
  }

  appByClientId(clientId: string): RegisteredApp | undefined {
    return [...this.#apps.values()].find((app) => app.clientId === clientId);
  }

  /** Apps installed in a portal (they receive its webhooks). */
  installedApps(portalId: number): RegisteredApp[] {
    return this.apps().filter((app) => this.#installs.has(`${app.appId}:${portalId}`));
  }

  /** A static private-app token for single-portal mode; it carries every sandbox scope by default. */
  addPrivateToken(
    portalId: number,
    scopes: readonly string[] = ALL_SCOPES,
    value?: string,
  ): string {
    const issued = value ?? token('pat-sandbox');
    this.#privateTokens.set(issued, { portalId, scopes });
    return issued;
  }

  /** The private-app tokens of a portal, oldest first. */
  privateTokensOf(portalId: number): string[] {
    return [...this.#privateTokens]
      .filter(([, record]) => record.portalId === portalId)
      .map(([value]) => value);
  }

  /** The consent step: the user approved, HubSpot hands out a single-use code. */
  issueCode(
    app: RegisteredApp,
    portalId: number,
    redirectUri: string,
    scopes: readonly string[],
  ): string {
    const code = randomUUID();
    this.#codes.set(code, {
      appId: app.appId,
      portalId,
      redirectUri,
      scopes,
      userId: SANDBOX_USER.id,
      expiresAt: this.#options.now() + this.#options.authCodeTtlMs,
      used: false,
    });
    return code;
  }

  #clientApp(clientId: string | undefined, clientSecret: string | undefined): RegisteredApp {
    const app = clientId === undefined ? undefined : this.appByClientId(clientId);
    if (app === undefined) throw new OAuthError('BAD_CLIENT_ID', 'missing or unknown client id');
    if (app.clientSecret !== clientSecret)
      throw new OAuthError('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    return app;
  }

  #issueTokens(
    app: RegisteredApp,
    portalId: number,
    scopes: readonly string[],
    userId: number,
    refresh?: string,
  ): TokenResponse {
    const refreshToken = refresh ?? token('na1-refresh');
    if (refresh === undefined) {
      this.#refreshTokens.set(refreshToken, {
        appId: app.appId,
        portalId,
        scopes,
        userId,
        revoked: false,
      });
    }
    const accessToken = token('CK-sandbox');
    this.#accessTokens.set(accessToken, {
      appId: app.appId,
      portalId,
      scopes,
      userId,
      refreshToken,
      expiresAt: this.#options.now() + this.#options.accessTokenTtlSeconds * 1000,
      revoked: false,
    });
    this.#installs.add(`${app.appId}:${portalId}`);
    return {
      access_token: accessToken,
      refresh_token: refreshToken,
      expires_in: this.#options.accessTokenTtlSeconds,
      token_type: 'bearer',
      hub_id: portalId,
      user_id: userId,
      scopes,
    };
  }

  /** Installs an app without the browser round trip (tests, benchmarks). */
  install(app: RegisteredApp, portalId: number, scopes: readonly string[]): TokenResponse {
    return this.#issueTokens(app, portalId, scopes, SANDBOX_USER.id);
  }

  /** `grant_type=authorization_code` and `grant_type=refresh_token`. */
  exchange(form: Readonly<Record<string, string | undefined>>): TokenResponse {
    const app = this.#clientApp(form.client_id, form.client_secret);
    if (form.grant_type === 'authorization_code') {
      const record = form.code === undefined ? undefined : this.#codes.get(form.code);
      if (record === undefined || record.appId !== app.appId || record.used) {
        throw new OAuthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      }
      if (record.expiresAt <= this.#options.now())
        throw new OAuthError('BAD_AUTH_CODE', 'auth code expired');
      if (form.redirect_uri !== record.redirectUri) {
        throw new OAuthError(
          'BAD_REDIRECT_URI',
          'redirect_uri does not match the one used to authorize',
        );
      }
      record.used = true;
      return this.#issueTokens(app, record.portalId, record.scopes, record.userId);
    }
    if (form.grant_type === 'refresh_token') {
      const refresh = form.refresh_token;
      const record = refresh === undefined ? undefined : this.#refreshTokens.get(refresh);
      if (
        refresh === undefined ||
        record === undefined ||
        record.revoked ||
        record.appId !== app.appId
      ) {
        throw new OAuthError('BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
      }
      return this.#issueTokens(app, record.portalId, record.scopes, record.userId, refresh);
    }
    throw new OAuthError('BAD_GRANT_TYPE', `unsupported grant_type ${String(form.grant_type)}`);
  }

  /** `POST /oauth/2026-03/token/introspect`. */
  introspect(form: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
    const app = this.#clientApp(form.client_id, form.client_secret);
    const value = form.token ?? '';
    const access = this.#accessTokens.get(value);
    const now = this.#options.now();
    if (
      access !== undefined &&
      access.appId === app.appId &&
      !access.revoked &&
      access.expiresAt > now
    ) {
      return {
        active: true,
        token_type: 'access_token',
        client_id: app.clientId,
        app_id: app.appId,
        hub_id: access.portalId,
        user_id: access.userId,
        scopes: access.scopes,
        expires_in: Math.floor((access.expiresAt - now) / 1000),
      };
    }
    const refresh = this.#refreshTokens.get(value);
    if (refresh !== undefined && refresh.appId === app.appId && !refresh.revoked) {
      return {
        active: true,
        token_type: 'refresh_token',
        client_id: app.clientId,
        app_id: app.appId,
        hub_id: refresh.portalId,
        user_id: refresh.userId,
        scopes: refresh.scopes,
      };
    }
    return { active: false };
  }

  /** `POST /oauth/2026-03/token/revoke`: revoking a refresh token also ends its access tokens. */
  revoke(form: Readonly<Record<string, string | undefined>>): void {
    const app = this.#clientApp(form.client_id, form.client_secret);
    const value = form.token ?? '';
    const refresh = this.#refreshTokens.get(value);
    if (refresh !== undefined && refresh.appId === app.appId) {
      refresh.revoked = true;
      for (const access of this.#accessTokens.values()) {
        if (access.refreshToken === value) access.revoked = true;
      }
      return;
    }
    const access = this.#accessTokens.get(value);
    if (access !== undefined && access.appId === app.appId) access.revoked = true;
  }

  /**
   * Every refresh and access token an app holds for a portal stops working
   * (a super admin revoked the app's access): refreshes answer
   * BAD_REFRESH_TOKEN, API calls 401. Returns how many refresh tokens ended.
   */
  revokeAppTokens(appId: number, portalId: number): number {
    let revoked = 0;
    for (const refresh of this.#refreshTokens.values()) {
      if (refresh.appId !== appId || refresh.portalId !== portalId || refresh.revoked) continue;
      refresh.revoked = true;
      revoked += 1;
    }
    for (const access of this.#accessTokens.values()) {
      if (access.appId === appId && access.portalId === portalId) access.revoked = true;
    }
    return revoked;
  }

  /** Resolves a bearer token, answering HubSpot's 401s for unknown, revoked and expired ones. */
  authenticate(bearer: string | undefined): Principal {
    if (bearer === undefined || bearer === '') throw invalidAuthentication();
    const privateToken = this.#privateTokens.get(bearer);
    if (privateToken !== undefined) {
      return {
        portalId: privateToken.portalId,
        appId: null,
        scopes: privateToken.scopes,
        kind: 'private',
      };
    }
    const access = this.#accessTokens.get(bearer);
    if (access === undefined || access.revoked) throw invalidAuthentication();
    const now = this.#options.now();
    if (access.expiresAt <= now) throw expiredAuthentication(now - access.expiresAt);
    return { portalId: access.portalId, appId: access.appId, scopes: access.scopes, kind: 'oauth' };
  }

  /** Apps, installs and tokens for the state file (codes are short-lived and not kept). */
  toJSON(): SerialisedOAuth {
    return {
      apps: this.apps(),
      installs: [...this.#installs],
      accessTokens: Object.fromEntries(this.#accessTokens),
      refreshTokens: Object.fromEntries(this.#refreshTokens),
      privateTokens: Object.fromEntries(this.#privateTokens),
      nextAppId: this.#nextAppId,
      nextSubscriptionId: this.#nextSubscriptionId,
    };
  }

  /** Restores what `toJSON` wrote. */
  restore(data: SerialisedOAuth): void {
    for (const app of data.apps) this.#apps.set(app.appId, app);
    for (const install of data.installs) this.#installs.add(install);
    for (const [key, value] of Object.entries(data.accessTokens))
      this.#accessTokens.set(key, value);
    for (const [key, value] of Object.entries(data.refreshTokens))
      this.#refreshTokens.set(key, value);
    for (const [key, value] of Object.entries(data.privateTokens))
      this.#privateTokens.set(key, value);
    this.#nextAppId = data.nextAppId;
    this.#nextSubscriptionId = data.nextSubscriptionId;
  }
}
