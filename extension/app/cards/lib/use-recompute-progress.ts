import { useCallback, useEffect, useRef, useState } from 'react';
import { paths, type ApiClient, type ApiError } from './api-client.ts';
import type { RecomputeStatus } from './types.ts';

/** How often the recompute status is asked for while a run is under way. */
export const RECOMPUTE_POLL_MS = 1_500;

export type RecomputeProgress =
  | { phase: 'idle' }
  | { phase: 'running'; status: RecomputeStatus | null }
  | { phase: 'done' }
  | { phase: 'failed'; message: string };

/**
 * Follows a recompute run: polls `GET /api/v1/recompute/status` until the
 * backend reports `idle` (done) or `failed`, then calls `onFinished`. Used by
 * the account-grade card and the settings page, never both on one screen.
 */
export function useRecomputeProgress(api: ApiClient, onFinished: () => void) {
  const [progress, setProgress] = useState<RecomputeProgress>({ phase: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );

  const poll = useCallback(async () => {
    const result = await api.request<RecomputeStatus>('GET', paths.recomputeStatus());
    if (!result.ok) {
      setProgress({ phase: 'failed', message: result.error.message });
      return;
    }
    const status = result.data;
    if (status.state === 'failed') {
      setProgress({ phase: 'failed', message: status.error ?? 'failed' });
      return;
    }
    if (status.state === 'idle') {
      setProgress({ phase: 'done' });
      finished.current();
      return;
    }
    setProgress({ phase: 'running', status });
    timer.current = setTimeout(() => void poll(), RECOMPUTE_POLL_MS);
  }, [api]);

  /** Starts following a run the caller has just started (or one already running). */
  const follow = useCallback(
    (initial: RecomputeStatus | null) => {
      setProgress({ phase: 'running', status: initial });
      void poll();
    },
    [poll],
  );

  const fail = useCallback((error: ApiError) => {
    setProgress({ phase: 'failed', message: error.message });
  }, []);

  return { progress, follow, fail };
}

/** Share of companies written, 0–100, for the progress bar. */
export function recomputePercent(status: RecomputeStatus | null): number {
  if (status === null || status.progress.companiesTotal === 0) return 0;
  return Math.min(
    100,
    Math.round((status.progress.companiesWritten / status.progress.companiesTotal) * 100),
  );
}
