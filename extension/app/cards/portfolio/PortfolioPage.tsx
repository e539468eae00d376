import {
  DescriptionList,
  DescriptionListItem,
  Divider,
  Flex,
  Heading,
  LineChart,
  Statistics,
  StatisticsItem,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { MatrixTable } from '../account-grade/GradeMatrix.tsx';
import { EmptyView, NotReadyView, RecomputeButton } from '../lib/CardStates.tsx';
import { usePortalEnvironment } from '../lib/environment.ts';
import { formatMoney, formatPercent } from '../lib/format.ts';
import type { Messages } from '../lib/i18n.ts';
import type { Portfolio, Segment, Tier } from '../lib/types.ts';
import { ProfileAttentionList } from './ProfileAttentionList.tsx';
import { GroupsView } from './GroupsView.tsx';
import { usePortfolio } from './use-portfolio.ts';

const TIERS: readonly Tier[] = ['strategic', 'key', 'standard', 'transactional', 'unrated'];
const SEGMENTS: readonly Segment[] = ['core', 'at_risk', 'rising_star', 'low_value'];
/** Below this share the model gives the seed's diagnosis (kam-model.md §3; SOUND_STRUCTURE_SHARE in src/). */
const SOUND_STRUCTURE_SHARE = 0.6;

/** The app home page for managers: how the portfolio is spread and what moved. */
export function PortfolioPage() {
  const env = usePortalEnvironment();
  const { m } = env;
  const { state, reload, recomputeAll, recomputeProgress } = usePortfolio(env);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;

  const { data: portfolio } = state;
  const controls = (
    <RecomputeButton
      label={m.portfolio.recomputeAll}
      testId="recompute-all"
      progress={recomputeProgress}
      m={m}
      onClick={() => void recomputeAll()}
    />
  );
  const total = TIERS.reduce((sum, tier) => sum + (portfolio.tierCounts[tier] ?? 0), 0);
  if (total === 0) {
    return (
      <EmptyView title={m.portfolio.emptyTitle} body={m.portfolio.emptyBody} imageName="companies">
        {controls}
      </EmptyView>
    );
  }
  const rated = total - (portfolio.tierCounts.unrated ?? 0);
  const flagged = portfolio.dataQuality.companiesFlagged;
  return (
    <Flex direction="column" gap="md">
      <Heading>{m.portfolio.title}</Heading>
      <Statistics>
        <StatisticsItem label={m.portfolio.rated} number={rated} />
        <StatisticsItem
          label={m.portfolio.top20}
          number={portfolio.top20Share === null ? '—' : formatPercent(portfolio.top20Share)}
        >
          <Text variant="microcopy">{m.portfolio.top20Note}</Text>
        </StatisticsItem>
        {portfolio.topBands === null ? null : <TopBandsItem bands={portfolio.topBands} m={m} />}
      </Statistics>
      <TierTable portfolio={portfolio} m={m} />
      {portfolio.paretoCurve.length > 0 ? (
        <LineChart
          data={portfolio.paretoCurve.map((point) => ({
            accounts: Math.round(point.accountShare * 1000) / 10,
            revenue: Math.round(point.revenueShare * 1000) / 10,
          }))}
          axes={{
            x: { field: 'accounts', fieldType: 'linear', label: m.portfolio.accountShare },
            y: { field: 'revenue', fieldType: 'linear', label: m.portfolio.revenueShareAxis },
          }}
          options={{ title: m.portfolio.pareto, showTooltips: true }}
        />
      ) : null}
      <GroupsView groups={portfolio.groups} m={m} />
      <MatrixCounts portfolio={portfolio} m={m} />
      <Heading>{m.portfolio.segments}</Heading>
      <DescriptionList direction="row">
        {SEGMENTS.map((segment) => (
          <DescriptionListItem key={segment} label={m.segment[segment]}>
            <Text>{portfolio.segmentCounts[segment] ?? 0}</Text>
          </DescriptionListItem>
        ))}
      </DescriptionList>
      <Divider />
      <Heading>{m.portfolio.movements}</Heading>
      {portfolio.movements.length === 0 ? (
        <Text variant="microcopy">{m.portfolio.noMovements}</Text>
      ) : (
        portfolio.movements.map((move) => (
          <Text key={move.companyId}>
            {m.settings.move(move.name, m.tier[move.from], m.tier[move.to])}
          </Text>
        ))
      )}
      {portfolio.profileAttention === null ? null : (
        <ProfileAttentionList attention={portfolio.profileAttention} m={m} />
      )}
      {typeof flagged === 'number' && flagged > 0 ? (
        <Text variant="microcopy">{m.portfolio.flagged(flagged)}</Text>
      ) : null}
      {controls}
    </Flex>
  );
}

function TierTable({ portfolio, m }: { portfolio: Portfolio; m: Messages }) {
  return (
    <Table bordered testId="portfolio-tiers">
      <TableHead>
        <TableRow>
          <TableHeader>{m.portfolio.tiers}</TableHeader>
          <TableHeader>{m.portfolio.companies}</TableHeader>
          <TableHeader>{m.portfolio.revenueShare}</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {TIERS.map((tier) => (
          <TableRow key={tier}>
            <TableCell>{m.tier[tier]}</TableCell>
            <TableCell>{portfolio.tierCounts[tier] ?? 0}</TableCell>
            <TableCell>{formatPercent(portfolio.revenueShareByTier[tier] ?? 0)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** How much revenue the seed's absolute bands hold, with its diagnosis when far from 80/20. */
function TopBandsItem({ bands, m }: { bands: NonNullable<Portfolio['topBands']>; m: Messages }) {
  const share = bands.revenueShare;
  return (
    <StatisticsItem
      label={m.portfolio.topBands(formatMoney(bands.threshold))}
      number={share === null ? '—' : formatPercent(share)}
    >
      {share !== null && share < SOUND_STRUCTURE_SHARE ? (
        <Text variant="microcopy">{m.portfolio.topBandsUnsound}</Text>
      ) : null}
    </StatisticsItem>
  );
}

/** Company counts per matrix cell, laid out like the grade card's grid. */
function MatrixCounts({ portfolio, m }: { portfolio: Portfolio; m: Messages }) {
  return (
    <Flex direction="column" gap="xs">
      <Heading>{m.portfolio.matrix}</Heading>
      <MatrixTable
        m={m}
        testId="portfolio-matrix"
        cell={(attractiveness, strength) =>
          portfolio.matrixCounts[`${attractiveness}/${strength}`] ?? 0
        }
      />
    </Flex>
  );
}
