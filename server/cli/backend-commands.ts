import { ConfigError, loadConfig } from '../config.ts';
import { AccountInfoError } from '../hubspot/account-info.ts';
import type { DemoOptions } from '../demo/run-demo.ts';
import { renderDemoReport, runDemo } from '../demo/run-demo.ts';
import { RedisUnavailableError, startBackend } from '../runtime.ts';

/** `kam start | api | worker`: runs until SIGTERM/SIGINT, then shuts down gracefully. */
export async function runServeCommand(roles: { api: boolean; worker: boolean }): Promise<number> {
  try {
    const backend = await startBackend({ config: loadConfig(process.env), ...roles });
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    backend.logger.info('shutting down');
    await backend.stop();
    return 0;
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof RedisUnavailableError ||
      error instanceof AccountInfoError
    ) {
      process.stderr.write(`kam: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/** `kam demo`: the main job on the local sandbox. */
export async function runDemoCommand(options: Omit<DemoOptions, 'redisUrl'>): Promise<number> {
  const report = await runDemo({
    ...options,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : renderDemoReport(report));
  return 0;
}
