import { ConfigError, DEFAULT_REDIS_URL, loadConfig, loadLogLevel } from '../config.ts';
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
export async function runDemoCommand(
  options: Omit<DemoOptions, 'redis' | 'logLevel'>,
): Promise<number> {
  try {
    const { REDIS_URL } = process.env;
    const report = await runDemo({
      ...options,
      redis:
        REDIS_URL === undefined || REDIS_URL === ''
          ? { url: DEFAULT_REDIS_URL, fromEnv: false }
          : { url: REDIS_URL, fromEnv: true },
      logLevel: loadLogLevel(process.env, 'warn'),
    });
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : renderDemoReport(report));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof RedisUnavailableError) {
      process.stderr.write(`kam: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
