import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { RecomputeQueue } from '../jobs/recompute-queue.ts';
import { createRecomputeQueue } from '../jobs/recompute-queue.ts';
import { seededRandom } from '../synthetic/generate-portal.ts';
import { recomputeFinished } from '../jobs/recompute-status.ts';
import { startCardClient } from './bench-cards.ts';
import type { BenchEnv } from './bench-env.ts';
import { callFloor, HUBSPOT_LIMIT, installAndRecompute, withBenchEnv } from './bench-env.ts';
import { latencyReport, round } from './bench-stats.ts';

/** A marketplace's portals: many small, some mid-sized, a few large (companies, deals ×10). */
export const TENANT_MIX = [
  { portals: 150, companies: 200, deals: 2_000 },
  { portals: 45, companies: 2_000, deals: 20_000 },
  { portals: 5, companies: 10_000, deals: 100_000 },
] as const;

export interface TenantsOptions {
  /** 1 for the mix above; below 1 scales the portal counts and sizes down (a smoke run). */
  readonly scale: number;
  readonly workers: number;
  /** Full recomputes each worker process works at once (WORKER_CONCURRENCY). */
  readonly concurrency: number;
  /** Reps' card requests in flight while the herd runs. */
  readonly cardClients: number;
  /** How long each rep waits after each card. */
  readonly cardPauseMs: number;
  /** Warm (portal, company) pairs the reps ask for, at random. */
  readonly warmCards: number;
  readonly log: (line: string) => void;
}

const SEED = 11;
const RATE_PER_SECOND = HUBSPOT_LIMIT.max / (HUBSPOT_LIMIT.windowMs / 1000);
/** Installs through the OAuth flow at once (each creates the portal's properties). */
const INSTALLS_AT_ONCE = 8;

/** The mix scaled down for a smoke run: fewer portals, fewer companies, 10 deals each still. */
export function scaledMix(scale: number) {
  return TENANT_MIX.map((tier) => {
    const companies = Math.max(20, Math.round(tier.companies * scale));
    return {
      portals: Math.max(1, Math.round(tier.portals * scale)),
      companies,
      deals: companies * (tier.deals / tier.companies),
    };
  });
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

/**
 * 200 portals installed by OAuth, each at HubSpot's per-portal limit, two
 * worker processes; then every portal's full recompute queued at once (the
 * herd the old 03:00 UTC schedule made every night), timed against the
 * ideal, while reps fetch warm scorecards of random portals.
 */
export async function tenantsBench(options: TenantsOptions) {
  const mix = scaledMix(options.scale);
  const portals = mix.flatMap((tier) =>
    Array.from({ length: tier.portals }, () => ({
      companies: tier.companies,
      deals: tier.deals,
    })),
  );
  const specs = portals.map((portal, index) => ({ ...portal, seed: SEED + index }));
  const slots = options.workers * options.concurrency;
  options.log(
    `tenants: ${specs.length} portals (${mix.map((tier) => `${tier.portals} × ${tier.companies}`).join(', ')} companies), ${options.workers} workers × ${options.concurrency} slots…`,
  );
  return withBenchEnv(
    {
      portals: specs,
      workers: options.workers,
      debounceMs: 1_000,
      env: {
        WORKER_CONCURRENCY: String(options.concurrency),
        // The bench installs every portal from one address.
        OAUTH_INSTALLS_PER_MINUTE: '100000',
      },
    },
    async (env) => {
      const redis = new Redis(env.redis.url);
      try {
        const emptyBytes = await usedMemory(redis);
        const installStarted = performance.now();
        for (let index = 0; index < env.portalIds.length; index += INSTALLS_AT_ONCE) {
          await Promise.all(
            env.portalIds
              .slice(index, index + INSTALLS_AT_ONCE)
              .map((portalId) => installAndRecompute(env, portalId, 60 * 60_000)),
          );
          if ((index / INSTALLS_AT_ONCE) % 5 === 0)
            options.log(`  installed ${Math.min(index + INSTALLS_AT_ONCE, specs.length)}…`);
        }
        const installSeconds = (performance.now() - installStarted) / 1000;
        options.log(`  all installed and recomputed in ${round(installSeconds)} s; the herd…`);
        return await herd(env, redis, { ...options, specs, slots, emptyBytes, installSeconds });
      } finally {
        redis.disconnect();
      }
    },
  );
}

async function herd(
  env: BenchEnv,
  redis: Redis,
  options: TenantsOptions & {
    readonly specs: readonly { readonly companies: number; readonly deals: number }[];
    readonly slots: number;
    readonly emptyBytes: number;
    readonly installSeconds: number;
  },
) {
  const random = seededRandom(SEED);
  const cards = await startCardClient(env, options.cardClients);
  const queue = createRecomputeQueue({ url: env.redis.url }, redis);
  try {
    // Warm: each chosen scorecard once, so its company's history is cached.
    const warm = Array.from({ length: options.warmCards }, () => {
      const index = Math.floor(random() * env.portalIds.length);
      const portalId = env.portalIds[index] ?? 0;
      const ids = env.sandbox.admin.portal(portalId).sortedIds('companies');
      return { portalId, companyId: ids[Math.floor(random() * ids.length)] ?? '' };
    });
    for (const card of warm) await cards.scorecard(card.portalId, card.companyId);

    // The herd is every portal's nightly at once. The sandbox's portals are
    // spread over time zones, so some portal's own nightly falls within the
    // run (in run 7 one fired just before the herd, and that portal was read
    // twice): the schedules go, and a nightly run already under way ends, first.
    for (const portalId of env.portalIds) await queue.unscheduleNightly(portalId);
    await untilNoFullRecompute(queue.queue);

    const before = new Map(env.portalIds.map((id) => [id, env.routes(id)]));
    await queue.queue.pause();
    // As the nights' schedules queue them: each with the priority of its last run's size.
    for (const portalId of env.portalIds) {
      const last = (await env.app.backend.stores.status.get(portalId)).lastReport;
      await queue.full(
        { portalId, reason: 'nightly' },
        (last?.companies ?? 0) + (last?.deals ?? 0),
      );
    }
    const startedAt = new Date().toISOString();
    const started = performance.now();
    await queue.queue.resume();

    const finishedAt = new Map<number, number>();
    let herdDone = false;
    const latencies: number[] = [];
    let cardErrors = 0;
    const reps = Array.from({ length: options.cardClients }, async () => {
      while (!herdDone) {
        const card = warm[Math.floor(random() * warm.length)];
        if (card === undefined) return;
        const latency = await cards.scorecard(card.portalId, card.companyId);
        if (latency === null) cardErrors += 1;
        else latencies.push(latency);
        await new Promise((resolve) => setTimeout(resolve, options.cardPauseMs));
      }
    });
    let lastLog = performance.now();
    while (finishedAt.size < env.portalIds.length) {
      for (const portalId of env.portalIds) {
        if (finishedAt.has(portalId)) continue;
        const status = await env.app.backend.stores.status.get(portalId);
        if (status.state === 'failed') throw new Error(`portal ${portalId}: ${status.error ?? ''}`);
        if (recomputeFinished(status) && (status.finishedAt ?? '') >= startedAt)
          finishedAt.set(portalId, (performance.now() - started) / 1000);
      }
      const dead = env.workers.find((worker) => worker.child.exitCode !== null);
      if (dead !== undefined) throw new Error(`a worker exited: ${dead.output().slice(-2_000)}`);
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        options.log(`  ${finishedAt.size} of ${env.portalIds.length} done…`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const wallSeconds = (performance.now() - started) / 1000;
    herdDone = true;
    await Promise.all(reps);
    const usedBytes = await usedMemory(redis);

    const perPortal = await Promise.all(
      env.portalIds.map(async (portalId, index) => {
        const status = await env.app.backend.stores.status.get(portalId);
        const written = status.lastReport?.written ?? 0;
        const routes = env.routes(portalId);
        const calls = subtractRoutes(routes.byRoute, before.get(portalId)?.byRoute ?? {});
        const floor = callFloor(env.sandbox, portalId, written);
        return {
          portalId,
          companies: options.specs[index]?.companies ?? 0,
          calls: Object.values(calls).reduce((sum, count) => sum + count, 0),
          callFloor: floor,
          rateLimitFloorSeconds: floor / RATE_PER_SECOND,
          seconds: round(finishedAt.get(portalId) ?? 0),
          http429: routes.http429,
        };
      }),
    );
    const floors = perPortal.map((portal) => portal.rateLimitFloorSeconds);
    const idealSeconds = Math.max(
      Math.max(...floors),
      floors.reduce((sum, floor) => sum + floor, 0) / options.slots,
    );
    const companies = options.specs.reduce((sum, spec) => sum + spec.companies, 0);
    const bytesPerCompany = (usedBytes - options.emptyBytes) / companies;
    const rss = await Promise.all(env.workers.map((worker) => worker.peakRssMb()));
    return {
      portals: env.portalIds.length,
      companies,
      deals: options.specs.reduce((sum, spec) => sum + spec.deals, 0),
      workers: options.workers,
      slots: options.slots,
      installSeconds: round(options.installSeconds),
      wallSeconds: round(wallSeconds),
      idealSeconds: round(idealSeconds),
      timeRatio: round(wallSeconds / idealSeconds, 3),
      http429: perPortal.reduce((sum, portal) => sum + portal.http429, 0),
      portalsWith429: perPortal.filter((portal) => portal.http429 > 0).length,
      workerPeakRssMb: rss,
      redis: {
        usedMemoryMb: round(usedBytes / 1_048_576),
        mbPer1000Companies: round(
          (((usedBytes - options.emptyBytes) / companies) * 1000) / 1_048_576,
          2,
        ),
        kbPerCompany: round(bytesPerCompany / 1024, 2),
      },
      cardsDuringHerd: {
        clients: options.cardClients,
        pauseMs: options.cardPauseMs,
        warmCards: warm.length,
        ...latencyReport(latencies, cardErrors, wallSeconds),
      },
      perPortal: perPortal.map((portal) => ({
        ...portal,
        rateLimitFloorSeconds: round(portal.rateLimitFloorSeconds),
      })),
    };
  } finally {
    await queue.close();
    await cards.stop();
  }
}

/** Waits until the queue holds no full recompute, waiting or running. */
async function untilNoFullRecompute(queue: RecomputeQueue['queue']): Promise<void> {
  for (;;) {
    const counts = await queue.getJobCounts('active', 'waiting', 'prioritized', 'delayed');
    if (Object.values(counts).every((count) => count === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function subtractRoutes(
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [route, count] of Object.entries(after)) {
    const made = count - (before[route] ?? 0);
    if (made > 0) delta[route] = made;
  }
  return delta;
}
