import { performance } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import pino from 'pino';
import type { CompanyScore, PortfolioSummary } from '../../src/index.ts';
import { dueDateCache, formatMoney, formatPercent, scoreAccount, TIERS } from '../../src/index.ts';
import type { RecomputeStatus } from '../jobs/recompute-status.ts';
import { recomputeFinished } from '../jobs/recompute-status.ts';
import type { LogLevel } from '../config.ts';
import type { startBackend } from '../runtime.ts';
import { createLogger } from '../logger.ts';
import { startSandbox } from '../sandbox/sandbox.ts';
import { startAppOnSandbox } from './app-on-sandbox.ts';
import type { RequestedRedis } from './local-redis.ts';
import { ensureRedis } from './local-redis.ts';

export interface DemoOptions {
  readonly companies: number;
  readonly deals: number;
  readonly seed: number;
  readonly json: boolean;
  readonly keepRunning: boolean;
  /** HubSpot's 110 requests per 10 s unless told otherwise. */
  readonly rateLimit: number;
  readonly redis: RequestedRedis;
  /** The backend's logs, on stderr. */
  readonly logLevel: LogLevel;
}

export interface DemoReport {
  readonly portalId: number;
  readonly portfolio: Pick<
    PortfolioSummary,
    | 'tierCounts'
    | 'revenueShareByTier'
    | 'top20Share'
    | 'matrixCounts'
    | 'segmentCounts'
    | 'strategyCounts'
  >;
  readonly topAccounts: readonly {
    readonly id: string;
    readonly name: string | null;
    readonly tier: string;
    readonly score: number | null;
    readonly grade: string | null;
    readonly segment: string | null;
    readonly revenueTtm: number;
    readonly nextAction: string | null;
  }[];
  readonly recompute: {
    readonly hubspotCalls: number;
    readonly http429: number;
    readonly wallSeconds: number;
    readonly companiesWritten: number;
  };
}

/**
 * The main job on the embedded default: a seeded HubSpot sandbox, the app
 * installed into it through the real OAuth flow, a full recompute with a
 * progress bar, and the portfolio it produced.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const log = (line: string): void => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const redis = await ensureRedis(options.redis);
  // Said in --json mode too: which Redis holds the demo's data is never a surprise.
  process.stderr.write(`${redis.note}\n`);
  const sandbox = await startSandbox({
    port: 0,
    autoApprove: true,
    rateLimit: options.rateLimit,
    portals: [{ companies: options.companies, deals: options.deals, seed: options.seed }],
  });
  const portalId = sandbox.initialPortals[0]?.portalId ?? 0;
  log(
    `HubSpot sandbox at ${sandbox.url}: portal ${portalId} with ${options.companies} companies and ${options.deals} deals`,
  );

  const app = await startAppOnSandbox(sandbox, {
    redisUrl: redis.url,
    logger: createLogger(options.logLevel, pino.destination(2)),
    limits: { default: { max: options.rateLimit, windowMs: 10_000 } },
  });
  const { backend, publicBaseUrl } = app;

  const stopAll = async (): Promise<void> => {
    await backend.stop();
    await sandbox.close();
    await redis.stop();
  };
  try {
    const started = performance.now();
    await app.install();
    log(`Installed the app into portal ${portalId} through OAuth; full recompute running…`);

    const status = await waitForRecompute(
      portalId,
      (id) => backend.stores.status.get(id),
      !options.json,
    );
    if (status.state === 'failed')
      throw new Error(`the full recompute failed: ${status.error ?? 'unknown error'}`);
    const wallSeconds = (performance.now() - started) / 1000;
    const stats = sandbox.stats().portals[String(portalId)];
    const report = await portfolioReport(portalId, backend.stores.snapshots, {
      hubspotCalls: stats?.requests ?? 0,
      http429: stats?.rateLimited ?? 0,
      wallSeconds: Math.round(wallSeconds * 10) / 10,
      companiesWritten: status.lastReport?.written ?? 0,
    });
    if (options.keepRunning) {
      log(
        `\nRunning until Ctrl-C:\n  app      ${publicBaseUrl} (install: ${publicBaseUrl}/oauth/install)\n  metrics  ${backend.metricsUrl ?? '–'}\n  sandbox  ${sandbox.url} (portal ${portalId})`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
    return report;
  } finally {
    await stopAll();
  }
}

async function waitForRecompute(
  portalId: number,
  read: (portalId: number) => Promise<RecomputeStatus>,
  showProgress: boolean,
): Promise<RecomputeStatus> {
  const bar = new cliProgress.SingleBar(
    {
      format: ' {phase} [{bar}] {value}/{total} pages read, {scored} scored, {written} written',
      stream: process.stderr,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let shown = false;
  for (;;) {
    const status = await read(portalId);
    const { progress } = status;
    const total = Math.max(progress.pagesRead, 1);
    if (showProgress && progress.phase !== null) {
      const payload = {
        phase: progress.phase.padEnd(9),
        scored: progress.companiesScored,
        written: progress.companiesWritten,
      };
      if (!shown) bar.start(total, progress.pagesRead, payload);
      bar.setTotal(total);
      bar.update(progress.pagesRead, payload);
      shown = true;
    }
    if (recomputeFinished(status) || status.state === 'failed') {
      if (shown) bar.stop();
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function portfolioReport(
  portalId: number,
  snapshots: Awaited<ReturnType<typeof startBackend>>['stores']['snapshots'],
  recompute: DemoReport['recompute'],
): Promise<DemoReport> {
  const frame = await snapshots.frame(portalId);
  if (frame === null) throw new Error('the recompute finished without a snapshot');
  const accounts = [...(await snapshots.accounts(portalId)).accounts.values()];
  const portfolioFrame = { ...frame, dueDate: dueDateCache(frame.asOfMs) };
  const top: CompanyScore[] = accounts
    .sort((a, b) => b.fact.metrics.revenueTtm - a.fact.metrics.revenueTtm)
    .slice(0, 10)
    .map((account) => scoreAccount(account.fact, account.standing, portfolioFrame));
  const { summary } = frame;
  return {
    portalId,
    portfolio: {
      tierCounts: summary.tierCounts,
      revenueShareByTier: summary.revenueShareByTier,
      top20Share: summary.top20Share,
      matrixCounts: summary.matrixCounts,
      segmentCounts: summary.segmentCounts,
      strategyCounts: summary.strategyCounts,
    },
    topAccounts: top.map((company) => ({
      id: company.id,
      name: company.name,
      tier: company.tier,
      score: company.score,
      grade: company.grade,
      segment: company.segment,
      revenueTtm: company.metrics.revenueTtm,
      nextAction: company.actions[0]?.title ?? null,
    })),
    recompute,
  };
}

/** The report for people. */
export function renderDemoReport(report: DemoReport): string {
  const lines: string[] = [];
  const { portfolio } = report;
  lines.push('', `Portfolio of sandbox portal ${report.portalId}`, '');
  lines.push('  tier            accounts  revenue share');
  for (const tier of TIERS) {
    lines.push(
      `  ${tier.padEnd(15)} ${String(portfolio.tierCounts[tier]).padStart(8)}  ${formatPercent(portfolio.revenueShareByTier[tier]).padStart(13)}`,
    );
  }
  lines.push(
    '',
    `  top 20% of rated accounts hold ${portfolio.top20Share === null ? 'n/a' : formatPercent(portfolio.top20Share)} of revenue`,
  );
  lines.push(
    `  matrix: ${Object.entries(portfolio.strategyCounts)
      .map(([key, count]) => `${key} ${count}`)
      .join(', ')}`,
  );
  lines.push(
    `  cells (attractiveness/strength): ${Object.entries(portfolio.matrixCounts)
      .sort()
      .map(([key, count]) => `${key} ${count}`)
      .join(', ')}`,
  );
  lines.push(
    `  segments: ${Object.entries(portfolio.segmentCounts)
      .map(([key, count]) => `${key} ${count}`)
      .join(', ')}`,
  );
  lines.push('', '  ten largest accounts');
  for (const account of report.topAccounts) {
    const grade =
      account.score === null ? '–' : `${account.score.toFixed(1)} ${account.grade ?? ''}`;
    lines.push(
      `  ${(account.name ?? account.id).slice(0, 26).padEnd(26)} ${account.tier.padEnd(13)} ${grade.padStart(6)}  ${(account.segment ?? '–').padEnd(11)} ${formatMoney(account.revenueTtm).padStart(6)}  ${account.nextAction ?? '–'}`,
    );
  }
  const { recompute } = report;
  lines.push(
    '',
    `  full recompute: ${recompute.hubspotCalls} HubSpot calls, ${recompute.http429} answered 429, ${recompute.companiesWritten} companies written, ${recompute.wallSeconds} s`,
    '',
  );
  return lines.join('\n');
}
