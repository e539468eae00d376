import { hubspot } from '@hubspot/ui-extensions';

/**
 * The one place the cards and the settings page call the backend. Every
 * request goes through `hubspot.fetch` (marketplace apps have no serverless
 * functions), which signs it and only reaches origins listed in
 * `permittedUrls.fetch`; the origin comes from the profile variable
 * `KAM_API_ORIGIN`, the same one app-hsmeta.json lists.
 */

/** The backend's error codes (README "Card API") plus `unreachable` for a network failure or timeout. */
export type ApiErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'needs_reauth'
  | 'rate_limited'
  | 'unavailable'
  | 'unreachable'
  | 'unexpected';

export interface ApiError {
  code: ApiErrorCode;
  message: string;
  field?: string;
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; error: ApiError };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** HubSpot caps a fetch at 15 s; answer the user a little before that. */
export const REQUEST_TIMEOUT_MS = 12_000;

/** The profile variable that holds the backend origin. */
export const API_ORIGIN_VARIABLE = 'KAM_API_ORIGIN';

const KNOWN_CODES: readonly ApiErrorCode[] = [
  'validation_failed',
  'not_found',
  'needs_reauth',
  'rate_limited',
  'unavailable',
];

export interface ApiClient {
  request<T>(
    method: HttpMethod,
    path: string,
    body?: Record<string, unknown>,
  ): Promise<ApiResult<T>>;
}

/** Reads the backend origin from the profile variables; null when the profile lacks it. */
export function apiOriginFrom(
  variables: Record<string, string | number | bigint | boolean> | undefined,
): string | null {
  const value = variables?.[API_ORIGIN_VARIABLE];
  return typeof value === 'string' && value.startsWith('https://')
    ? value.replace(/\/+$/, '')
    : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Turns the backend's `{error: {code, message, field}}` body into an ApiError. */
export function errorFromBody(status: number, body: unknown): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const code = error && typeof error.code === 'string' ? error.code : null;
  const known = KNOWN_CODES.find((candidate) => candidate === code);
  const fallback: ApiErrorCode =
    status === 409
      ? 'needs_reauth'
      : status === 429
        ? 'rate_limited'
        : status >= 500
          ? 'unavailable'
          : 'unexpected';
  return {
    code: known ?? fallback,
    message: error && typeof error.message === 'string' ? error.message : `HTTP ${status}`,
    ...(error && typeof error.field === 'string' ? { field: error.field } : {}),
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function createApiClient(origin: string | null): ApiClient {
  return {
    async request<T>(method: HttpMethod, path: string, body?: Record<string, unknown>) {
      if (origin === null) {
        return {
          ok: false,
          error: {
            code: 'unreachable',
            message: `profile variable ${API_ORIGIN_VARIABLE} is not set`,
          },
        };
      }
      let response: Response;
      try {
        response = await hubspot.fetch(`${origin}${path}`, {
          method,
          timeout: REQUEST_TIMEOUT_MS,
          ...(body === undefined ? {} : { body }),
        });
      } catch (cause) {
        return {
          ok: false,
          error: {
            code: 'unreachable',
            message: cause instanceof Error ? cause.message : String(cause),
          },
        };
      }
      const parsed = await readJson(response);
      if (!response.ok) return { ok: false, error: errorFromBody(response.status, parsed) };
      // The backend's answers are typed by the contract; the cards read them as such.
      return { ok: true, status: response.status, data: parsed as T };
    },
  };
}

/** Card API paths, in one place so the permitted-URL test can list them. */
export const paths = {
  scorecard: (companyId: string) => `/api/v1/companies/${encodeURIComponent(companyId)}/scorecard`,
  survey: (companyId: string) => `/api/v1/companies/${encodeURIComponent(companyId)}/survey`,
  swot: (companyId: string) => `/api/v1/companies/${encodeURIComponent(companyId)}/swot`,
  recomputeCompany: (companyId: string) =>
    `/api/v1/companies/${encodeURIComponent(companyId)}/recompute`,
  task: (companyId: string, actionKey: string) =>
    `/api/v1/companies/${encodeURIComponent(companyId)}/actions/${encodeURIComponent(actionKey)}/task`,
  recomputeStatus: () => '/api/v1/recompute/status',
  recomputeAll: () => '/api/v1/recompute',
  portfolio: () => '/api/v1/portfolio',
  settings: () => '/api/v1/settings',
  settingsPreview: () => '/api/v1/settings/preview',
  installation: () => '/api/v1/installation',
  owners: () => '/api/v1/owners',
  // #13: the account plan (kam-model.md §13) and the complaint setting's picker (§12).
  plan: (companyId: string) => `/api/v1/companies/${encodeURIComponent(companyId)}/plan`,
  planReviewed: (companyId: string) =>
    `/api/v1/companies/${encodeURIComponent(companyId)}/plan/reviewed`,
  ticketPipelines: () => '/api/v1/ticket-pipelines',
};
