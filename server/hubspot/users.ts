import { z } from 'zod';
import type { HubSpotTransport } from './hubspot-transport.ts';

/**
 * What HubSpot's users API says of the user behind a signed request:
 * `no_scope` when the portal did not grant `settings.users.read` (an
 * optional scope), `not_a_user` when the id is none of the portal's users.
 */
export type UserAccess = 'super_admin' | 'user' | 'not_a_user' | 'no_scope';

// HubSpot's own example sends `"superAdmin": "false"` as a string; its schema says boolean.
const publicUserSchema = z.looseObject({
  id: z.string(),
  superAdmin: z
    .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
    .optional(),
});

/**
 * `GET /settings/v3/users/{userId}` (scope `settings.users.read`): whether
 * the user is one of the portal's super admins.
 */
export async function readUserAccess(
  send: HubSpotTransport['send'],
  userId: string,
): Promise<UserAccess> {
  const response = await send({
    route: 'GET /settings/v3/users/{userId}',
    method: 'GET',
    path: `/settings/v3/users/${encodeURIComponent(userId)}`,
    accept: [403, 404],
  });
  if (response.status === 403) return 'no_scope';
  if (response.status === 404) return 'not_a_user';
  return publicUserSchema.parse(response.body).superAdmin === true ? 'super_admin' : 'user';
}
