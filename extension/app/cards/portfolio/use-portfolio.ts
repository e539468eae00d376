import { useCallback, useEffect, useState } from 'react';
import { paths, type ApiError } from '../lib/api-client.ts';
import type { PortalEnvironment } from '../lib/environment.ts';
import type { Portfolio, RecomputeStatus } from '../lib/types.ts';
import { useRecomputeProgress } from '../lib/use-recompute-progress.ts';

export type PortfolioState =
  | { status: 'loading' }
  | { status: 'ready'; portfolio: Portfolio }
  | { status: 'error'; error: ApiError };

/** The home page's data hook: the portfolio summary and a full recompute with progress. */
export function usePortfolio(env: PortalEnvironment) {
  const { api } = env;
  const [state, setState] = useState<PortfolioState>({ status: 'loading' });

  const load = useCallback(async () => {
    const result = await api.request<Portfolio>('GET', paths.portfolio());
    setState(
      result.ok
        ? { status: 'ready', portfolio: result.data }
        : { status: 'error', error: result.error },
    );
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    void load();
  }, [load]);

  const { progress, follow, fail } = useRecomputeProgress(api, () => void load());

  const recomputeAll = useCallback(async () => {
    const result = await api.request<RecomputeStatus>('POST', paths.recomputeAll());
    if (result.ok) follow(result.data);
    else fail(result.error);
  }, [api, follow, fail]);

  return { state, reload, recomputeAll, recomputeProgress: progress };
}
