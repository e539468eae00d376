import { z } from 'zod';
import type { HubSpotTransport } from './hubspot-transport.ts';

/** A property's options as HubSpot's properties API lists them (also read by provisioning). */
export const propertyOptionsSchema = z.array(
  z.object({ value: z.string(), label: z.string() }).loose(),
);

/** `GET /crm/v3/pipelines/deals`: only what a product line's label needs. */
const pipelineListSchema = z.object({
  results: z.array(z.object({ id: z.string(), label: z.string() }).loose()),
});
const propertyWithOptionsSchema = z
  .object({ options: propertyOptionsSchema.optional().default([]) })
  .loose();

/** The portal does not let the app read the definition (403) or has none (404). */
const NO_LABELS_STATUSES = [403, 404];
/** The default product-line property (kam-model.md §1), whose values are pipeline ids. */
const PIPELINE_PROPERTY = 'pipeline';

/**
 * The product lines' labels, value → label, in one call: the deal
 * pipelines' for `pipeline`, the property's options' for any other deal
 * property; empty when HubSpot answers 403 or 404 (the model then shows the
 * raw values).
 *
 * @example
 * await readProductLineLabels(send, 'pipeline'); // { default: 'Sales Pipeline', … }
 */
export async function readProductLineLabels(
  send: HubSpotTransport['send'],
  property: string,
): Promise<Record<string, string>> {
  const request =
    property === PIPELINE_PROPERTY
      ? { route: 'GET /crm/v3/pipelines/deals', path: '/crm/v3/pipelines/deals' }
      : {
          route: 'GET /crm/v3/properties/deals/{name}',
          path: `/crm/v3/properties/deals/${encodeURIComponent(property)}`,
        };
  const response = await send({ ...request, method: 'GET', accept: NO_LABELS_STATUSES });
  if (NO_LABELS_STATUSES.includes(response.status)) return {};
  const pairs =
    property === PIPELINE_PROPERTY
      ? pipelineListSchema
          .parse(response.body)
          .results.map((pipeline) => [pipeline.id, pipeline.label] as const)
      : propertyWithOptionsSchema
          .parse(response.body)
          .options.map((option) => [option.value, option.label] as const);
  return Object.fromEntries(pairs);
}
