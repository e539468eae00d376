import {
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { formatMoney } from '../lib/format.ts';
import type { Messages } from '../lib/i18n.ts';
import type { CompanyGroup } from '../lib/types.ts';

/**
 * kam-model.md §11: the group a company is part of — its tier, members,
 * revenue and biggest member — shown only for a group of more than one
 * company (a standalone company is a group of one and says nothing new).
 */
export function GroupMembership({
  group,
  companyId,
  m,
}: {
  group: CompanyGroup | undefined;
  companyId: string;
  m: Messages;
}) {
  if (group === undefined || group.size <= 1) return null;
  const biggest = group.biggestMember;
  const biggestName = biggest === null ? null : (biggest.name ?? m.group.unnamed);
  return (
    <Flex direction="column" gap="xs" testId="group">
      <Heading>{m.group.partOf(group.name ?? m.group.unnamed)}</Heading>
      <DescriptionList direction="row">
        <DescriptionListItem label={m.group.tier}>
          <Tag variant="info" testId="group-tier">
            {m.tier[group.tier]}
          </Tag>
        </DescriptionListItem>
        <DescriptionListItem label={m.group.revenue}>
          <Text>{formatMoney(group.revenueTtm)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label={m.group.biggest}>
          <Text>
            {biggest === null || biggestName === null
              ? '—'
              : `${biggest.id === companyId ? m.group.biggestThis(biggestName) : biggestName} · ${formatMoney(biggest.revenueTtm)}`}
          </Text>
        </DescriptionListItem>
      </DescriptionList>
      <Text variant="microcopy">{m.group.members(group.size)}</Text>
    </Flex>
  );
}
