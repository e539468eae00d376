import type { Request } from 'express';
import type { Redis } from 'ioredis';
import type { UserAccess } from '../hubspot/users.ts';
import { ApiError } from './api-error.ts';
import { signedUserId } from './signed-request.ts';

const ACCESS: ReadonlySet<string> = new Set(['super_admin', 'user', 'not_a_user', 'no_scope']);

export interface SuperAdminCheckOptions {
  readonly redis: Redis;
  /** Asks HubSpot's users API with the portal's token. */
  readonly readAccess: (portalId: number, userId: string) => Promise<UserAccess>;
  /** How long an answer is kept: a demoted admin keeps their rights at most this long. */
  readonly ttlSeconds?: number;
}

/** A user's standing in a portal, asked of HubSpot at most once a minute per user. */
export interface SuperAdminCheck {
  access(portalId: number, userId: string): Promise<UserAccess>;
}

export function createSuperAdminCheck(options: SuperAdminCheckOptions): SuperAdminCheck {
  const ttlSeconds = options.ttlSeconds ?? 60;
  // Under the portal's keys, so removing the portal's data removes these too.
  const key = (portalId: number, userId: string): string =>
    `kam:portal:${portalId}:user-access:${userId}`;
  return {
    async access(portalId, userId) {
      const cached = await options.redis.get(key(portalId, userId));
      if (cached !== null && ACCESS.has(cached)) return cached as UserAccess;
      const access = await options.readAccess(portalId, userId);
      await options.redis.set(key(portalId, userId), access, 'EX', ttlSeconds);
      return access;
    },
  };
}

/** Admin actions (settings, recompute, uninstall) are for the portal's super admins only. */
export async function requireSuperAdmin(
  check: SuperAdminCheck,
  portalId: number,
  request: Request,
): Promise<void> {
  const access = await check.access(portalId, signedUserId(request));
  if (access === 'super_admin') return;
  throw new ApiError(
    'forbidden',
    access === 'no_scope'
      ? 'the app cannot tell who is a super admin: reinstall it and grant settings.users.read'
      : 'only a super admin of this HubSpot account may do this',
  );
}
