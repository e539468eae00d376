import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_APP_SUBSCRIPTIONS } from './default-subscriptions.ts';
import { startSandbox } from './sandbox.ts';

function integer(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a non-negative integer');
  return parsed;
}

function instant(value: string): string {
  if (Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('expected an ISO 8601 date-time');
  return new Date(value).toISOString();
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const program = new Command('sandbox')
  .description(
    'A local stand-in for a HubSpot portal: CRM objects, properties, OAuth, limits and webhooks.',
  )
  .addOption(
    new Option('--port <port>', 'HTTP port (0 = any free port)').argParser(integer).default(4010),
  )
  .addOption(new Option('--host <host>', 'interface to listen on').default('127.0.0.1'))
  .addOption(
    new Option('--companies <n>', 'companies in the seeded portal')
      .argParser(integer)
      .default(2000),
  )
  .addOption(
    new Option('--deals <n>', 'deals in the seeded portal').argParser(integer).default(20000),
  )
  .addOption(new Option('--seed <n>', 'seed of the synthetic data').argParser(integer).default(42))
  .addOption(
    new Option(
      '--as-of <iso>',
      'the instant the data is "as of" (default: today, midnight UTC)',
    ).argParser(instant),
  )
  .addOption(new Option('--portal-id <id>', 'hub id of the seeded portal').argParser(integer))
  .addOption(new Option('--state-file <file>', 'restore from and save to this JSON file'))
  .addOption(new Option('--data <file>', 'alias of --state-file'))
  .addOption(
    new Option('--rate-limit <n>', 'requests per 10 s per portal and app')
      .argParser(integer)
      .default(110),
  )
  .addOption(new Option('--client-id <id>', 'client id of the registered app (default: random)'))
  .addOption(
    new Option('--client-secret <secret>', 'client secret of the registered app (default: random)'),
  )
  .addOption(
    new Option('--redirect-url <url>', 'allowed OAuth redirect URL (repeatable)')
      .argParser(collect)
      .default([] as string[]),
  )
  .addOption(new Option('--webhook-target <url>', "the app's webhook targetUrl"))
  .addOption(
    new Option('--auto-approve', 'skip the consent page: /oauth/authorize redirects at once'),
  )
  .addOption(
    new Option('--token-ttl <seconds>', 'expires_in of access tokens')
      .argParser(integer)
      .default(1800),
  );

interface CliOptions {
  port: number;
  host: string;
  companies: number;
  deals: number;
  seed: number;
  asOf?: string;
  portalId?: number;
  stateFile?: string;
  data?: string;
  rateLimit: number;
  clientId?: string;
  clientSecret?: string;
  redirectUrl: string[];
  webhookTarget?: string;
  autoApprove?: boolean;
  tokenTtl: number;
}

const options = program.parse().opts<CliOptions>();
const stateFile = options.stateFile ?? options.data;

const sandbox = await startSandbox({
  port: options.port,
  host: options.host,
  rateLimit: options.rateLimit,
  accessTokenTtlSeconds: options.tokenTtl,
  autoApprove: options.autoApprove ?? false,
  ...(stateFile === undefined ? {} : { stateFile }),
  portals: [
    {
      companies: options.companies,
      deals: options.deals,
      seed: options.seed,
      ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
      ...(options.portalId === undefined ? {} : { portalId: options.portalId }),
    },
  ],
});

const [portal] = sandbox.initialPortals;
const existingApp =
  options.clientId === undefined
    ? undefined
    : sandbox.context.oauth.appByClientId(options.clientId);
const app =
  existingApp ??
  sandbox.admin.registerApp({
    ...(options.clientId === undefined ? {} : { clientId: options.clientId }),
    ...(options.clientSecret === undefined ? {} : { clientSecret: options.clientSecret }),
    redirectUrls:
      options.redirectUrl.length > 0
        ? options.redirectUrl
        : ['http://localhost:3000/oauth/callback'],
    ...(options.webhookTarget === undefined ? {} : { targetUrl: options.webhookTarget }),
    subscriptions: DEFAULT_APP_SUBSCRIPTIONS,
  });

// One JSON line on stdout tells the caller (the demo, a script) everything it needs.
console.log(
  JSON.stringify({
    ready: true,
    baseUrl: sandbox.url,
    portalId: portal?.portalId,
    accessToken: portal?.accessToken,
    appId: app.appId,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
  }),
);

let closing = false;
const shutdown = (): void => {
  if (closing) return;
  closing = true;
  sandbox.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('sandbox: failed to save state on exit', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
