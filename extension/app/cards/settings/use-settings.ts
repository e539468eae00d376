import { useCallback, useEffect, useState } from 'react';
import { paths, type ApiError, type ApiResult } from '../lib/api-client.ts';
import type { PortalEnvironment } from '../lib/environment.ts';
import type { Settings, SettingsPreview, SettingsResponse } from '../lib/types.ts';
import { useRecomputeProgress } from '../lib/use-recompute-progress.ts';

export type SettingsState =
  | { status: 'loading' }
  | { status: 'ready'; settings: Settings }
  | { status: 'error'; error: ApiError };

/** The settings page's data hook: load, preview, save, then follow the full recompute. */
export function useSettings(env: PortalEnvironment) {
  const { api } = env;
  const [state, setState] = useState<SettingsState>({ status: 'loading' });

  const load = useCallback(async () => {
    const result = await api.request<SettingsResponse>('GET', paths.settings());
    setState(
      result.ok
        ? { status: 'ready', settings: result.data.settings }
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

  // The settings page has no CRM record to refresh; the recompute rewrites properties in the background.
  const { progress, follow } = useRecomputeProgress(api, () => undefined);

  const preview = useCallback(
    (settings: Settings): Promise<ApiResult<SettingsPreview>> =>
      api.request<SettingsPreview>('POST', paths.settingsPreview(), { settings }),
    [api],
  );

  const save = useCallback(
    async (settings: Settings): Promise<ApiResult<SettingsResponse>> => {
      const result = await api.request<SettingsResponse>('PUT', paths.settings(), { settings });
      if (result.ok) {
        setState({ status: 'ready', settings: result.data.settings });
        follow(result.data.recompute ?? null);
      }
      return result;
    },
    [api, follow],
  );

  return { state, reload, preview, save, recomputeProgress: progress };
}
