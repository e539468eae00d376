import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  COMPANY_INPUT_PROPERTIES,
  DEFAULT_SETTINGS,
  dealInputProperties,
  TICKET_INPUT_PROPERTIES,
} from '../../src/index.ts';
import { DEFAULT_APP_SUBSCRIPTIONS } from '../../server/sandbox/default-subscriptions.ts';

const declared = z
  .object({
    config: z.object({
      subscriptions: z.object({
        crmObjects: z.array(
          z.object({
            subscriptionType: z.string(),
            objectType: z.string(),
            propertyName: z.string().optional(),
            active: z.boolean(),
          }),
        ),
      }),
    }),
  })
  .parse(
    JSON.parse(
      readFileSync(
        fileURLToPath(
          new URL('../../extension/app/webhooks/webhooks-hsmeta.json', import.meta.url),
        ),
        'utf8',
      ),
    ),
  ).config.subscriptions.crmObjects;

const key = (subscription: {
  subscriptionType: string;
  objectType: string;
  propertyName?: string | undefined;
}): string =>
  [subscription.objectType, subscription.subscriptionType, subscription.propertyName ?? '']
    .join(' ')
    .trim();

describe("the app's webhook subscriptions (webhooks-hsmeta.json)", () => {
  it('are the ones the sandbox delivers in the demo and the end-to-end tests', () => {
    expect(declared.every((subscription) => subscription.active)).toBe(true);
    expect(declared.map(key).sort()).toEqual(DEFAULT_APP_SUBSCRIPTIONS.map(key).sort());
  });

  it('cover every deal and ticket property the model reads, and the app-owned company inputs', () => {
    const keys = new Set(declared.map(key));
    const expected = [
      ...dealInputProperties(DEFAULT_SETTINGS).map((name) => `deal object.propertyChange ${name}`),
      ...TICKET_INPUT_PROPERTIES.map((name) => `ticket object.propertyChange ${name}`),
      ...COMPANY_INPUT_PROPERTIES.filter((name) => name.startsWith('kam_')).map(
        (name) => `company object.propertyChange ${name}`,
      ),
      ...['deal', 'ticket'].flatMap((objectType) =>
        ['creation', 'deletion', 'associationChange'].map(
          (change) => `${objectType} object.${change}`,
        ),
      ),
    ];
    expect(expected.filter((subscription) => !keys.has(subscription))).toEqual([]);
  });
});
