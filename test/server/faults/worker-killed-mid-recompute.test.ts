import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/index.ts';
import type { SpawnedRedis } from '../../../server/demo/local-redis.ts';
import type { AppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { startAppOnSandbox } from '../../../server/demo/app-on-sandbox.ts';
import { createRecomputeStatusStore } from '../../../server/jobs/recompute-status.ts';
import {
  KAM_OUTPUT_PROPERTIES,
  SCORED_AT_PROPERTY,
} from '../../../server/recompute/kam-property-values.ts';
import type { Sandbox } from '../../../server/sandbox/sandbox.ts';
import { startSandbox } from '../../../server/sandbox/sandbox.ts';
import type { KamProcess } from '../../../server/demo/kam-process.ts';
import { startKamProcess } from '../../../server/demo/kam-process.ts';
import { cleanRunValues, differences, readPortal } from '../../support/fault-scenario.ts';
import { until } from '../../support/installed-backend.ts';
import { startRestartableRedis } from '../../support/redis-server.ts';
import { recomputeFinished } from '../../../server/jobs/recompute-status.ts';

/**
 * Issue 6, fault tolerance (1): `kill -9` of the worker process in the middle
 * of a full recompute's write-back. A second worker process takes the job
 * over (BullMQ's stalled-job recovery) and the portal ends exactly as a
 * clean run leaves it, every company's kam_* values from one run.
 */
const COMPANIES = 500;
const BATCH_UPDATE = 'POST /crm/v3/objects/companies/batch/update';

let redis: SpawnedRedis | undefined;
let sandbox: Sandbox | undefined;
let app: AppOnSandbox | undefined;
const workers: KamProcess[] = [];

afterAll(async () => {
  for (const worker of workers) {
    if (worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  }
  await app?.backend.stop();
  await sandbox?.close();
  await redis?.stop();
});

describe('a worker killed with SIGKILL in the middle of a full recompute', () => {
  it('is replaced by another worker process, and the portal ends as a clean run leaves it', async () => {
    redis = await startRestartableRedis();
    sandbox = await startSandbox({
      port: 0,
      autoApprove: true,
      portals: [
        {
          portalId: 9_100_001,
          companies: COMPANIES,
          deals: 3_000,
          seed: 61,
          asOf: new Date().toISOString(),
        },
      ],
      webhooks: { batchWindowMs: 50 },
    });
    const portalId = sandbox.initialPortals[0]?.portalId ?? 0;
    const privateToken = sandbox.initialPortals[0]?.accessToken ?? '';
    // The API (OAuth install) in this process; the workers are separate OS processes.
    app = await startAppOnSandbox(sandbox, {
      redisUrl: redis.url,
      logger: pino({ level: 'silent' }),
      worker: false,
    });
    // A dead worker's job and portal lock lapse after 5 s instead of 30.
    const workerEnv = { ...app.env, LOG_LEVEL: 'warn', RECOMPUTE_LOCK_MS: '5000' };
    const connection = new Redis(redis.url);
    const status = createRecomputeStatusStore(connection);
    const batches = () => sandbox?.stats().portals[String(portalId)]?.byRoute[BATCH_UPDATE] ?? 0;

    // Every HubSpot answer takes 80 ms, so the write-back lasts long enough to be cut.
    sandbox.faults.update({ latencyMs: 80 });
    const first = startKamProcess('worker', workerEnv);
    workers.push(first);
    await app.install();
    await until(
      () => Promise.resolve(batches()),
      (count) => count >= 1,
      'the first write batch',
      60_000,
    );
    process.kill(first.pid, 'SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const cut = await status.get(portalId);
    expect(cut.state).toBe('running');
    expect(cut.progress.phase).toBe('writing');
    const batchesBeforeKill = batches();
    sandbox.faults.update({ latencyMs: 0 });

    const killedAt = Date.now();
    const second = startKamProcess('worker', workerEnv);
    workers.push(second);
    const done = await until(
      () => status.get(portalId),
      recomputeFinished,
      `the second worker to finish the job (its output: ${second.output()})`,
      150_000,
    );
    const recoveryMs = Date.now() - killedAt;
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe('0');

    const report = done.lastReport;
    expect(report?.companies).toBe(COMPANIES);
    expect(report?.failed).toEqual([]);
    // The second run wrote only what the killed one had not written (values unchanged are skipped).
    expect(report?.written).toBeGreaterThan(0);
    expect(report?.written).toBeLessThan(COMPANIES);

    const state = await readPortal(sandbox.url, privateToken, DEFAULT_SETTINGS);
    expect(state.companies).toHaveLength(COMPANIES);
    // kam_scored_at is the run's "as of" instant: exactly two runs stamped the portal.
    const stamps = [
      ...new Set([...state.written.values()].map((w) => w[SCORED_AT_PROPERTY] ?? '')),
    ];
    expect(stamps.every((stamp) => stamp !== '')).toBe(true);
    expect(stamps).toHaveLength(2);
    const runs = new Map(
      stamps.map((stamp) => [stamp, cleanRunValues(state, DEFAULT_SETTINGS, Date.parse(stamp))]),
    );
    const lastRun = Math.max(...stamps.map((stamp) => Date.parse(stamp)));
    const clean = cleanRunValues(state, DEFAULT_SETTINGS, lastRun);

    const mixed: string[] = [];
    const unlikeCleanRun: string[] = [];
    const writesWithoutStamp: string[] = [];
    for (const company of state.companies) {
      const written = state.written.get(company.id);
      const stamp = written?.[SCORED_AT_PROPERTY] ?? '';
      // Every value is what the run that stamped the company computed: none from another run.
      if (differences(written, runs.get(stamp)?.get(company.id)).length > 0) mixed.push(company.id);
      // And the portal is what one clean run at the last run's instant writes.
      if (differences(written, clean.get(company.id)).length > 0) unlikeCleanRun.push(company.id);
      // HubSpot's history: every write of a kam_* value came with a kam_scored_at in the same request.
      const stampedAt = new Set(
        sandbox.admin
          .propertyHistory(portalId, 'companies', company.id, SCORED_AT_PROPERTY)
          .map((entry) => entry.timestamp),
      );
      for (const name of KAM_OUTPUT_PROPERTIES) {
        for (const entry of sandbox.admin.propertyHistory(
          portalId,
          'companies',
          company.id,
          name,
        )) {
          if (entry.sourceType === 'INTEGRATION' && !stampedAt.has(entry.timestamp))
            writesWithoutStamp.push(`${company.id}.${name}@${entry.timestamp}`);
        }
      }
    }
    expect(mixed).toEqual([]);
    expect(unlikeCleanRun).toEqual([]);
    expect(writesWithoutStamp).toEqual([]);

    console.info(
      `[fault 1] ${COMPANIES} companies; killed after ${batchesBeforeKill} write batch(es); ` +
        `second worker wrote ${report?.written ?? 0}; recovered and finished ${recoveryMs} ms after the kill`,
    );
    connection.disconnect();
  }, 180_000);
});
