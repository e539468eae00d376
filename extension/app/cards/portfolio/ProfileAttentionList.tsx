import {
  Flex,
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { Messages } from '../lib/i18n.ts';
import type { ProfileAttention } from '../lib/types.ts';

/**
 * kam-model.md v2 §14 on the home page: the strategic and key accounts whose
 * profile is under 80% complete or that have no owner (专人负责), largest first.
 */
export function ProfileAttentionList({
  attention,
  m,
}: {
  attention: ProfileAttention;
  m: Messages;
}) {
  const t = m.profileAttention;
  const hidden = attention.total - attention.accounts.length;
  return (
    <Flex direction="column" gap="xs" testId="profile-attention">
      <Heading>{t.title}</Heading>
      {attention.accounts.length === 0 ? (
        <Text variant="microcopy">{t.none}</Text>
      ) : (
        <Table bordered>
          <TableHead>
            <TableRow>
              <TableHeader>{t.account}</TableHeader>
              <TableHeader>{t.tier}</TableHeader>
              <TableHeader>{t.completeness}</TableHeader>
              <TableHeader>{t.owner}</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {attention.accounts.map((account) => (
              <TableRow key={account.id}>
                <TableCell>{account.name ?? t.unnamed(account.id)}</TableCell>
                <TableCell>{m.tier[account.tier]}</TableCell>
                <TableCell>{`${account.completeness}%`}</TableCell>
                <TableCell>
                  {account.hasOwner ? (
                    <Text>{t.hasOwner}</Text>
                  ) : (
                    <Tag variant="error">{t.noOwner}</Tag>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {hidden > 0 ? <Text variant="microcopy">{t.more(hidden)}</Text> : null}
    </Flex>
  );
}
