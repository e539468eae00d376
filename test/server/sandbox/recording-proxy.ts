import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exchange as it went over the wire. */
export interface RecordedExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Parsed JSON body, or undefined when the response had none. */
  readonly body: unknown;
}

export interface RecordingProxy {
  readonly url: string;
  readonly exchanges: RecordedExchange[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
]);

/**
 * A transparent HTTP proxy in front of the sandbox that records every
 * response, so tests can check what HubSpot's SDK received against
 * HubSpot's documented shapes (the SDK itself hides the raw JSON).
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: RecordedExchange[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.entries(request.headers).flatMap(([name, value]) =>
        HOP_BY_HOP.has(name) || value === undefined
          ? []
          : [[name, String(value)] as [string, string]],
      );
      const body = Buffer.concat(chunks);
      void fetch(`${target}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers,
        redirect: 'manual',
        ...(body.length > 0 ? { body } : {}),
      }).then(async (upstream) => {
        const text = await upstream.text();
        const isJson = upstream.headers.get('content-type')?.includes('application/json') === true;
        exchanges.push({
          method: request.method ?? 'GET',
          path: (request.url ?? '/').split('?')[0] ?? '/',
          status: upstream.status,
          body: isJson && text !== '' ? (JSON.parse(text) as unknown) : undefined,
        });
        const forwarded: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') forwarded[name] = value;
        });
        response.writeHead(upstream.status, forwarded).end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
