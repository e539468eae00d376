import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './sandbox-fixture.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox({}, { companies: 5, deals: 10 });
});

afterAll(async () => {
  await t.close();
});

describe('users API (GET /settings/v3/users/{userId})', () => {
  it('reads a user through HubSpot’s SDK: one super admin, the others not', async () => {
    const usersApi = t.client.settings.users.usersApi;
    const admin = await usersApi.getById('2000001');
    expect(admin).toMatchObject({
      id: '2000001',
      email: 'admin@sandbox.example',
      superAdmin: true,
    });
    expect((await usersApi.getById('2000002')).superAdmin).toBe(false);
    expect((await usersApi.getById('rep@sandbox.example', 'EMAIL')).id).toBe('2000003');
  });

  it('answers 404 for an id that is no user of the portal', async () => {
    const response = await t.call('/settings/v3/users/1');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ category: 'OBJECT_NOT_FOUND' });
  });

  it('answers 403 MISSING_SCOPES to a token without settings.users.read', async () => {
    const token = t.sandbox.context.oauth.addPrivateToken(t.portalId, [
      'crm.objects.companies.read',
    ]);
    const response = await t.call('/settings/v3/users/2000001', { token });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ category: 'MISSING_SCOPES' });
  });
});
