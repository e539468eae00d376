import { Router } from 'express';
import { z } from 'zod';
import {
  isoDate,
  PLAN_PROPERTIES,
  PLAN_PROPERTY,
  RATED_TIERS,
  SERVQUAL_DIMENSIONS,
  servqualProperty,
  SWOT_PROPERTY,
  TEXT_BOUNDS,
} from '../../src/index.ts';
import type { PortalClient } from '../hubspot/portal-client.ts';
import type { PinStore } from '../pins/pin-store.ts';
import { ApiError, validationError } from './api-error.ts';
import type { CardRoutesDeps } from './card-routes.ts';
import { companyIdOf, installedPortal, namedPin, rescoredScorecard } from './card-routes.ts';
import { signedPortalId } from './signed-request.ts';

const { itemChars, listItems, planChars } = TEXT_BOUNDS;

const rating = z.number().min(1, 'must be 1 to 7').max(7, 'must be 1 to 7').nullable();
const dimensionRatings = z
  .strictObject({ expected: rating.optional(), perceived: rating.optional() })
  .optional();
const surveySchema = z.strictObject({
  surveyDate: z.iso.date().nullable().optional(),
  ratings: z
    .strictObject({
      tangibles: dimensionRatings,
      reliability: dimensionRatings,
      responsiveness: dimensionRatings,
      assurance: dimensionRatings,
      empathy: dimensionRatings,
    })
    .optional(),
});

const item = z
  .string()
  .trim()
  .min(1, 'an item cannot be empty')
  .max(itemChars, `an item is at most ${itemChars} characters`)
  .refine((text) => !/[\r\n]/.test(text), 'one item per entry, without line breaks');
const items = z.array(item).max(listItems, `at most ${listItems} items`);
const swotSchema = z.strictObject({
  strengths: items.optional(),
  weaknesses: items.optional(),
  opportunities: items.optional(),
  threats: items.optional(),
  competitors: items.optional(),
  accountPlan: z.string().max(planChars, `at most ${planChars} characters`).nullable().optional(),
  tierOverride: z.enum(RATED_TIERS).nullable().optional(),
});

const planText = z.string().trim().max(planChars, `at most ${planChars} characters`);
const planSchema = z.strictObject({
  objective: planText.min(1, 'a plan needs an objective; it cannot be empty').optional(),
  goalRevenue: z
    .number()
    .min(0, 'a revenue goal cannot be negative')
    .max(Number.MAX_SAFE_INTEGER, 'too large')
    .nullable()
    .optional(),
  goalDate: z.iso.date().nullable().optional(),
  strategies: planText.nullable().optional(),
  measures: planText.nullable().optional(),
});

/** The plan's properties (kam-model.md §13) and v1's text, read before a plan is written. */
const PLAN_READ = ['kam_account_plan', ...PLAN_PROPERTIES];
type StoredPlan = Readonly<Record<string, string | null | undefined>>;

/** A stored date property as YYYY-MM-DD: HubSpot answers a date, or midnight UTC in ms. */
function storedDate(value: string | null | undefined): string {
  if (value == null || value === '') return '';
  return /^\d+$/.test(value) ? isoDate(Number(value)) : value.slice(0, 10);
}

/** A stored number as the text it stands for ('' when blank), so 5e5 and 500000 agree. */
function storedNumber(value: string | null | undefined): string {
  if (value == null || value.trim() === '') return '';
  const number = Number(value);
  return Number.isFinite(number) ? String(number) : value;
}

/**
 * The plan properties whose value changes: `kam_plan_objective` is compared
 * with what is stored in it, not with v1's text it falls back to, so saving
 * the objective the editor opened with (v1's `kam_account_plan`) writes it.
 */
function changedPlan(
  stored: StoredPlan,
  plan: z.infer<typeof planSchema>,
  today: string,
): Record<string, string> {
  const wanted: [string, string | undefined, string][] = [
    [PLAN_PROPERTY.objective, plan.objective, stored[PLAN_PROPERTY.objective] ?? ''],
    [
      PLAN_PROPERTY.goalRevenue,
      plan.goalRevenue === undefined ? undefined : String(plan.goalRevenue ?? ''),
      storedNumber(stored[PLAN_PROPERTY.goalRevenue]),
    ],
    [
      PLAN_PROPERTY.goalDate,
      plan.goalDate === undefined ? undefined : (plan.goalDate ?? ''),
      storedDate(stored[PLAN_PROPERTY.goalDate]),
    ],
    [
      PLAN_PROPERTY.strategies,
      plan.strategies === undefined ? undefined : (plan.strategies ?? ''),
      stored[PLAN_PROPERTY.strategies] ?? '',
    ],
    [
      PLAN_PROPERTY.measures,
      plan.measures === undefined ? undefined : (plan.measures ?? ''),
      stored[PLAN_PROPERTY.measures] ?? '',
    ],
    [PLAN_PROPERTY.reviewedAt, today, storedDate(stored[PLAN_PROPERTY.reviewedAt])],
  ];
  const properties: Record<string, string> = {};
  for (const [property, value, current] of wanted) {
    if (value !== undefined && value !== current) properties[property] = value;
  }
  return properties;
}

export interface CompanyInputRoutesDeps extends CardRoutesDeps {
  readonly pinStore: Pick<PinStore, 'set'>;
  readonly now: () => number;
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationError(parsed.error);
}

/**
 * PUT survey and PUT swot: the rep's inputs, validated field by field,
 * written to the company in one batch update (all of it or none), then that
 * company re-ranked by the worker; the answer is the new scorecard, as for
 * `POST …/recompute`.
 */
export function companyInputRoutes(deps: CompanyInputRoutesDeps): Router {
  const router = Router();

  const writeAndRescore = async (
    portalId: number,
    companyId: string,
    properties: Record<string, string>,
  ) => {
    const client: PortalClient = await deps.clientFor(portalId);
    if (Object.keys(properties).length > 0) {
      const outcome = await client.updateCompanies([{ id: companyId, properties }]);
      await deps.snapshots.forgetHistory(portalId, [companyId]);
      const failure = outcome.failed[0];
      if (failure !== undefined) {
        throw failure.code === 'OBJECT_NOT_FOUND'
          ? new ApiError('not_found', `company ${companyId} is not in this portal`)
          : new ApiError('validation_failed', `HubSpot refused the values: ${failure.message}`);
      }
    }
    // The worker re-ranks the company at once, from the snapshot it keeps parsed.
    return rescoredScorecard(deps, portalId, companyId);
  };

  router.put('/api/v1/companies/:id/survey', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const companyId = companyIdOf(request.params.id);
    const survey = parse(surveySchema, request.body);
    const properties: Record<string, string> = {};
    if (survey.surveyDate !== undefined) properties.kam_survey_date = survey.surveyDate ?? '';
    for (const dimension of SERVQUAL_DIMENSIONS) {
      const given = survey.ratings?.[dimension];
      for (const side of ['expected', 'perceived'] as const) {
        const value = given?.[side];
        if (value !== undefined)
          properties[servqualProperty(dimension, side)] = value === null ? '' : String(value);
      }
    }
    response.json(await writeAndRescore(portalId, companyId, properties));
  });

  router.put('/api/v1/companies/:id/swot', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const companyId = companyIdOf(request.params.id);
    const swot = parse(swotSchema, request.body);
    const properties: Record<string, string> = {};
    const lists = [
      ['strengths', SWOT_PROPERTY.strength],
      ['weaknesses', SWOT_PROPERTY.weakness],
      ['opportunities', SWOT_PROPERTY.opportunity],
      ['threats', SWOT_PROPERTY.threat],
      ['competitors', 'kam_competitors'],
    ] as const;
    for (const [field, property] of lists) {
      const list = swot[field];
      if (list !== undefined) properties[property] = list.join('\n');
    }
    if (swot.accountPlan !== undefined)
      properties.kam_account_plan = swot.accountPlan?.trim() ?? '';
    if (swot.tierOverride !== undefined) properties.kam_tier_override = swot.tierOverride ?? '';
    const scorecard = await writeAndRescore(portalId, companyId, properties);
    if (swot.tierOverride !== undefined) {
      const userId = typeof request.query.userId === 'string' ? request.query.userId : 'unknown';
      const pin =
        swot.tierOverride === null ? null : { userId, at: new Date(deps.now()).toISOString() };
      await deps.pinStore.set(portalId, companyId, pin);
      response.json({ ...scorecard, pinnedBy: await namedPin(deps, portalId, pin) });
      return;
    }
    response.json(scorecard);
  });

  /** The company's stored plan, read from HubSpot (a 404 when the company is not the portal's). */
  const storedPlan = async (portalId: number, companyId: string): Promise<StoredPlan> => {
    const client = await deps.clientFor(portalId);
    const [record] = await client.readCompanies([companyId], PLAN_READ);
    if (record === undefined)
      throw new ApiError('not_found', `company ${companyId} is not in this portal`);
    return record.properties;
  };
  const today = () => isoDate(deps.now());

  router.put('/api/v1/companies/:id/plan', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const companyId = companyIdOf(request.params.id);
    const plan = parse(planSchema, request.body);
    const stored = await storedPlan(portalId, companyId);
    if (
      plan.objective === undefined &&
      blank(stored[PLAN_PROPERTY.objective]) &&
      blank(stored.kam_account_plan)
    )
      throw new ApiError('validation_failed', 'a plan needs an objective', 'objective');
    response.json(await writeAndRescore(portalId, companyId, changedPlan(stored, plan, today())));
  });

  router.post('/api/v1/companies/:id/plan/reviewed', async (request, response) => {
    const portalId = await installedPortal(deps.tokens, signedPortalId(request));
    const companyId = companyIdOf(request.params.id);
    const stored = await storedPlan(portalId, companyId);
    if (blank(stored[PLAN_PROPERTY.objective]) && blank(stored.kam_account_plan))
      throw new ApiError(
        'validation_failed',
        'this company has no plan to mark reviewed: save an objective first',
        'objective',
      );
    response.json(await writeAndRescore(portalId, companyId, changedPlan(stored, {}, today())));
  });

  return router;
}

function blank(value: string | null | undefined): boolean {
  return value == null || value.trim() === '';
}
