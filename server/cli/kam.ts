#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_REDIS_URL } from '../config.ts';
import { runDemoCommand, runServeCommand } from './backend-commands.ts';
import { runGenerate } from './generate-command.ts';
import { runScore } from './score-command.ts';

/** Exit code for input the command cannot use (bad file, bad flag). */
export const EXIT_UNUSABLE_INPUT = 2;

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('a whole number ≥ 1');
  return parsed;
}

const program = new Command('kam')
  .description('KAM for HubSpot: key-account grades, tiers, SWOT and next actions')
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(text) });

program
  .command('score')
  .description('Score a HubSpot portal export offline and print the portfolio')
  .requiredOption(
    '--input <file>',
    'portal JSON: {companies, deals, tickets?} in HubSpot CRM v3 shape',
  )
  .option('--as-of <instant>', 'ISO 8601 instant the scores are computed for (default: now)')
  .option('--settings <file>', 'settings JSON (partial; defaults fill the rest)')
  .addOption(
    new Option('--format <format>', 'output format')
      .choices(['table', 'json', 'csv'])
      .default('table'),
  )
  .option('--top <n>', 'table format: show only the largest N companies', positiveInteger)
  .action(async (options: Parameters<typeof runScore>[0]) => {
    process.exitCode = await runScore(options, {
      stdout: process.stdout,
      stderr: process.stderr,
      now: () => Date.now(),
    });
  });

program
  .command('generate')
  .description(
    'Write a synthetic HubSpot portal (deterministic for a seed) to try the model at any size',
  )
  .option('--companies <n>', 'number of companies', positiveInteger, 40)
  .option('--deals <n>', 'number of deals', positiveInteger, 400)
  .option('--seed <n>', 'random seed', positiveInteger, 7)
  .option('--as-of <instant>', 'the instant the data is as of (default: now)')
  .requiredOption('--output <file>', 'where to write the portal JSON')
  .action(async (options: Parameters<typeof runGenerate>[0]) => {
    process.exitCode = await runGenerate(options, {
      stdout: process.stdout,
      stderr: process.stderr,
      now: () => Date.now(),
    });
  });

program
  .command('demo')
  .description('Run the app end to end against the local HubSpot sandbox and print the portfolio')
  .option('--companies <n>', 'companies in the sandbox portal', positiveInteger, 2000)
  .option('--deals <n>', 'deals in the sandbox portal', positiveInteger, 20000)
  .option('--seed <n>', 'random seed of the synthetic portal', positiveInteger, 7)
  .option(
    '--rate-limit <n>',
    "HubSpot requests per 10 s per portal (HubSpot's: 110)",
    positiveInteger,
    110,
  )
  .option('--json', 'print one JSON object for scripts', false)
  .option('--keep-running', 'keep the sandbox and the app up and print their URLs', false)
  .addHelpText(
    'after',
    `
Environment:
  REDIS_URL  the Redis to use (default ${DEFAULT_REDIS_URL}). When none answers
             there: a loopback REDIS_URL gets a private redis-server started at
             that address, any other REDIS_URL stops the demo; unset, a private
             redis-server on a free port. It says which Redis it used.
  LOG_LEVEL  the backend's logs on stderr: fatal, error, warn, info, debug,
             trace or silent (default warn)`,
  )
  .action(async (options: Parameters<typeof runDemoCommand>[0]) => {
    process.exitCode = await runDemoCommand(options);
  });

for (const [name, description, roles] of [
  ['start', 'Run the API and the recompute workers in one process', { api: true, worker: true }],
  ['api', 'Run only the HTTP API (OAuth, webhooks, card API)', { api: true, worker: false }],
  [
    'worker',
    'Run only recompute workers (scale out: several processes share the queues)',
    { api: false, worker: true },
  ],
] as const) {
  program
    .command(name)
    .description(description)
    .action(async () => {
      process.exitCode = await runServeCommand(roles);
    });
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // --help and --version end here with code 0; usage errors are unusable input.
  process.exitCode = error.exitCode === 0 ? 0 : EXIT_UNUSABLE_INPUT;
}
