import { useCallback } from 'react';
import { paths, type ApiResult } from '../lib/api-client.ts';
import type { PortalEnvironment } from '../lib/environment.ts';
import type {
  InstallationRemoval,
  Settings,
  SettingsPreview,
  SettingsResponse,
} from '../lib/types.ts';
import { useApiData, type DataState } from '../lib/use-api-data.ts';
import { useRecomputeProgress } from '../lib/use-recompute-progress.ts';

/** The saved settings, and whether this user may change them (the backend lets super admins only). */
export interface LoadedSettings {
  readonly settings: Settings;
  readonly canEdit: boolean;
}

export type SettingsState = DataState<LoadedSettings>;

/** A backend that does not say (before `canEdit`) lets the user try; it refuses if it must. */
type SettingsAnswer = SettingsResponse & { readonly canEdit?: boolean };

/**
 * The settings page's data hook: load, preview, save, then follow the full
 * recompute; and remove everything the backend keeps about the portal.
 */
export function useSettings(env: PortalEnvironment) {
  const { api } = env;
  const fetchSettings = useCallback(async (): Promise<ApiResult<LoadedSettings>> => {
    const result = await api.request<SettingsAnswer>('GET', paths.settings());
    return result.ok
      ? {
          ...result,
          data: { settings: result.data.settings, canEdit: result.data.canEdit !== false },
        }
      : result;
  }, [api]);
  const { state, setState, reload } = useApiData(fetchSettings);

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
        setState({ status: 'ready', data: { settings: result.data.settings, canEdit: true } });
        follow(result.data.recompute ?? null);
      }
      return result;
    },
    [api, follow, setState],
  );

  // Nothing is reloaded afterwards: the backend no longer knows the portal, so the page stops here.
  const removeInstallation = useCallback(
    (): Promise<ApiResult<InstallationRemoval>> =>
      api.request<InstallationRemoval>('DELETE', paths.installation()),
    [api],
  );

  return { state, reload, preview, save, removeInstallation, recomputeProgress: progress };
}
