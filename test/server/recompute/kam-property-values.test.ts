import { describe, expect, it } from 'vitest';
import { COMPANY_INPUT_PROPERTIES, DEFAULT_SETTINGS, scorePortal } from '../../../src/index.ts';
import {
  KAM_INPUT_PROPERTIES,
  KAM_WRITTEN_PROPERTIES,
} from '../../../server/hubspot/kam-properties.ts';
import {
  changedKamProperties,
  KAM_OUTPUT_PROPERTIES,
  kamPropertyValues,
  SCORED_AT_PROPERTY,
} from '../../../server/recompute/kam-property-values.ts';

const AS_OF = Date.parse('2026-11-01T00:00:00Z');
const SCORED_AT = '2026-11-01T00:00:00.000Z';

function scoredCompany() {
  const result = scorePortal(
    {
      companies: [{ id: '1', properties: { name: 'Acme', num_associated_contacts: '3' } }],
      deals: [
        {
          id: '10',
          properties: {
            amount: '1000',
            hs_is_closed: 'true',
            hs_is_closed_won: 'true',
            closedate: '2026-06-01T00:00:00Z',
          },
          associations: { companies: { results: [{ id: '1', type: 'deal_to_company' }] } },
        },
        {
          id: '11',
          properties: {
            amount: '800',
            hs_is_closed: 'true',
            hs_is_closed_won: 'true',
            closedate: '2025-06-01T00:00:00Z',
          },
          associations: { companies: { results: [{ id: '1', type: 'deal_to_company' }] } },
        },
      ],
    },
    DEFAULT_SETTINGS,
    AS_OF,
  );
  const company = result.companies[0];
  if (company === undefined) throw new Error('no company scored');
  return company;
}

describe('kamPropertyValues', () => {
  it('writes every output property of kam-model.md §8 with its internal enum value', () => {
    const values = kamPropertyValues(scoredCompany());
    expect(Object.keys(values).sort()).toEqual([...KAM_OUTPUT_PROPERTIES].sort());
    expect(values.kam_tier).toBe('strategic');
    expect(values.kam_revenue_ttm).toBe('1000');
    expect(values.kam_revenue_growth).toBe('25'); // +25%: 1000 vs 800
    expect(values.kam_next_action_due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(values.kam_satisfaction_gap).toBe(''); // no survey: cleared, not 0
    // A standalone company is a group of one; no complaints, no plan.
    expect(values.kam_group_id).toBe('1');
    expect(values.kam_group_name).toBe('Acme');
    expect(values.kam_group_size).toBe('1');
    expect(values.kam_group_tier).toBe('strategic');
    expect(values.kam_group_revenue_ttm).toBe('1000');
    expect(values.kam_open_complaints).toBe('0');
    expect(values.kam_complaints_12m).toBe('0');
    expect(values.kam_plan_attainment).toBe('');
  });

  it("writes a member's group, its complaints and its plan attainment (§11–§13)", () => {
    const won = (id: string, companyId: string, amount: string) => ({
      id,
      properties: {
        amount,
        hs_is_closed: 'true',
        hs_is_closed_won: 'true',
        closedate: '2026-06-01T00:00:00Z',
      },
      associations: { companies: { results: [{ id: companyId, type: 'deal_to_company' }] } },
    });
    const result = scorePortal(
      {
        companies: [
          { id: '1', properties: { name: 'Group HQ' } },
          {
            id: '2',
            properties: {
              name: 'Province',
              hs_parent_company_id: '1',
              kam_plan_objective: 'Grow',
              kam_plan_goal_revenue: '4000',
              kam_plan_goal_date: '2026-12-31',
            },
          },
        ],
        deals: [won('10', '1', '1000'), won('11', '2', '3000')],
        tickets: [
          {
            id: '70',
            properties: { hs_is_closed: 'false', createdate: '2026-10-20T00:00:00Z' },
            associations: { companies: { results: [{ id: '2', type: 'ticket_to_company' }] } },
          },
        ],
      },
      DEFAULT_SETTINGS,
      AS_OF,
    );
    const member = result.companies.find((company) => company.id === '2');
    if (member === undefined) throw new Error('no member scored');
    const values = kamPropertyValues(member);
    expect(values).toMatchObject({
      kam_group_id: '1',
      kam_group_name: 'Group HQ',
      kam_group_size: '2',
      kam_group_revenue_ttm: '4000',
      kam_open_complaints: '1',
      kam_complaints_12m: '1',
      kam_plan_attainment: '75', // 3,000 won of a 4,000 goal
    });
  });
});

describe('changedKamProperties', () => {
  const next = {
    kam_tier: 'key',
    kam_score: '83.5',
    kam_next_action_due: '2026-11-08',
    kam_grade: '',
  };

  it('writes nothing when HubSpot already holds the same values', () => {
    const current = {
      kam_tier: 'key',
      kam_score: '83.50',
      kam_next_action_due: '1794096000000', // epoch ms of 2026-11-08
      kam_grade: null,
    };
    expect(changedKamProperties(current, next, SCORED_AT)).toBeNull();
  });

  it('writes only what changed, stamped with kam_scored_at', () => {
    const current = { kam_tier: 'standard', kam_score: '83.5', kam_next_action_due: '2026-11-08' };
    expect(changedKamProperties(current, next, SCORED_AT)).toEqual({
      kam_tier: 'key',
      kam_scored_at: SCORED_AT,
    });
  });

  it('clears a value that no longer applies', () => {
    const current = {
      kam_tier: 'key',
      kam_score: '83.5',
      kam_next_action_due: '2026-11-08',
      kam_grade: 'B',
    };
    expect(changedKamProperties(current, next, SCORED_AT)).toEqual({
      kam_grade: '',
      kam_scored_at: SCORED_AT,
    });
  });
});

describe('the written properties and their HubSpot definitions', () => {
  it('define exactly what the write-back writes, and every app-owned input', () => {
    expect([...KAM_WRITTEN_PROPERTIES].sort()).toEqual(
      [...KAM_OUTPUT_PROPERTIES, SCORED_AT_PROPERTY].sort(),
    );
    const appInputs = COMPANY_INPUT_PROPERTIES.filter((name) => name.startsWith('kam_'));
    expect([...KAM_INPUT_PROPERTIES].sort()).toEqual([...appInputs].sort());
  });
});
