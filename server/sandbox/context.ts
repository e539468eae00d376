import type { FaultInjector } from './faults.ts';
import type { OAuthRegistry } from './oauth.ts';
import type { Portal } from './portal.ts';
import type { RollingWindowLimiter } from './rate-limit.ts';
import type { SandboxStats } from './stats.ts';
import type { WebhookDispatcher } from './webhooks.ts';

/** Everything the routes share: the portals and the sandbox's machinery. */
export interface SandboxContext {
  readonly portals: Map<number, Portal>;
  readonly oauth: OAuthRegistry;
  readonly stats: SandboxStats;
  readonly faults: FaultInjector;
  /** 110 requests per rolling 10 s per portal and app. */
  readonly limiter: RollingWindowLimiter;
  /** 5 search requests per second per portal. */
  readonly searchLimiter: RollingWindowLimiter;
  readonly webhooks: WebhookDispatcher;
  readonly now: () => number;
  /** Whether `/oauth/authorize` approves at once (tests, the demo) instead of showing the consent page. */
  readonly autoApprove: boolean;
}
