import { Alert, Flex, Heading, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import { formatScore } from '../lib/format.ts';
import type { Messages } from '../lib/i18n.ts';
import type { Complaints } from '../lib/types.ts';

/**
 * kam-model.md §12 beside the satisfaction gap: open complaints (major and
 * general, those past their time limit), the last 12 months, the median days
 * to close and the 回访 follow-up owed (A15); a notice when no complaint
 * ticket is linked to the company.
 */
export function ComplaintsSummary({ complaints, m }: { complaints: Complaints; m: Messages }) {
  if (complaints.source === 'none') {
    return (
      <Alert title={m.complaints.noTicketsTitle} variant="info" testId="no-tickets">
        {m.complaints.noTickets}
      </Alert>
    );
  }
  const general = complaints.open - complaints.openMajor;
  return (
    <Flex direction="column" gap="sm" testId="complaints">
      <Heading>{m.complaints.title}</Heading>
      {complaints.overdue > 0 ? (
        <Alert title={m.complaints.overdue(complaints.overdue)} variant="danger">
          {m.satisfaction.complaintsNote}
        </Alert>
      ) : null}
      {complaints.followUp === null ? null : (
        <Alert title={m.complaints.followUpTitle} variant="warning" testId="follow-up">
          {m.complaints.followUp(
            complaints.followUp.ticketId,
            complaints.followUp.closedAt,
            complaints.followUp.dueBy,
          )}
        </Alert>
      )}
      <Statistics>
        <StatisticsItem label={m.complaints.open} number={String(complaints.open)}>
          <Text>{m.complaints.openSplit(complaints.openMajor, general)}</Text>
        </StatisticsItem>
        <StatisticsItem
          label={m.complaints.last12Months}
          number={String(complaints.last12Months)}
        />
        <StatisticsItem
          label={m.complaints.medianDays}
          number={
            complaints.medianDaysToClose === null
              ? m.complaints.none
              : m.complaints.days(formatScore(complaints.medianDaysToClose))
          }
        />
      </Statistics>
    </Flex>
  );
}
