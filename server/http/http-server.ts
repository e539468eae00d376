import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';

/** How long a client may take and how many may be connected at once (README "The backend"). */
export interface ServerLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
}

export interface ListeningServer {
  readonly server: Server;
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An HTTP server listening on `port` (0: any free one) of `host` (every
 * address when absent). With `limits`, a client that trickles its headers
 * or body is answered 408 and cut off once its time is up (checked every
 * second rather than Node's default 30 s), and connections over the cap are
 * refused, so slow or idle clients cannot hold the process's sockets.
 */
export async function listen(
  handler: RequestListener,
  options: { readonly port: number; readonly host?: string; readonly limits?: ServerLimits },
): Promise<ListeningServer> {
  const { limits } = options;
  const server =
    limits === undefined
      ? createServer(handler)
      : createServer(
          {
            headersTimeout: limits.headersTimeoutMs,
            requestTimeout: limits.requestTimeoutMs,
            keepAliveTimeout: limits.keepAliveTimeoutMs,
            connectionsCheckingInterval: 1_000,
          },
          handler,
        );
  if (limits !== undefined) server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host =
    options.host === undefined || options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
