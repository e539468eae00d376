import type { Queue } from 'bullmq';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ListeningServer } from './http/http-server.ts';
import { listen } from './http/http-server.ts';
import type { HubSpotCallMetrics } from './hubspot/hubspot-transport.ts';

/**
 * `GET /metrics` for Prometheus on a server of its own, apart from the API
 * HubSpot and browsers reach: bound to localhost unless METRICS_HOST says
 * otherwise, so queue depths and call counts are not anyone's to read.
 */
export function serveMetrics(
  registry: Registry,
  address: { readonly port: number; readonly host: string },
): Promise<ListeningServer> {
  return listen((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?', 1)[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => response.writeHead(500).end(),
    );
  }, address);
}

/** The backend's Prometheus metrics (served by serveMetrics). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const hubspotCalls = new Counter({
    name: 'kam_hubspot_calls_total',
    help: 'HubSpot API calls by route and HTTP status (0: no answer)',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const hubspotSeconds = new Histogram({
    name: 'kam_hubspot_call_seconds',
    help: 'HubSpot API call duration',
    labelNames: ['route'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  const jobSeconds = new Histogram({
    name: 'kam_job_seconds',
    help: 'Recompute job duration by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  const companiesWritten = new Counter({
    name: 'kam_companies_written_total',
    help: 'Companies whose KAM properties were written to HubSpot',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  /** Reads the queues' depths at each scrape, by state and queue. */
  const trackQueues = (queues: readonly Queue[]): void => {
    new Gauge({
      name: 'kam_queue_jobs',
      help: 'Recompute jobs by state',
      labelNames: ['state', 'queue'] as const,
      registers: [registry],
      async collect() {
        for (const queue of queues) {
          const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
          for (const [state, count] of Object.entries(counts)) {
            this.set({ state, queue: queue.name }, count);
          }
        }
      },
    });
  };
  const hubspot: HubSpotCallMetrics = {
    onCall(route, status, ms) {
      hubspotCalls.inc({ route, status: String(status) });
      hubspotSeconds.observe({ route }, ms / 1000);
    },
  };
  return { registry, hubspot, jobSeconds, companiesWritten, trackQueues };
}

export type Metrics = ReturnType<typeof createMetrics>;
