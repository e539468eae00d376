import type { Redis } from 'ioredis';
import type { RecomputeProgress, RecomputeReport } from '../recompute/full-recompute.ts';

/** What the cards and the demo show about a portal's full recompute. */
export interface RecomputeStatus {
  readonly state: 'idle' | 'queued' | 'running' | 'failed';
  readonly progress: {
    readonly phase: RecomputeProgress['phase'] | null;
    readonly pagesRead: number;
    readonly companiesScored: number;
    readonly companiesWritten: number;
    readonly companiesTotal: number;
  };
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly lastReport: RecomputeReport | null;
  readonly error?: string;
}

export const IDLE_STATUS: RecomputeStatus = {
  state: 'idle',
  progress: {
    phase: null,
    pagesRead: 0,
    companiesScored: 0,
    companiesWritten: 0,
    companiesTotal: 0,
  },
  startedAt: null,
  finishedAt: null,
  lastReport: null,
};

/** A full recompute has run to its end (the demo, benchmarks and tests wait for this). */
export function recomputeFinished(status: RecomputeStatus): boolean {
  return status.state === 'idle' && status.progress.phase === 'done' && status.lastReport !== null;
}

export function createRecomputeStatusStore(redis: Redis, prefix = 'kam') {
  const key = (portalId: number): string => `${prefix}:portal:${portalId}:recompute`;
  return {
    async get(portalId: number): Promise<RecomputeStatus> {
      const json = await redis.get(key(portalId));
      return json === null ? IDLE_STATUS : (JSON.parse(json) as RecomputeStatus);
    },
    async set(portalId: number, status: RecomputeStatus): Promise<void> {
      await redis.set(key(portalId), JSON.stringify(status));
    },
    async remove(portalId: number): Promise<void> {
      await redis.del(key(portalId));
    },
  };
}

export type RecomputeStatusStore = ReturnType<typeof createRecomputeStatusStore>;
