import { z } from 'zod';

/** The four tiers plus `unrated`, in the order from highest to lowest. */
export const TIERS = ['strategic', 'key', 'standard', 'transactional', 'unrated'] as const;
export type Tier = (typeof TIERS)[number];
export type RatedTier = Exclude<Tier, 'unrated'>;
export const RATED_TIERS = ['strategic', 'key', 'standard', 'transactional'] as const;

export const SERVQUAL_DIMENSIONS = [
  'tangibles',
  'reliability',
  'responsiveness',
  'assurance',
  'empathy',
] as const;
export type ServqualDimension = (typeof SERVQUAL_DIMENSIONS)[number];

const weight = z.number().min(0).max(100);
const days = z.number().int().min(1).max(3650);
const share = z.number().gt(0).max(1);
const money = z.number().min(0);

/** Weights that must add up to 100 (shown live on the settings page). */
function weightsSummingTo100<T extends z.ZodRawShape>(shape: T, defaults: z.input<z.ZodObject<T>>) {
  return z
    .strictObject(shape)
    .prefault(defaults)
    .superRefine((weights, ctx) => {
      const values = Object.values(weights as Record<string, number>);
      const sum = values.reduce((total, value) => total + value, 0);
      if (Math.abs(sum - 100) > 1e-9) {
        ctx.addIssue({ code: 'custom', message: `weights must sum to 100, they sum to ${sum}` });
      }
    });
}

/**
 * Every *(config)* value of kam-model.md, with its default. Unknown keys are
 * rejected; a partial object is completed with the defaults.
 */
export const settingsSchema = z
  .strictObject({
    /** §2: the trailing window W in days. */
    windowDays: days.default(365),
    /** §5: a company not won for longer than this (and with no open deal) has lapsed. */
    churnDays: days.default(365),
    /** §3: `pareto` ranks by cumulative revenue share; `thresholds` uses absolute bands. */
    tierMethod: z.enum(['pareto', 'thresholds']).default('pareto'),
    /** §3: cumulative share of revenue ranked above an account, per tier. */
    paretoCutoffs: z
      .strictObject({
        strategic: share.default(0.5),
        key: share.default(0.8),
        standard: share.default(0.95),
      })
      .prefault({})
      .refine((c) => c.strategic < c.key && c.key < c.standard, {
        message: 'cut-offs must increase: strategic < key < standard',
      }),
    /** §3: revenueTtm bands in the home currency. */
    thresholds: z
      .strictObject({
        strategic: money.default(500_000),
        key: money.default(200_000),
        standard: money.default(50_000),
      })
      .prefault({})
      .refine((t) => t.strategic > t.key && t.key > t.standard, {
        message: 'thresholds must decrease: strategic > key > standard',
      }),
    /** §4: attractiveness factor weights. */
    attractivenessWeights: weightsSummingTo100(
      {
        size: weight.default(30),
        growth: weight.default(20),
        potential: weight.default(20),
        profitability: weight.default(15),
        scale: weight.default(15),
      },
      {},
    ),
    /** §4: relative-strength factor weights. */
    strengthWeights: weightsSummingTo100(
      {
        win: weight.default(20),
        tenure: weight.default(15),
        repeat: weight.default(15),
        breadth: weight.default(15),
        satisfaction: weight.default(20),
        recency: weight.default(15),
      },
      {},
    ),
    /** §4: how attractiveness and strength combine into kam_score. */
    scoreWeights: weightsSummingTo100(
      { attractiveness: weight.default(50), strength: weight.default(50) },
      {},
    ),
    /** §5 (v2): loyalty factor weights, the seed's measures of loyalty. */
    loyaltyWeights: weightsSummingTo100(
      {
        repeat: weight.default(30),
        trend: weight.default(20),
        rivals: weight.default(20),
        selection: weight.default(10),
        attitude: weight.default(20),
      },
      {},
    ),
    /** §5: loyalty at or above this is "loyal". */
    loyaltyThreshold: z.number().min(0).max(100).default(60),
    /** §7: days between visits per tier before W4 fires. */
    visitCadenceDays: z
      .strictObject({
        strategic: days.default(30),
        key: days.default(60),
        standard: days.default(90),
        transactional: days.default(180),
      })
      .prefault({}),
    /** §6: importance of each SERVQUAL dimension. */
    servqualWeights: weightsSummingTo100(
      {
        tangibles: weight.default(20),
        reliability: weight.default(20),
        responsiveness: weight.default(20),
        assurance: weight.default(20),
        empathy: weight.default(20),
      },
      {},
    ),
    /** §1: deal property holding the margin amount; profitability is absent while unmapped. */
    profitProperty: z
      .string()
      .regex(/^[a-z0-9_]+$/, 'a HubSpot property name (lower case, digits, _)')
      .nullable()
      .default(null),
    /** §1: deal property naming the product line. */
    productLineProperty: z
      .string()
      .regex(/^[a-z0-9_]+$/, 'a HubSpot property name (lower case, digits, _)')
      .default('pipeline'),
    /** §12: the ticket pipelines (ids) whose tickets are complaints; empty = every pipeline. */
    complaintPipelines: z
      .array(z.string().trim().min(1, 'a ticket pipeline id'))
      .max(100)
      .default([]),
    /** §12: days to resolve a major complaint, by tier; a general complaint gets twice as long. */
    complaintSlaDays: z
      .strictObject({
        strategic: days.default(1),
        key: days.default(2),
        standard: days.default(3),
        transactional: days.default(5),
        unrated: days.default(5),
      })
      .prefault({}),
    /** Whether reps may turn next actions into HubSpot tasks. */
    tasksEnabled: z.boolean().default(true),
  })
  .prefault({});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = Object.freeze(settingsSchema.parse({}));

/** How a tier reads in a sentence: no letters, so it is never taken for the grade A–D (kam-model.md §3). */
export const TIER_LABEL: Readonly<Record<Tier, string>> = {
  strategic: 'Strategic',
  key: 'Key',
  standard: 'Standard',
  transactional: 'Transactional',
  unrated: 'Unrated',
};
