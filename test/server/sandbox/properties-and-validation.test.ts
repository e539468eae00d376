import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  batchResponseSchema,
  errorBodySchema,
  propertyGroupSchema,
  propertySchema,
  simplePublicObjectSchema,
} from './hubspot-schemas.ts';
import { startTestSandbox, type TestSandbox } from './sandbox-fixture.ts';

let t: TestSandbox;

beforeAll(async () => {
  t = await startTestSandbox();
});

afterAll(async () => {
  await t.close();
});

const tierProperty = {
  name: 'kam_tier',
  label: 'KAM tier',
  type: 'enumeration',
  fieldType: 'select',
  groupName: 'kam',
  options: [
    { label: 'Strategic', value: 'strategic', displayOrder: 0, hidden: false },
    { label: 'Key', value: 'key', displayOrder: 1, hidden: false },
  ],
};

describe('properties and groups', () => {
  it('creates the app group and properties with the SDK; a second create is a 409', async () => {
    const group = await t.client.crm.properties.groupsApi.create('companies', {
      name: 'kam',
      label: 'Key accounts',
    });
    expect(group.name).toBe('kam');
    const groups = await t.call('/crm/v3/properties/companies/groups');
    const list = (groups.body as { results: unknown[] }).results.map((entry) =>
      propertyGroupSchema.parse(entry),
    );
    expect(list.map((entry) => entry.name)).toContain('kam');

    const created = await t.client.crm.properties.coreApi.create('companies', {
      ...tierProperty,
      type: PropertyCreateTypeEnum.Enumeration,
      fieldType: PropertyCreateFieldTypeEnum.Select,
    });
    expect(created.name).toBe('kam_tier');
    expect(created.options.map((option) => option.value)).toEqual(['strategic', 'key']);
    propertySchema.parse((await t.call('/crm/v3/properties/companies/kam_tier')).body);

    const duplicate = await t.call('/crm/v3/properties/companies', {
      method: 'POST',
      body: tierProperty,
    });
    expect(duplicate.status).toBe(409);
    expect(errorBodySchema.parse(duplicate.body).category).toBe('OBJECT_ALREADY_EXISTS');
    const duplicateGroup = await t.call('/crm/v3/properties/companies/groups', {
      method: 'POST',
      body: { name: 'kam', label: 'again' },
    });
    expect(duplicateGroup.status).toBe(409);
  });

  it('batch-creates properties and reports the existing ones per input', async () => {
    const inputs = [
      {
        name: 'kam_score',
        label: 'KAM score',
        type: 'number',
        fieldType: 'number',
        groupName: 'kam',
      },
      {
        name: 'kam_survey_date',
        label: 'Survey date',
        type: 'date',
        fieldType: 'date',
        groupName: 'kam',
      },
      tierProperty,
    ];
    const raw = await t.call('/crm/v3/properties/companies/batch/create', {
      method: 'POST',
      body: { inputs },
    });
    expect(raw.status).toBe(207);
    const body = batchResponseSchema(propertySchema).parse(raw.body);
    expect(body.results.map((property) => property.name)).toEqual(['kam_score', 'kam_survey_date']);
    expect(body.errors?.[0]?.context).toEqual({ name: ['kam_tier'] });
    const all = await t.client.crm.properties.coreApi.getAll('companies');
    expect(all.results.map((property) => property.name)).toEqual(
      expect.arrayContaining(['name', 'annualrevenue', 'kam_score', 'kam_tier']),
    );
  });

  it('reveals seeded values of a property only once the property exists', async () => {
    const seeded = [...t.sandbox.admin.portal(t.portalId).objects.companies.values()].find(
      (company) => company.properties.kam_servqual_empathy_expected !== undefined,
    );
    expect(seeded).toBeDefined();
    const id = seeded?.id ?? '';
    const before = await t.client.crm.companies.basicApi.getById(id, [
      'kam_servqual_empathy_expected',
    ]);
    expect(before.properties).not.toHaveProperty('kam_servqual_empathy_expected');
    await t.client.crm.properties.coreApi.create('companies', {
      name: 'kam_servqual_empathy_expected',
      label: 'Empathy expected',
      type: PropertyCreateTypeEnum.Number,
      fieldType: PropertyCreateFieldTypeEnum.Number,
      groupName: 'kam',
    });
    const after = await t.client.crm.companies.basicApi.getById(id, [
      'kam_servqual_empathy_expected',
    ]);
    expect(after.properties.kam_servqual_empathy_expected).toBe(
      seeded?.properties.kam_servqual_empathy_expected,
    );
  });

  it('rejects an invalid definition: field type not fitting the type, unknown group', async () => {
    const badField = await t.call('/crm/v3/properties/companies', {
      method: 'POST',
      body: { ...tierProperty, name: 'kam_x', fieldType: 'number' },
    });
    expect(badField.status).toBe(400);
    const badGroup = await t.call('/crm/v3/properties/companies', {
      method: 'POST',
      body: { ...tierProperty, name: 'kam_y', groupName: 'nope' },
    });
    expect(errorBodySchema.parse(badGroup.body).category).toBe('VALIDATION_ERROR');
  });

  it('identifies records by a unique property only (idProperty)', async () => {
    await t.client.crm.properties.coreApi.create('companies', {
      name: 'kam_external_id',
      label: 'External id',
      type: PropertyCreateTypeEnum.String,
      fieldType: PropertyCreateFieldTypeEnum.Text,
      groupName: 'kam',
      hasUniqueValue: true,
    });
    await t.client.crm.companies.basicApi.update('1005', {
      properties: { kam_external_id: 'ERP-1005' },
    });
    const found = await t.call('/crm/v3/objects/companies/ERP-1005?idProperty=kam_external_id');
    expect((found.body as { id: string }).id).toBe('1005');
    const nonUnique = await t.call('/crm/v3/objects/companies/Acme?idProperty=name');
    expect(nonUnique.status).toBe(400);
  });

  it('updates a custom property but not a HubSpot-defined one', async () => {
    const updated = await t.client.crm.properties.coreApi.update('companies', 'kam_tier', {
      label: 'Tier (KAM)',
    });
    expect(updated.label).toBe('Tier (KAM)');
    const builtIn = await t.call('/crm/v3/properties/companies/name', {
      method: 'PATCH',
      body: { label: 'x' },
    });
    expect(builtIn.status).toBe(400);
  });
});

describe('write validation', () => {
  it.each([
    ['an unknown property', { kam_nope: '1' }, 'PROPERTY_DOESNT_EXIST'],
    ['a value outside the options', { kam_tier: 'platinum' }, 'INVALID_OPTION'],
    ['a non-numeric number', { kam_score: 'high' }, 'INVALID_DECIMAL'],
    [
      'a date that is not midnight UTC',
      { kam_survey_date: '2026-01-01T10:00:00Z' },
      'INVALID_DATE',
    ],
    ['a read-only property', { num_associated_contacts: '3' }, 'READ_ONLY_VALUE'],
  ])('rejects %s with HubSpot’s 400 VALIDATION_ERROR', async (_label, properties, code) => {
    const raw = await t.call('/crm/v3/objects/companies/1000', {
      method: 'PATCH',
      body: { properties },
    });
    expect(raw.status).toBe(400);
    const body = errorBodySchema.parse(raw.body);
    expect(body.category).toBe('VALIDATION_ERROR');
    expect(body.message).toMatch(/^Property values were not valid: /);
    expect(body.message).toContain(`"error":"${code}"`);
  });

  it('rejects a whole batch when one input is invalid, writes nothing, and names the input', async () => {
    const before = await t.client.crm.companies.basicApi.getById('1010', ['kam_score']);
    const raw = await t.call('/crm/v3/objects/companies/batch/update', {
      method: 'POST',
      body: {
        inputs: [
          { id: '1010', properties: { kam_score: '80' } },
          { id: '1011', properties: { kam_tier: 'platinum' } },
        ],
      },
    });
    expect(raw.status).toBe(400);
    const body = errorBodySchema.parse(raw.body);
    expect(body.errors).toEqual([
      expect.objectContaining({
        code: 'INVALID_OPTION',
        context: { input: ['1011'], propertyName: ['kam_tier'] },
      }),
    ]);
    const after = await t.client.crm.companies.basicApi.getById('1010', ['kam_score']);
    expect(after.properties.kam_score).toBe(before.properties.kam_score ?? null);
  });

  it('normalises values to HubSpot’s stored strings and keeps every write in the history', async () => {
    const first = await t.call('/crm/v3/objects/companies/1012', {
      method: 'PATCH',
      body: { properties: { kam_score: 71.5, kam_survey_date: 1767225600000, kam_tier: 'key' } },
    });
    const updated = simplePublicObjectSchema.parse(first.body);
    expect(updated.properties).toMatchObject({
      kam_score: '71.5',
      kam_survey_date: '2026-01-01',
      kam_tier: 'key',
    });
    await t.client.crm.companies.basicApi.update('1012', { properties: { kam_score: '72' } });
    const read = await t.call('/crm/v3/objects/companies/1012?propertiesWithHistory=kam_score');
    const history =
      simplePublicObjectSchema.parse(read.body).propertiesWithHistory?.kam_score ?? [];
    expect(history.map((entry) => entry.value)).toEqual(['72', '71.5']);
    expect(
      t.sandbox.admin.propertyHistory(t.portalId, 'companies', '1012', 'kam_score'),
    ).toHaveLength(2);
  });
});
