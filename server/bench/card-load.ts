import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';

/**
 * The warm-card load as its own small process: `clients` clients, each
 * asking for the next signed scorecard as soon as the last answered, for
 * `warmupSeconds` and then for the `seconds` it times. Apart from the
 * benchmark's process, whose heap holds the sandbox's portals (a million
 * deals in `--huge`), so the latencies it times are the API's, not that
 * heap's collector pauses. Reads its job as JSON on stdin and writes
 * `{latencies, errors, warmup}` as JSON on stdout.
 */
export const cardLoadJobSchema = z.strictObject({
  requests: z
    .array(z.strictObject({ url: z.url(), headers: z.record(z.string(), z.string()) }))
    .min(1),
  clients: z.number().int().positive(),
  /**
   * The same load first, timed apart: a freshly started API answers its
   * first seconds of load 2–3× slower while V8 compiles its hot code.
   */
  warmupSeconds: z.number().nonnegative(),
  seconds: z.number().positive(),
});
export type CardLoadJob = z.infer<typeof cardLoadJobSchema>;

const timedPhaseSchema = z.strictObject({
  latencies: z.array(z.number()),
  errors: z.number().int(),
});
type TimedPhase = z.infer<typeof timedPhaseSchema>;

export const cardLoadResultSchema = timedPhaseSchema.extend({ warmup: timedPhaseSchema });
export type CardLoadResult = z.infer<typeof cardLoadResultSchema>;

/** One signed GET's latency in ms, or null when it did not answer 200. */
export function timedGet(
  card: { readonly url: string; readonly headers: Readonly<Record<string, string>> },
  agent: Agent,
): Promise<number | null> {
  const started = performance.now();
  return new Promise((resolve) => {
    httpRequest(card.url, { headers: card.headers, agent }, (response) => {
      response.resume();
      response.on('end', () =>
        resolve(response.statusCode === 200 ? performance.now() - started : null),
      );
    })
      .on('error', () => resolve(null))
      .end();
  });
}

export async function runCardLoad(job: CardLoadJob): Promise<CardLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.clients });
  try {
    const warmup = await loadFor(job, agent, job.warmupSeconds);
    return { ...(await loadFor(job, agent, job.seconds)), warmup };
  } finally {
    agent.destroy();
  }
}

/** The job's clients asking back to back for `seconds`: each answer's latency, and the failures. */
async function loadFor(job: CardLoadJob, agent: Agent, seconds: number): Promise<TimedPhase> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: job.clients }, async (_, client) => {
      for (let index = client; performance.now() < until; index += job.clients) {
        const card = job.requests[index % job.requests.length];
        const latency = card === undefined ? null : await timedGet(card, agent);
        if (latency === null) errors += 1;
        else latencies.push(latency);
      }
    }),
  );
  return { latencies, errors };
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const job = cardLoadJobSchema.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  process.stdout.write(JSON.stringify(await runCardLoad(job)));
}

// Run as a process by `startCardClient`; imported for its schemas.
if (import.meta.main) await main();
