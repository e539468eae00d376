import { Client } from '@hubspot/api-client';
import { expect } from 'vitest';
import {
  startSandbox,
  type Sandbox,
  type SandboxOptions,
} from '../../../server/sandbox/sandbox.ts';
import { schemaForResponse } from './hubspot-schemas.ts';
import { startRecordingProxy, type RecordedExchange } from './recording-proxy.ts';

/** A running sandbox with one small seeded portal and an SDK client on its private-app token. */
export interface TestSandbox {
  readonly sandbox: Sandbox;
  readonly portalId: number;
  readonly accessToken: string;
  /** The SDK, pointed at a recording proxy in front of the sandbox. */
  readonly client: Client;
  /** Every CRM response the tests received, through the SDK or `call`. */
  readonly exchanges: readonly RecordedExchange[];
  /** Stops the sandbox and checks every recorded response against HubSpot's documented shapes. */
  close(): Promise<void>;
  /** Raw JSON call, for asserting HubSpot's shapes on what went over the wire. */
  call(
    path: string,
    init?: { method?: string; body?: unknown; token?: string },
  ): Promise<RawResponse>;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

export const TEST_AS_OF = '2026-11-01T00:00:00.000Z';

/** Starts a sandbox on a free port; small enough that every suite stays fast. */
export async function startTestSandbox(
  options: SandboxOptions = {},
  portal: { companies?: number; deals?: number } = {},
): Promise<TestSandbox> {
  const sandbox = await startSandbox({
    port: 0,
    portals: [
      { companies: portal.companies ?? 40, deals: portal.deals ?? 250, seed: 7, asOf: TEST_AS_OF },
    ],
    ...options,
  });
  const [info] = sandbox.initialPortals;
  if (info === undefined) throw new Error('no portal seeded');
  const proxy = await startRecordingProxy(sandbox.url);
  return {
    sandbox,
    portalId: info.portalId,
    accessToken: info.accessToken,
    client: new Client({ accessToken: info.accessToken, basePath: proxy.url }),
    exchanges: proxy.exchanges,
    async close() {
      await proxy.close();
      await sandbox.close();
      for (const exchange of proxy.exchanges) {
        const schema = schemaForResponse(exchange.method, exchange.path, exchange.status);
        if (schema === undefined) continue;
        const result = schema.safeParse(exchange.body);
        expect(
          result.error,
          `${exchange.method} ${exchange.path} → ${exchange.status}`,
        ).toBeUndefined();
      }
    },
    async call(path, init = {}) {
      const response = await fetch(`${proxy.url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          authorization: `Bearer ${init.token ?? info.accessToken}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      };
    },
  };
}
