import { useCallback } from 'react';
import { paths, type ApiResult } from '../lib/api-client.ts';
import type { PortalEnvironment } from '../lib/environment.ts';
import type { Portfolio, PortfolioGroups, RecomputeStatus } from '../lib/types.ts';
import { useApiData, type DataState } from '../lib/use-api-data.ts';
import { useRecomputeProgress } from '../lib/use-recompute-progress.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the portfolio answer (the README's contract); a field a backend one
 * release behind the cards does not send yet reads as empty.
 */
export function normalizePortfolio(raw: unknown): Portfolio {
  const body = isRecord(raw) ? raw : {};
  const read = <T>(key: string, fallback: T): T => (key in body ? (body[key] as T) : fallback);
  return {
    tierCounts: read('tierCounts', {}),
    revenueShareByTier: read('revenueShareByTier', {}),
    top20Share: read('top20Share', null),
    topBands: read('topBands', null),
    paretoCurve: read('paretoCurve', []),
    matrixCounts: read('matrixCounts', {}),
    segmentCounts: read('segmentCounts', {}),
    movements: read('movements', []),
    dataQuality: read('dataQuality', {}),
    profileAttention: read('profileAttention', null),
    recompute: body.recompute as RecomputeStatus,
    // #13 (§11): the Pareto over groups; left out by a backend before it.
    ...(isRecord(body.groups) ? { groups: body.groups as unknown as PortfolioGroups } : {}),
  };
}

export type PortfolioState = DataState<Portfolio>;

/** The home page's data hook: the portfolio summary and a full recompute with progress. */
export function usePortfolio(env: PortalEnvironment) {
  const { api } = env;
  const fetchPortfolio = useCallback(async (): Promise<ApiResult<Portfolio>> => {
    const result = await api.request<unknown>('GET', paths.portfolio());
    return result.ok ? { ...result, data: normalizePortfolio(result.data) } : result;
  }, [api]);
  const { state, load, reload } = useApiData(fetchPortfolio);

  const { progress, follow, fail } = useRecomputeProgress(api, () => void load());

  const recomputeAll = useCallback(async () => {
    const result = await api.request<RecomputeStatus>('POST', paths.recomputeAll());
    if (result.ok) follow(result.data);
    else fail(result.error);
  }, [api, follow, fail]);

  return { state, reload, recomputeAll, recomputeProgress: progress };
}
