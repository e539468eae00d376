/**
 * Every *(config)* value of kam-model.md with its default, in one schema:
 * unknown keys rejected, ranges checked, weights summing to 100, increasing
 * cut-offs; a partial object is completed with the defaults.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { DEFAULT_SETTINGS, settingsSchema } from '../../src/settings.ts';

/** The path of each issue, with an unknown key appended to its object's path. */
function issuePaths(input: unknown): string[] {
  const result = settingsSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue: z.core.$ZodIssue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return [...issue.path.map(String), ...keys].join('.');
  });
}

describe('settings defaults (kam-model.md *(config)* values)', () => {
  it('an empty object gives every default', () => {
    const settings = settingsSchema.parse({});
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(settings).toMatchObject({
      windowDays: 365,
      churnDays: 365,
      tierMethod: 'pareto',
      paretoCutoffs: { strategic: 0.5, key: 0.8, standard: 0.95 },
      attractivenessWeights: { size: 30, growth: 20, potential: 20, profitability: 15, scale: 15 },
      strengthWeights: {
        win: 20,
        tenure: 15,
        repeat: 15,
        breadth: 15,
        satisfaction: 20,
        recency: 15,
      },
      scoreWeights: { attractiveness: 50, strength: 50 },
      loyaltyThreshold: 60,
      visitCadenceDays: { strategic: 30, key: 60, standard: 90, transactional: 180 },
      servqualWeights: {
        tangibles: 20,
        reliability: 20,
        responsiveness: 20,
        assurance: 20,
        empathy: 20,
      },
      profitProperty: null,
      productLineProperty: 'pipeline',
      complaintPipelines: [],
      complaintSlaDays: { strategic: 1, key: 2, standard: 3, transactional: 5, unrated: 5 },
    });
  });

  it('undefined parses to the defaults too', () => {
    expect(settingsSchema.parse(undefined)).toEqual(DEFAULT_SETTINGS);
  });

  it.each([
    {
      name: 'a top-level value',
      input: { windowDays: 180 },
      check: { windowDays: 180, churnDays: 365 },
    },
    {
      name: 'one cut-off',
      input: { paretoCutoffs: { standard: 0.9 } },
      check: { paretoCutoffs: { strategic: 0.5, key: 0.8, standard: 0.9 } },
    },
    {
      name: 'one cadence',
      input: { visitCadenceDays: { key: 45 } },
      check: { visitCadenceDays: { strategic: 30, key: 45, standard: 90, transactional: 180 } },
    },
    {
      name: 'weights given in full',
      input: { scoreWeights: { attractiveness: 60, strength: 40 } },
      check: { scoreWeights: { attractiveness: 60, strength: 40 }, loyaltyThreshold: 60 },
    },
    {
      name: 'thresholds method with custom bands',
      input: { tierMethod: 'thresholds', thresholds: { strategic: 1000, key: 100, standard: 10 } },
      check: { tierMethod: 'thresholds', thresholds: { strategic: 1000, key: 100, standard: 10 } },
    },
    {
      name: 'one complaint SLA and the complaint pipelines',
      input: { complaintSlaDays: { key: 4 }, complaintPipelines: [' 0 '] },
      check: {
        complaintSlaDays: { strategic: 1, key: 4, standard: 3, transactional: 5, unrated: 5 },
        complaintPipelines: ['0'],
      },
    },
    {
      name: 'a mapped profit property',
      input: { profitProperty: 'margin_amount' },
      check: { profitProperty: 'margin_amount', productLineProperty: 'pipeline' },
    },
  ])('a partial object is completed with the defaults: $name', ({ input, check }) => {
    const settings = settingsSchema.parse(input);
    expect(settings).toMatchObject(check);
    expect(settings.strengthWeights).toEqual(DEFAULT_SETTINGS.strengthWeights);
  });
});

describe('settings validation errors', () => {
  it.each([
    { name: 'unknown top-level key', input: { windowDayz: 90 }, path: 'windowDayz' },
    {
      name: 'unknown nested key',
      input: { paretoCutoffs: { platinum: 0.1 } },
      path: 'paretoCutoffs.platinum',
    },
    {
      name: 'unknown weight',
      input: { strengthWeights: { luck: 0 } },
      path: 'strengthWeights.luck',
    },
    {
      name: 'unknown loyalty factor (v1 measured tenure)',
      input: { loyaltyWeights: { tenure: 10 } },
      path: 'loyaltyWeights.tenure',
    },
    {
      name: 'unknown cadence tier',
      input: { visitCadenceDays: { unrated: 10 } },
      path: 'visitCadenceDays.unrated',
    },
  ])('rejects an $name and names it', ({ input, path }) => {
    expect(issuePaths(input)).toContain(path);
  });

  it.each([
    { name: 'windowDays 0', input: { windowDays: 0 }, path: 'windowDays' },
    { name: 'windowDays −30', input: { windowDays: -30 }, path: 'windowDays' },
    { name: 'windowDays 1.5 (whole days)', input: { windowDays: 1.5 }, path: 'windowDays' },
    { name: 'windowDays as a string', input: { windowDays: '365' }, path: 'windowDays' },
    { name: 'churnDays 0', input: { churnDays: 0 }, path: 'churnDays' },
    { name: 'loyaltyThreshold 101', input: { loyaltyThreshold: 101 }, path: 'loyaltyThreshold' },
    { name: 'loyaltyThreshold −1', input: { loyaltyThreshold: -1 }, path: 'loyaltyThreshold' },
    {
      name: 'cut-off above 1',
      input: { paretoCutoffs: { standard: 1.5 } },
      path: 'paretoCutoffs.standard',
    },
    {
      name: 'cut-off 0',
      input: { paretoCutoffs: { strategic: 0 } },
      path: 'paretoCutoffs.strategic',
    },
    {
      name: 'negative threshold',
      input: { thresholds: { standard: -1 } },
      path: 'thresholds.standard',
    },
    {
      name: 'negative weight',
      input: { scoreWeights: { attractiveness: -10, strength: 110 } },
      path: 'scoreWeights.attractiveness',
    },
    {
      name: 'cadence 0 days',
      input: { visitCadenceDays: { strategic: 0 } },
      path: 'visitCadenceDays.strategic',
    },
    { name: 'unknown tier method', input: { tierMethod: 'random' }, path: 'tierMethod' },
    // §12
    {
      name: 'complaint SLA 0 days',
      input: { complaintSlaDays: { key: 0 } },
      path: 'complaintSlaDays.key',
    },
    {
      name: 'complaint SLA of an unknown tier',
      input: { complaintSlaDays: { gold: 1 } },
      path: 'complaintSlaDays.gold',
    },
    {
      name: 'a blank complaint pipeline',
      input: { complaintPipelines: ['0', ' '] },
      path: 'complaintPipelines.1',
    },
    {
      name: 'complaint pipelines not a list',
      input: { complaintPipelines: '0' },
      path: 'complaintPipelines',
    },
  ])('rejects an out-of-range value: $name', ({ input, path }) => {
    expect(issuePaths(input)).toContain(path);
  });

  it.each([
    {
      name: 'attractiveness 40+20+20+15+15 = 110',
      input: { attractivenessWeights: { size: 40 } },
      path: 'attractivenessWeights',
    },
    {
      name: 'strength with win 0 = 80',
      input: { strengthWeights: { win: 0 } },
      path: 'strengthWeights',
    },
    {
      name: 'score 60 + 50 = 110',
      input: { scoreWeights: { attractiveness: 60 } },
      path: 'scoreWeights',
    },
    {
      name: 'loyalty (v2) with rivals 40 = 120',
      input: { loyaltyWeights: { rivals: 40 } },
      path: 'loyaltyWeights',
    },
    {
      name: 'SERVQUAL 5 × 25 = 125',
      input: {
        servqualWeights: {
          tangibles: 25,
          reliability: 25,
          responsiveness: 25,
          assurance: 25,
          empathy: 25,
        },
      },
      path: 'servqualWeights',
    },
  ])('rejects weights not summing to 100: $name', ({ input, path }) => {
    expect(issuePaths(input)).toContain(path);
  });

  it('accepts weights that sum to 100 in another split', () => {
    expect(
      settingsSchema.safeParse({
        attractivenessWeights: { size: 50, growth: 10, potential: 10, profitability: 0, scale: 30 },
      }).success,
    ).toBe(true);
  });

  it.each([
    {
      name: 'equal cut-offs 0.8 / 0.8',
      input: { paretoCutoffs: { strategic: 0.8, key: 0.8 } },
      path: 'paretoCutoffs',
    },
    {
      name: 'decreasing cut-offs 0.6 / 0.5',
      input: { paretoCutoffs: { strategic: 0.6, key: 0.5 } },
      path: 'paretoCutoffs',
    },
    {
      name: 'key above standard 0.96 / 0.95',
      input: { paretoCutoffs: { key: 0.96 } },
      path: 'paretoCutoffs',
    },
    {
      name: 'thresholds not decreasing 100 / 200',
      input: { thresholds: { strategic: 100, key: 200 } },
      path: 'thresholds',
    },
    { name: 'equal thresholds', input: { thresholds: { key: 50_000 } }, path: 'thresholds' },
  ])('rejects non-increasing cut-offs: $name', ({ input, path }) => {
    expect(issuePaths(input)).toContain(path);
  });
});
