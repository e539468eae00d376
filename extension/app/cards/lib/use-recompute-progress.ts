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
 * Follows a portal's full recompute run: polls `GET /api/v1/recompute/status`
 * until the backend reports `idle` (done) or `failed`, then calls
 * `onFinished`. Used by the settings page, the home page and, while a full
 * run holds a company's rescore back, the account-grade card.
 */
export function useRecomputeProgress(api: ApiClient, onFinished: () => void) {
  const [progress, setProgress] = useState<RecomputeProgress>({ phase: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const mounted = useRef(true);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, []);

  const poll = useCallback(async () => {
    const result = await api.request<RecomputeStatus>('GET', paths.recomputeStatus());
    // A poll still in flight when the card went away must not arm another.
    if (!mounted.current) return;
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

  /** A request that answers when its work is done (a company's rescore) is under way. */
  const start = useCallback(() => setProgress({ phase: 'running', status: null }), []);
  const finish = useCallback(() => setProgress({ phase: 'done' }), []);

  const fail = useCallback((error: ApiError) => {
    setProgress({ phase: 'failed', message: error.message });
  }, []);

  return { progress, start, follow, finish, fail };
}

/** Share of companies written, 0–100, for the progress bar. */
export function recomputePercent(status: RecomputeStatus | null): number {
  if (status === null || status.progress.companiesTotal === 0) return 0;
  return Math.min(
    100,
    Math.round((status.progress.companiesWritten / status.progress.companiesTotal) * 100),
  );
}
