/**
 * Issue 14, items 4 and 9: what reaches the API's HTTP server before any
 * route runs. An unsigned or stale request is refused from its headers,
 * before its body is read; a client that trickles its headers or body is
 * cut off; connections are capped; a body the reader cannot take (too
 * large, an unknown or broken Content-Encoding) gets the reader's status
 * and the API's error body, logged at warn without a stack; an upload the
 * client aborts is a debug line, not an error.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNATURE_MAX_AGE_MS } from '../../../server/hubspot/request-signature.ts';
import type { InstalledBackend } from '../../support/installed-backend.ts';
import { startInstalledBackend, until } from '../../support/installed-backend.ts';
import type { LogEntry } from './support.ts';
import { capturedLogger, cardPath, LEVEL, sendSigned } from './support.ts';

const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 2_000;
const MAX_CONNECTIONS = 16;

let installed: InstalledBackend;
let entries: LogEntry[];
let host: string;
let port: number;

beforeAll(async () => {
  const captured = capturedLogger('debug');
  entries = captured.entries;
  installed = await startInstalledBackend(undefined, {
    logger: captured.logger,
    env: {
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
    },
  });
  const url = new URL(installed.backend.url ?? '');
  host = url.hostname;
  port = Number(url.port);
});

afterAll(async () => {
  await installed.stop();
});

/** What a raw connection saw: the bytes answered, and when the server closed it (null: still open). */
interface Seen {
  readonly answer: string;
  readonly closedAfterMs: number | null;
}

/**
 * Opens a TCP connection to the API, lets `talk` write to it, and collects
 * what comes back until the server closes it or `waitMs` passes.
 */
async function rawConnection(talk: (socket: Socket) => void, waitMs: number): Promise<Seen> {
  const started = Date.now();
  const socket = connect(port, host);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  talk(socket);
  const closedAfterMs = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), waitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
  socket.destroy();
  return { answer, closedAfterMs };
}

/** A request head announcing a body of `length` bytes, with these extra header lines. */
function head(method: string, path: string, length: number, extra: readonly string[]): string {
  return [
    `${method} ${path} HTTP/1.1`,
    `Host: ${host}:${port}`,
    'Content-Type: application/json',
    `Content-Length: ${length}`,
    ...extra,
    '',
    '',
  ].join('\r\n');
}

const freshHeaders = () => [
  'X-HubSpot-Signature-v3: c2lnbmVkLWxhdGVy',
  `X-HubSpot-Request-Timestamp: ${installed.now}`,
];

describe('a request that cannot be signed is refused before its body is read (item 4)', () => {
  it.each<[string, () => readonly string[]]>([
    ['no signature headers', () => []],
    ['only a timestamp', () => [`X-HubSpot-Request-Timestamp: ${installed.now}`]],
    [
      'a stale timestamp',
      () => [
        'X-HubSpot-Signature-v3: c2lnbmVk',
        `X-HubSpot-Request-Timestamp: ${installed.now - SIGNATURE_MAX_AGE_MS - 1_000}`,
      ],
    ],
  ])('%s: 401 and the connection closed while 1 MB is still announced', async (_case, extra) => {
    for (const path of [
      '/webhooks/hubspot',
      cardPath(installed, '/api/v1/companies/1/swot', installed.portalId),
    ]) {
      const seen = await rawConnection((socket) => {
        socket.write(head(path.startsWith('/api') ? 'PUT' : 'POST', path, 1_000_000, extra()));
        socket.write('[{"eventId"'); // and nothing more: the rest never comes
      }, 3_000);
      expect(seen.answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(seen.answer).toContain('"code":"unauthorized"');
      expect(seen.closedAfterMs).not.toBeNull();
    }
  });
});

describe('slow and surplus clients are cut off (item 4)', () => {
  it('a body trickled a byte at a time is answered 408 and closed after the request timeout', async () => {
    let timer: NodeJS.Timeout | undefined;
    const seen = await rawConnection((socket) => {
      socket.write(head('POST', '/webhooks/hubspot', 1_000, freshHeaders()));
      timer = setInterval(() => socket.write('x'), 200);
    }, REQUEST_TIMEOUT_MS + 4_000);
    clearInterval(timer);
    expect(seen.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(seen.closedAfterMs).not.toBeNull();
  });

  it('headers trickled a line at a time are cut off after the headers timeout', async () => {
    let timer: NodeJS.Timeout | undefined;
    const seen = await rawConnection((socket) => {
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n`);
      timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    }, HEADERS_TIMEOUT_MS + 4_000);
    clearInterval(timer);
    expect(seen.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(seen.closedAfterMs).not.toBeNull();
  });

  it(`connections beyond HTTP_MAX_CONNECTIONS (${MAX_CONNECTIONS}) are dropped unanswered`, async () => {
    const sockets: Socket[] = [];
    const answered: Promise<boolean>[] = [];
    for (let index = 0; index <= MAX_CONNECTIONS; index += 1) {
      const socket = connect(port, host);
      socket.on('error', () => undefined);
      sockets.push(socket);
      answered.push(
        new Promise((resolve) => {
          socket.once('data', () => resolve(true));
          socket.once('close', () => resolve(false));
        }),
      );
      await new Promise((resolve) => socket.once('connect', resolve));
    }
    // Every connection asks once it is open (keep-alive: none lets go of its socket).
    for (const socket of sockets) socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    const outcomes = await Promise.all(answered);
    for (const socket of sockets) socket.destroy();
    expect(outcomes.filter((ok) => ok).length).toBeLessThanOrEqual(MAX_CONNECTIONS);
    expect(outcomes.filter((ok) => !ok).length).toBeGreaterThanOrEqual(1);
    // Once they are gone, the API answers again.
    await until(
      () =>
        fetch(`${installed.backend.url ?? ''}/healthz`).then(
          (response) => response.status,
          () => 0,
        ),
      (status) => status === 200,
      'the API to answer after the surplus connections closed',
    );
  });
});

/** The log lines of `act`, and the answer it returned. */
async function loggedDuring<T>(act: () => Promise<T>): Promise<{ value: T; lines: LogEntry[] }> {
  const from = entries.length;
  const value = await act();
  return { value, lines: entries.slice(from) };
}

describe('a body the reader refuses keeps the reader’s status (item 9)', () => {
  const webhook = (body: string, contentEncoding?: string) =>
    sendSigned(installed, {
      method: 'POST',
      path: '/webhooks/hubspot',
      body,
      ...(contentEncoding === undefined ? {} : { contentEncoding }),
    });
  it.each<[string, () => Promise<Response>, number, string]>([
    [
      'an unknown Content-Encoding',
      () => webhook('[]', 'x-unknown'),
      415,
      'unsupported_media_type',
    ],
    [
      'a gzip body that is not gzip',
      () => webhook('not gzip at all', 'gzip'),
      400,
      'validation_failed',
    ],
    [
      'a body over 1 MB',
      () => webhook(JSON.stringify([{ pad: 'x'.repeat(1_100_000) }])),
      413,
      'payload_too_large',
    ],
  ])(
    '%s: the reader’s status with the API’s error body, one warn line without a stack',
    async (_case, send, status, code) => {
      const { value: response, lines } = await loggedDuring(send);
      expect(response.status).toBe(status);
      const answer = (await response.json()) as { error: Record<string, unknown> };
      expect(Object.keys(answer)).toEqual(['error']);
      expect(answer.error).toMatchObject({ code, field: 'body' });
      expect(answer.error.message).toEqual(expect.any(String));
      expect(lines.filter((line) => line.level >= LEVEL.error)).toEqual([]);
      const refused = lines.filter((line) => line.msg === 'request body refused');
      expect(refused).toEqual([expect.objectContaining({ level: LEVEL.warn, status })]);
      expect(JSON.stringify(refused)).not.toMatch(/stack|"err"/);
    },
  );
});

describe('an upload the client aborts (item 4)', () => {
  it('is logged at debug, not as an error', async () => {
    const from = entries.length;
    await rawConnection((socket) => {
      socket.write(head('POST', '/webhooks/hubspot', 100_000, freshHeaders()));
      socket.write('[{"eventId": 1', () => setTimeout(() => socket.destroy(), 100));
    }, 1_000);
    const lines = await until(
      () => Promise.resolve(entries.slice(from)),
      (seen) => seen.some((line) => line.msg === 'upload aborted by the client'),
      'the aborted upload to be logged',
      5_000,
    );
    expect(lines.find((line) => line.msg === 'upload aborted by the client')?.level).toBe(
      LEVEL.debug,
    );
    expect(lines.filter((line) => line.level >= LEVEL.warn)).toEqual([]);
  });
});
