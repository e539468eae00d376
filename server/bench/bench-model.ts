import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
  createFactsCollector,
  DEFAULT_SETTINGS,
  portalInputSchema,
  scorePortfolioStream,
} from '../../src/index.ts';
import { createPortalGenerator } from '../synthetic/generate-portal.ts';

/**
 * Scores a synthetic portfolio the way a full recompute does — companies
 * first, deals streamed in pages of 100, every account scored with its SWOT,
 * actions and explanations — and prints how long the model took (input
 * generation excluded) and the process's peak memory. Numbers, not
 * assertions: machines are shared and noisy.
 *
 *   npm run bench:model -- --companies 100000 --deals 1000000 [--json]
 */
const { values } = parseArgs({
  options: {
    companies: { type: 'string', default: '100000' },
    deals: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
  },
});
const companies = Number(values.companies);
const deals = Number(values.deals);
const asOf = '2026-11-01T00:00:00Z';
const asOfMs = Date.parse(asOf);
const HUBSPOT_PAGE = 100;

let modelMs = 0;
let validateMs = 0;
const timed = <T>(work: () => T, add: (ms: number) => void): T => {
  const started = performance.now();
  const result = work();
  add(performance.now() - started);
  return result;
};
const toModel = (ms: number): void => {
  modelMs += ms;
};

const wallStarted = performance.now();
const generator = createPortalGenerator({ companies, deals, seed: Number(values.seed), asOf });
const collector = timed(
  () => createFactsCollector(generator.companies, DEFAULT_SETTINGS, asOfMs),
  toModel,
);
for (const page of generator.dealPages(HUBSPOT_PAGE)) {
  // Validation happens at the edge (the HubSpot adapter, the CLI); timed apart.
  const valid = timed(
    () => portalInputSchema.shape.deals.parse(page),
    (ms) => (validateMs += ms),
  );
  timed(() => collector.addDeals(valid), toModel);
}
timed(() => collector.addTickets(generator.tickets), toModel);

// Keep what a write-back needs; the rest of each result is dropped as it goes.
const written: { id: string; tier: string; score: number | null; nextAction: string | null }[] = [];
const summary = timed(() => {
  const { facts, dealCounts } = collector.finish();
  return scorePortfolioStream(facts, DEFAULT_SETTINGS, asOfMs, dealCounts, (company) => {
    written.push({
      id: company.id,
      tier: company.tier,
      score: company.score,
      nextAction: company.actions[0]?.title ?? null,
    });
  }).summary;
}, toModel);
const wallMs = performance.now() - wallStarted;

const report = {
  companies,
  deals,
  scoreSeconds: Number((modelMs / 1000).toFixed(3)),
  validateSeconds: Number((validateMs / 1000).toFixed(3)),
  wallSeconds: Number((wallMs / 1000).toFixed(3)),
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  scored: written.length,
  ratedCompanies: summary.ratedCompanies,
  top20Share: summary.top20Share,
  targets: { scoreSeconds: 3, peakRssMb: 1536 },
};
if (values.json) {
  console.log(JSON.stringify(report));
} else {
  console.log(`model benchmark: ${companies} companies, ${deals} deals (node ${process.version})`);
  console.table({
    'score (model only), s': report.scoreSeconds,
    'validate pages (zod), s': report.validateSeconds,
    'wall incl. generation, s': report.wallSeconds,
    'peak RSS, MB': report.peakRssMb,
  });
  console.log(
    `scored ${report.scored} companies, ${report.ratedCompanies} rated, top-20% share ${summary.top20Share?.toFixed(3) ?? 'n/a'}`,
  );
  console.log(
    `targets: score ≤ ${report.targets.scoreSeconds} s, peak RSS ≤ ${report.targets.peakRssMb} MB`,
  );
}
