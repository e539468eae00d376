import {
  Flex,
  Heading,
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
import { formatMoney, formatPercent } from '../lib/format.ts';
import type { Messages } from '../lib/i18n.ts';
import type { PortfolioGroups } from '../lib/types.ts';

/**
 * kam-model.md §11 on the home page: the Pareto over groups (companies of
 * one parent are one account) — how many, the top 20%'s revenue share and
 * the largest groups with their tier, members and revenue.
 */
export function GroupsView({ groups, m }: { groups: PortfolioGroups | undefined; m: Messages }) {
  if (groups === undefined) return null;
  return (
    <Flex direction="column" gap="sm" testId="portfolio-groups">
      <Heading>{m.groups.title}</Heading>
      <Text variant="microcopy">{m.groups.intro}</Text>
      <Statistics>
        <StatisticsItem
          label={m.groups.top20}
          number={groups.top20Share === null ? '—' : formatPercent(groups.top20Share)}
        >
          <Text>{m.groups.count(groups.count, groups.multiMember)}</Text>
        </StatisticsItem>
      </Statistics>
      {groups.multiMember === 0 ? (
        <Text variant="microcopy">{m.groups.none}</Text>
      ) : (
        <Table bordered testId="portfolio-groups-table">
          <TableHead>
            <TableRow>
              <TableHeader>{m.groups.group}</TableHeader>
              <TableHeader>{m.groups.tier}</TableHeader>
              <TableHeader>{m.groups.members}</TableHeader>
              <TableHeader>{m.groups.revenue}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {groups.top.map((group) => (
              <TableRow key={group.id}>
                <TableCell>{group.name ?? m.groups.unnamed(group.id)}</TableCell>
                <TableCell>{m.tier[group.tier]}</TableCell>
                <TableCell>{group.size}</TableCell>
                <TableCell>{formatMoney(group.revenueTtm)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
