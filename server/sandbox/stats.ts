/** Request counts of one portal (or of requests that name none, like OAuth). */
export interface PortalStats {
  requests: number;
  rateLimited: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface WebhookStats {
  batchesDelivered: number;
  eventsDelivered: number;
  failedAttempts: number;
  retries: number;
  dropped: number;
  abandoned: number;
}

export interface StatsSnapshot {
  readonly portals: Record<string, PortalStats>;
  readonly webhooks: WebhookStats;
}

function emptyWebhookStats(): WebhookStats {
  return {
    batchesDelivered: 0,
    eventsDelivered: 0,
    failedAttempts: 0,
    retries: 0,
    dropped: 0,
    abandoned: 0,
  };
}

/**
 * What the sandbox saw: requests per portal by method and route, status
 * counts with 429s apart, and webhook deliveries — so tests and benchmarks
 * can check that the app stays inside HubSpot's limits.
 */
export class SandboxStats {
  #portals = new Map<string, PortalStats>();
  webhooks: WebhookStats = emptyWebhookStats();

  recordRequest(portal: string, route: string, status: number): void {
    let stats = this.#portals.get(portal);
    if (stats === undefined) {
      stats = { requests: 0, rateLimited: 0, byRoute: {}, byStatus: {} };
      this.#portals.set(portal, stats);
    }
    stats.requests += 1;
    if (status === 429) stats.rateLimited += 1;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    stats.byStatus[String(status)] = (stats.byStatus[String(status)] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    return {
      portals: structuredClone(Object.fromEntries(this.#portals)),
      webhooks: { ...this.webhooks },
    };
  }

  reset(): void {
    this.#portals = new Map();
    this.webhooks = emptyWebhookStats();
  }
}
