import { spawn } from 'node:child_process';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort } from '../demo/local-redis.ts';
import { startKamProcess } from '../demo/kam-process.ts';
import { signCardRequest } from '../sandbox/card-request.ts';
import type { BenchEnv } from './bench-env.ts';
import type { CardLoadJob, CardLoadResult } from './card-load.ts';
import { cardLoadResultSchema, timedGet } from './card-load.ts';

const RESIGN_AFTER_MS = 4 * 60_000;

/** `kam api` as its own process, and a client fetching signed scorecards from it. */
export interface CardClient {
  readonly url: string;
  /** One scorecard: its latency in ms, or null when it did not answer 200. */
  scorecard(portalId: number, companyId: string): Promise<number | null>;
  /**
   * `clients` clients asking back to back for these companies' scorecards
   * for `warmupSeconds` and then for the `seconds` timed, from a process of
   * their own (`card-load.ts`).
   */
  warmLoad(
    portalId: number,
    companyIds: readonly string[],
    clients: number,
    timing: { readonly warmupSeconds: number; readonly seconds: number },
  ): Promise<CardLoadResult>;
  stop(): Promise<void>;
}

/**
 * Starts `kam api` on the bench's Redis and sandbox app, and waits for its
 * health check. The client is a plain keep-alive agent with each company's
 * request signed once every 4 minutes (a signature holds for 5): the load
 * generator shares the machine with the API and should cost it as little
 * as possible.
 */
export async function startCardClient(env: BenchEnv, clients: number): Promise<CardClient> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const api = startKamProcess('api', {
    ...env.app.env,
    PORT: String(port),
    PUBLIC_BASE_URL: url,
    LOG_LEVEL: 'warn',
  });
  const stop = async (): Promise<void> => {
    agent.destroy();
    await api.stop();
  };
  for (let attempt = 0; ; attempt += 1) {
    const ready = await fetch(`${url}/healthz`).catch(() => null);
    if (ready?.ok === true) break;
    // A minute: on a loaded machine a process takes a while to start.
    if (attempt > 600) {
      await stop();
      throw new Error(`kam api did not start: ${api.output().slice(-2_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const signed = new Map<
    string,
    { readonly request: ReturnType<typeof signCardRequest>; readonly at: number }
  >();
  /** The scorecard's request, signed; signed again after 4 minutes (HubSpot's signature holds 5). */
  const signedRequest = (portalId: number, companyId: string) => {
    const key = `${portalId}/${companyId}`;
    const kept = signed.get(key);
    if (kept !== undefined && Date.now() - kept.at <= RESIGN_AFTER_MS) return kept.request;
    const request = signCardRequest({
      url: `${url}/api/v1/companies/${companyId}/scorecard`,
      portalId,
      userId: 1,
      userEmail: 'rep@example.com',
      appId: env.app.appId,
      clientSecret: env.app.clientSecret,
    });
    signed.set(key, { request, at: Date.now() });
    return request;
  };
  return {
    url,
    scorecard(portalId, companyId) {
      return timedGet(signedRequest(portalId, companyId), agent);
    },
    warmLoad(portalId, companyIds, clients, timing) {
      const job: CardLoadJob = {
        requests: companyIds.map((companyId) => {
          const { url: cardUrl, headers } = signedRequest(portalId, companyId);
          return { url: cardUrl, headers };
        }),
        clients,
        ...timing,
      };
      return runCardLoadProcess(job);
    },
    stop,
  };
}

/** Runs `card-load.ts` as a child process with the job on its stdin; its answer from stdout. */
function runCardLoadProcess(job: CardLoadJob): Promise<CardLoadResult> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('card-load.ts', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const out: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stdin.end(JSON.stringify(job));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`the card load process exited with ${String(code)}`));
        return;
      }
      try {
        resolve(cardLoadResultSchema.parse(JSON.parse(Buffer.concat(out).toString('utf8'))));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
