import { useCallback, useEffect, useState } from 'react';
import type { ApiError, ApiResult } from './api-client.ts';

/** What every card's data hook holds: the first load, its data, or why it failed. */
export type DataState<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: ApiError };

/**
 * Loads `fetchData` on mount and whenever it changes (wrap it in `useCallback`);
 * `reload` shows the spinner again, `load` refreshes in place. `setState` lets
 * the hook's writes put the backend's answer in without a second request.
 */
export function useApiData<T>(fetchData: () => Promise<ApiResult<T>>) {
  const [state, setState] = useState<DataState<T>>({ status: 'loading' });

  const load = useCallback(async () => {
    const result = await fetchData();
    setState(
      result.ok ? { status: 'ready', data: result.data } : { status: 'error', error: result.error },
    );
  }, [fetchData]);

  useEffect(() => {
    void load();
  }, [load]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    void load();
  }, [load]);

  return { state, setState, load, reload };
}
