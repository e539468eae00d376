import { signatureV3 } from '../hubspot/request-signature.ts';

export interface CardRequest {
  /** The backend URL the card fetches, e.g. `https://app.example/api/v1/companies/42/scorecard`. */
  readonly url: string;
  readonly method?: string;
  /** JSON-serialisable body; sent as `application/json`. */
  readonly body?: unknown;
  readonly portalId: number;
  readonly userId: number;
  readonly userEmail: string;
  readonly appId: number;
  /** The app's client secret, which HubSpot signs with. */
  readonly clientSecret: string;
  /** `hubspot.fetch` gives up after 15 s. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** `hubspot.fetch` carries these query parameters; a backend may trust them only once the signature checks. */
export function cardRequestUrl(
  request: Pick<CardRequest, 'url' | 'portalId' | 'userId' | 'userEmail' | 'appId'>,
): string {
  const url = new URL(request.url);
  url.searchParams.set('portalId', String(request.portalId));
  url.searchParams.set('userId', String(request.userId));
  url.searchParams.set('userEmail', request.userEmail);
  url.searchParams.set('appId', String(request.appId));
  return url.toString();
}

/**
 * Calls the backend the way HubSpot's `hubspot.fetch` proxy does for a card:
 * the context arrives as query parameters and the request is signed v3
 * with the app's client secret.
 */
export async function sendCardRequest(request: CardRequest): Promise<Response> {
  const { url, method, headers, body } = signCardRequest(request);
  return fetch(url, {
    method,
    headers,
    ...(body === '' ? {} : { body }),
    signal: AbortSignal.timeout(request.timeoutMs ?? 15_000),
  });
}

/** The URL, headers and body of a signed card request, to send with any HTTP client. */
export function signCardRequest(request: CardRequest): {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
} {
  const method = (request.method ?? 'GET').toUpperCase();
  const url = cardRequestUrl(request);
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  const timestamp = (request.now ?? Date.now)();
  return {
    url,
    method,
    body,
    headers: {
      ...(body === '' ? {} : { 'Content-Type': 'application/json' }),
      'X-HubSpot-Request-Timestamp': String(timestamp),
      'X-HubSpot-Signature-Version': 'v3',
      'X-HubSpot-Signature-v3': signatureV3({
        method,
        url,
        body,
        timestamp,
        clientSecret: request.clientSecret,
      }),
    },
  };
}
