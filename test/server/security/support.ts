import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import pino from 'pino';
import { RECOMPUTE_QUEUES } from '../../../server/jobs/recompute-queue.ts';
import { signatureV3 } from '../../../server/hubspot/request-signature.ts';
import { cardRequestUrl } from '../../../server/sandbox/card-request.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';

/** Both recompute queues, paused together and resumed together. */
export interface PausedQueues {
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The recompute queues as a test sees them. Paused, so a job a bad request
 * wrongly queued stays countable instead of being worked and removed.
 */
export async function pausedRecomputeQueue(redisUrl: string): Promise<PausedQueues> {
  const queues = RECOMPUTE_QUEUES.map((name) => new Queue(name, { connection: { url: redisUrl } }));
  await Promise.all(queues.map((queue) => queue.pause()));
  return {
    resume: async () => {
      await Promise.all(queues.map((queue) => queue.resume()));
    },
    close: async () => {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}

/**
 * The ids of every job of the recompute queue, whatever its state, sorted:
 * two equal lists mean no job was added or replaced. Read from the job
 * hashes, which stay put while a job moves between state lists (listing
 * the states one by one could miss a job promoted from delayed to waiting).
 */
export async function jobIds(redis: Redis): Promise<string[]> {
  const ids: string[] = [];
  for (const queue of RECOMPUTE_QUEUES) {
    const prefix = `bull:${queue}:`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        if ((await redis.type(key)) !== 'hash') continue;
        const [name, data] = await redis.hmget(key, 'name', 'data');
        if (name !== null && data !== null) ids.push(`${queue}:${key.slice(prefix.length)}`);
      }
    } while (cursor !== '0');
  }
  return ids.sort();
}

/**
 * Every key of the Redis with every byte of its value (and field names,
 * members, scores, stream entries), read with the command its type needs.
 * A type this does not know fails the test rather than being skipped.
 */
export async function dumpRedis(redis: Redis): Promise<Map<string, Buffer>> {
  const dump = new Map<string, Buffer>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scanBuffer(cursor, 'COUNT', 1000);
    cursor = next.toString();
    for (const keyBytes of keys) {
      const key = keyBytes.toString('latin1');
      const type = await redis.type(keyBytes);
      let parts: Buffer[];
      switch (type) {
        case 'none':
          continue; // expired between SCAN and TYPE
        case 'string':
          parts = [(await redis.getBuffer(keyBytes)) ?? Buffer.alloc(0)];
          break;
        case 'hash':
          parts = Object.entries(await redis.hgetallBuffer(keyBytes)).flatMap(([field, value]) => [
            Buffer.from(field, 'latin1'),
            value,
          ]);
          break;
        case 'list':
          parts = await redis.lrangeBuffer(keyBytes, 0, -1);
          break;
        case 'set':
          parts = await redis.smembersBuffer(keyBytes);
          break;
        case 'zset':
          parts = await redis.zrangeBuffer(keyBytes, 0, -1, 'WITHSCORES');
          break;
        case 'stream':
          parts = (await redis.xrangeBuffer(keyBytes, '-', '+')).flatMap(([id, fields]) => [
            id,
            ...fields,
          ]);
          break;
        default:
          throw new Error(`key ${key} has type ${type}, which dumpRedis cannot read`);
      }
      dump.set(key, Buffer.concat(parts.flatMap((part) => [part, Buffer.from('\n')])));
    }
  } while (cursor !== '0');
  return dump;
}

/** The app's own state in Redis, without the rate limiter's windows and BullMQ's bookkeeping. */
export async function appState(redis: Redis): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  for (const [key, value] of await dumpRedis(redis)) {
    if (key.startsWith('kam:limit:') || key.startsWith('bull:')) continue;
    state[key] = value.toString('base64');
  }
  return state;
}

/** Every company of a sandbox portal with the given properties and its last change, read with a private token. */
export async function portalCompanies(
  sandboxUrl: string,
  token: string,
  properties: readonly string[],
): Promise<Record<string, { properties: Record<string, string | null>; updatedAt: string }>> {
  const companies: Record<
    string,
    { properties: Record<string, string | null>; updatedAt: string }
  > = {};
  let after: string | undefined;
  do {
    const url = new URL(`${sandboxUrl}/crm/v3/objects/companies`);
    url.searchParams.set('limit', '100');
    url.searchParams.set('properties', properties.join(','));
    if (after !== undefined) url.searchParams.set('after', after);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`listing companies: ${response.status}`);
    const page = (await response.json()) as {
      results: { id: string; properties: Record<string, string | null>; updatedAt: string }[];
      paging?: { next?: { after: string } };
    };
    for (const company of page.results) {
      companies[company.id] = { properties: company.properties, updatedAt: company.updatedAt };
    }
    after = page.paging?.next?.after;
  } while (after !== undefined);
  return companies;
}

export interface RawSignedRequest {
  readonly method: string;
  /** Path and query on the backend, e.g. `/webhooks/hubspot`. */
  readonly path: string;
  /** The exact bytes sent ('' for none). */
  readonly body?: string;
  readonly timestamp?: number;
  readonly secret?: string;
  /** Sign this body instead of the one sent (a body altered after signing). */
  readonly signedBody?: string;
  /** Sign this path instead of the one called (a URL altered after signing). */
  readonly signedPath?: string;
  /** Replace the computed signature. */
  readonly signature?: (valid: string) => string;
  readonly omit?: 'signature' | 'timestamp';
  readonly contentType?: string;
  readonly contentEncoding?: string;
}

/**
 * A request signed the way HubSpot signs webhooks and `hubspot.fetch`
 * (v3 over the public URL), with every part a forger might get wrong
 * under the test's control.
 */
export function sendSigned(installed: InstalledBackend, request: RawSignedRequest) {
  const timestamp = request.timestamp ?? installed.now;
  const body = request.body ?? '';
  const valid = signatureV3({
    method: request.method,
    url: `${installed.publicBaseUrl}${request.signedPath ?? request.path}`,
    body: request.signedBody ?? body,
    timestamp,
    clientSecret: request.secret ?? installed.clientSecret,
  });
  const headers: Record<string, string> = {
    'Content-Type': request.contentType ?? 'application/json',
    'X-HubSpot-Signature-Version': 'v3',
  };
  if (request.omit !== 'signature')
    headers['X-HubSpot-Signature-v3'] = request.signature?.(valid) ?? valid;
  if (request.omit !== 'timestamp') headers['X-HubSpot-Request-Timestamp'] = String(timestamp);
  if (request.contentEncoding !== undefined) headers['Content-Encoding'] = request.contentEncoding;
  return fetch(`${installed.publicBaseUrl}${request.path}`, {
    method: request.method,
    headers,
    ...(body === '' ? {} : { body }),
  });
}

/** The path and query `hubspot.fetch` calls for a card of `portalId` (user 1). */
export function cardPath(installed: InstalledBackend, path: string, portalId: number): string {
  const url = new URL(
    cardRequestUrl({
      url: `${installed.publicBaseUrl}${path}`,
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId: installed.appId,
    }),
  );
  return `${url.pathname}${url.search}`;
}

/** A signature with its first character changed: same length, wrong bytes. */
export const tampered = (signature: string): string =>
  `${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;

/** One line of the backend's log, parsed. */
export interface LogEntry {
  readonly level: number;
  readonly msg?: string;
  readonly [field: string]: unknown;
}

/** A pino logger at `level` whose lines a test reads back, parsed. */
export function capturedLogger(level: pino.Level): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const logger = pino(
    { level },
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        for (const line of chunk.toString().split('\n'))
          if (line !== '') entries.push(JSON.parse(line) as LogEntry);
        done();
      },
    }),
  );
  return { logger, entries };
}

/** pino's numeric levels. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;
