import { Router } from 'express';
import { portalOf, requireScopes } from '../api-middleware.ts';
import type { SandboxContext } from '../context.ts';
import { objectNotFound } from '../errors.ts';
import { SANDBOX_USER } from '../oauth.ts';
import { stringParameter } from '../request-schemas.ts';

/** A user as HubSpot's user provisioning API answers it (`PublicUser`). */
interface PublicUser {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly roleIds: readonly string[];
  readonly primaryTeamId?: string;
  readonly secondaryTeamIds: readonly string[];
  readonly superAdmin: boolean;
}

/**
 * The users of every sandbox portal: the super admin who installs apps and
 * edits records in the UI (`SANDBOX_USER`), and two who are not.
 */
export const SANDBOX_USERS: readonly PublicUser[] = [
  {
    id: String(SANDBOX_USER.id),
    email: SANDBOX_USER.email,
    firstName: 'Ada',
    lastName: 'Admin',
    roleIds: [],
    secondaryTeamIds: [],
    superAdmin: true,
  },
  {
    id: '2000002',
    email: 'manager@sandbox.example',
    firstName: 'Mia',
    lastName: 'Manager',
    roleIds: ['100'],
    primaryTeamId: '200',
    secondaryTeamIds: [],
    superAdmin: false,
  },
  {
    id: '2000003',
    email: 'rep@sandbox.example',
    firstName: 'Rex',
    lastName: 'Rep',
    roleIds: ['101'],
    primaryTeamId: '200',
    secondaryTeamIds: ['201'],
    superAdmin: false,
  },
];

/**
 * `GET /settings/v3/users/{userId}` (and its 2026-03 path), scope
 * `settings.users.read`: a user by id, or by email with `idProperty=EMAIL`.
 */
export function usersRoutes(context: SandboxContext): Router {
  const router = Router();
  router.get(
    ['/settings/v3/users/:userId', '/settings/users/2026-03/:userId'],
    (request, response) => {
      requireScopes(request, ['settings.users.read', 'crm.objects.users.read']);
      portalOf(context, request);
      const byEmail = stringParameter(request.query.idProperty) === 'EMAIL';
      const wanted = String(request.params.userId);
      const user = SANDBOX_USERS.find((candidate) =>
        byEmail ? candidate.email === wanted : candidate.id === wanted,
      );
      if (user === undefined) throw objectNotFound(`No user with id ${wanted}`, [wanted]);
      response.json(user);
    },
  );
  return router;
}
