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
 * `GET /settings/v3/users/{userId}` (scope `settings.users.read`): the
 * user's record, or why there is none.
 */
async function readUser(
  send: HubSpotTransport['send'],
  userId: string,
): Promise<
  | { readonly found: false; readonly access: UserAccess }
  | { readonly found: true; readonly body: unknown }
> {
  const response = await send({
    route: 'GET /settings/v3/users/{userId}',
    method: 'GET',
    path: `/settings/v3/users/${encodeURIComponent(userId)}`,
    accept: [403, 404],
  });
  if (response.status === 403) return { found: false, access: 'no_scope' };
  if (response.status === 404) return { found: false, access: 'not_a_user' };
  return { found: true, body: response.body };
}

/** Whether the user is one of the portal's super admins. */
export async function readUserAccess(
  send: HubSpotTransport['send'],
  userId: string,
): Promise<UserAccess> {
  const user = await readUser(send, userId);
  if (!user.found) return user.access;
  return publicUserSchema.parse(user.body).superAdmin === true ? 'super_admin' : 'user';
}

const userNameSchema = z.looseObject({
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
});

/**
 * The user's name as HubSpot shows it (first and last name, else the
 * e-mail address); null when the portal did not grant the scope or the id
 * is none of its users.
 */
export async function readUserName(
  send: HubSpotTransport['send'],
  userId: string,
): Promise<string | null> {
  const user = await readUser(send, userId);
  if (!user.found) return null;
  const { firstName, lastName, email } = userNameSchema.parse(user.body);
  const name = [firstName, lastName]
    .filter((part) => part !== undefined && part.trim() !== '')
    .join(' ');
  return name !== '' ? name : (email ?? null);
}
