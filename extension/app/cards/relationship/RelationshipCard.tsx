import {
  Alert,
  Box,
  Checkbox,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { CrmActionButton } from '@hubspot/ui-extensions/crm';
import { EmptyView, NotReadyView } from '../lib/CardStates.tsx';
import { COMPANY_TYPE_ID, EMAIL_RULES, MEETING_RULES } from '../lib/crm-actions.ts';
import { useCardEnvironment } from '../lib/environment.ts';
import { actionTitle, formatDay } from '../lib/format.ts';
import type { Locale, Messages } from '../lib/i18n.ts';
import {
  BUYING_ROLES,
  type BuyingCentre,
  type BuyingCentreContact,
  type CompanyScore,
  type NextAction,
  type Profile,
  type Visits,
} from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';

/** The rules whose action is a meeting with the customer (§10) or mapping its buying centre (§9). */
const VISIT_RULES = ['A1', 'A8', 'A16'];
const BUYING_CENTRE_RULES = ['A10'];

/** kam-model.md v2 §14: the portfolio flags a strategic or key profile under this. */
const PROFILE_TARGET = 80;

export function RelationshipCard() {
  const env = useCardEnvironment();
  const { m, locale, companyId } = env;
  const { state, reload } = useScorecard(env);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;
  const { company, ownerNames } = state.data;
  // Not scored yet, or scored before the app read contacts and meetings (an older snapshot).
  const buyingCentre = company?.buyingCentre;
  const visits = company?.visits;
  const profile = company?.profile;
  if (
    company === null ||
    buyingCentre === undefined ||
    visits === undefined ||
    profile === undefined
  ) {
    const [title, body] =
      company === null
        ? [m.common.notScoredTitle, m.common.notScoredBody]
        : [m.relationship.emptyTitle, m.relationship.emptyBody];
    return (
      <EmptyView title={title} body={body} imageName="building">
        {null}
      </EmptyView>
    );
  }
  const record = { objectTypeId: COMPANY_TYPE_ID, objectId: Number(companyId) };
  const asked = (rules: readonly string[]) =>
    company.actions.filter((action) => rules.includes(action.ruleId));
  return (
    <Flex direction="column" gap="md">
      <OwnerLine company={company} ownerNames={ownerNames} m={m} />
      <BuyingCentreSection
        centre={buyingCentre}
        contactCount={company.metrics.contacts}
        ownerNames={ownerNames}
        actions={asked(BUYING_CENTRE_RULES)}
        record={record}
        m={m}
        locale={locale}
      />
      <Flex direction="row" gap="sm">
        <Box flex={1}>
          <VisitsSection
            visits={visits}
            actions={asked(VISIT_RULES)}
            record={record}
            m={m}
            locale={locale}
          />
        </Box>
        <Box flex={1}>
          <ProfileSection profile={profile} m={m} />
        </Box>
      </Flex>
    </Flex>
  );
}

/** A name from the scorecard's `ownerNames`, the id where the backend has none. */
function ownerName(ownerId: string, ownerNames: Record<string, string>, m: Messages): string {
  return ownerNames[ownerId] ?? m.relationship.ownerId(ownerId);
}

function OwnerLine({
  company,
  ownerNames,
  m,
}: {
  company: CompanyScore;
  ownerNames: Record<string, string>;
  m: Messages;
}) {
  const ownerId = company.ownerId ?? null;
  return (
    <Flex direction="row" gap="xs" align="center" testId="relationship-owner">
      <Text format={{ fontWeight: 'demibold' }}>{m.relationship.owner}</Text>
      {ownerId === null ? (
        <Tag variant={company.tier === 'strategic' || company.tier === 'key' ? 'error' : 'warning'}>
          {m.relationship.noOwner}
        </Tag>
      ) : (
        <Text>{ownerName(ownerId, ownerNames, m)}</Text>
      )}
    </Flex>
  );
}

type RecordContext = { objectTypeId: string; objectId: number };

/** What the account's actions ask for here, and HubSpot's own tool to do it. */
function AskedFor({
  actions,
  record,
  m,
  locale,
  testId,
}: {
  actions: NextAction[];
  record: RecordContext;
  m: Messages;
  locale: Locale;
  testId: string;
}) {
  if (actions.length === 0) return null;
  const titles = actions.map((action) => actionTitle(action, locale));
  const meeting = actions.some((action) => MEETING_RULES.has(action.ruleId));
  const email = actions.some((action) => EMAIL_RULES.has(action.ruleId));
  return (
    <Flex direction="column" gap="xs" testId={testId}>
      <Text variant="microcopy">
        {m.relationship.askedFor(titles.join(locale === 'zh' ? '、' : '; '))}
      </Text>
      <Flex direction="row" gap="xs" wrap>
        {meeting ? (
          <CrmActionButton size="sm" actionType="SCHEDULE_MEETING" actionContext={record}>
            {m.actions.scheduleMeeting}
          </CrmActionButton>
        ) : null}
        {email ? (
          <CrmActionButton size="sm" actionType="SEND_EMAIL" actionContext={record}>
            {m.actions.sendEmail}
          </CrmActionButton>
        ) : null}
      </Flex>
    </Flex>
  );
}

function BuyingCentreSection({
  centre,
  contactCount,
  ownerNames,
  actions,
  record,
  m,
  locale,
}: {
  centre: BuyingCentre;
  contactCount: number | null;
  ownerNames: Record<string, string>;
  actions: NextAction[];
  record: RecordContext;
  m: Messages;
  locale: Locale;
}) {
  const r = m.relationship;
  const blockers = centre.contacts.some((contact) => contact.roles.includes('BLOCKER'));
  return (
    <Tile testId="relationship-buying-centre">
      <Flex direction="column" gap="sm">
        <Heading>{r.buyingCentre}</Heading>
        {centre.source === 'contact_count' ? (
          <Alert title={r.noContactRecords(contactCount)} variant="info" />
        ) : null}
        {centre.inferred ? <Text variant="microcopy">{r.inferredNote}</Text> : null}
        {centre.coverage === null ? null : (
          <Flex direction="row" gap="md">
            <Box flex={1}>
              <ProgressBar
                title={r.coverage(centre.covered.length)}
                value={centre.coverage}
                maxValue={100}
                showPercentage
                variant={centre.coverage < 60 ? 'warning' : 'success'}
              />
            </Box>
            <Box flex={1}>
              <ProgressBar
                title={r.engagedCoverage(centre.engagedRoles.length)}
                value={centre.engagedCoverage ?? 0}
                maxValue={100}
                showPercentage
                variant={(centre.engagedCoverage ?? 0) < 60 ? 'warning' : 'success'}
              />
            </Box>
          </Flex>
        )}
        {centre.source === 'contacts' && centre.contacts.length === 0 ? (
          <Text variant="microcopy">{r.noContacts}</Text>
        ) : null}
        {centre.contacts.length > 0 ? (
          <Table bordered={false} testId="buying-centre-matrix">
            <TableHead>
              <TableRow>
                <TableHeader>{r.contact}</TableHeader>
                {BUYING_ROLES.map((role) => (
                  <TableHeader key={role}>{r.role[role]}</TableHeader>
                ))}
                {blockers ? <TableHeader>{r.role.BLOCKER}</TableHeader> : null}
                <TableHeader>{r.engagement}</TableHeader>
                <TableHeader>{r.relationshipOwner}</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {centre.contacts.map((contact) => (
                <ContactRow
                  key={contact.id}
                  contact={contact}
                  blockers={blockers}
                  ownerNames={ownerNames}
                  m={m}
                />
              ))}
            </TableBody>
          </Table>
        ) : null}
        {centre.contactsNotShown > 0 ? (
          <Text variant="microcopy">{r.notShown(centre.contactsNotShown)}</Text>
        ) : null}
        {centre.source === 'contacts' ? (
          <Flex direction="row" gap="xs" align="center" wrap testId="buying-centre-missing">
            <Text format={{ fontWeight: 'demibold' }}>{r.missing}</Text>
            {centre.missing.length === 0 ? (
              <Text>{r.noneMissing}</Text>
            ) : (
              centre.missing.map((role) => (
                <Tag key={role} variant="warning">
                  {r.role[role]}
                </Tag>
              ))
            )}
          </Flex>
        ) : null}
        <AskedFor
          actions={actions}
          record={record}
          m={m}
          locale={locale}
          testId="buying-centre-actions"
        />
      </Flex>
    </Tile>
  );
}

function ContactRow({
  contact,
  blockers,
  ownerNames,
  m,
}: {
  contact: BuyingCentreContact;
  blockers: boolean;
  ownerNames: Record<string, string>;
  m: Messages;
}) {
  const r = m.relationship;
  return (
    <TableRow>
      <TableCell>
        <Text format={{ fontWeight: 'demibold' }}>{contact.name ?? r.unnamed}</Text>
        {contact.jobTitle === null ? null : <Text variant="microcopy">{contact.jobTitle}</Text>}
      </TableCell>
      {BUYING_ROLES.map((role) => (
        <TableCell key={role}>
          {contact.roles.includes(role) ? (
            contact.inferred ? (
              <Tag variant="info">{`✓ ${r.inferred}`}</Tag>
            ) : (
              <Tag variant={contact.engaged ? 'success' : 'default'}>✓</Tag>
            )
          ) : null}
        </TableCell>
      ))}
      {blockers ? (
        <TableCell>
          {contact.roles.includes('BLOCKER') ? <Tag variant="error">{r.role.BLOCKER}</Tag> : null}
        </TableCell>
      ) : null}
      <TableCell>
        <Text>{contact.engaged ? r.engaged : r.notEngaged}</Text>
        <Text variant="microcopy">
          {contact.lastContacted === null
            ? r.neverContacted
            : r.lastContacted(formatDay(contact.lastContacted))}
        </Text>
      </TableCell>
      <TableCell>
        <Text>{contact.ownerId === null ? '—' : ownerName(contact.ownerId, ownerNames, m)}</Text>
      </TableCell>
    </TableRow>
  );
}

function VisitsSection({
  visits,
  actions,
  record,
  m,
  locale,
}: {
  visits: Visits;
  actions: NextAction[];
  record: RecordContext;
  m: Messages;
  locale: Locale;
}) {
  const r = m.relationship;
  const dated = (date: string | null, days: number | null = null) =>
    date === null ? r.none : days === null ? formatDay(date) : r.dayAgo(formatDay(date), days);
  const fromMeetings = visits.source === 'meetings';
  const overdue =
    visits.cadenceDays !== null &&
    visits.daysSinceVisit !== null &&
    visits.daysSinceVisit > visits.cadenceDays;
  return (
    <Tile testId="relationship-visits">
      <Flex direction="column" gap="sm">
        <Heading>{r.visits}</Heading>
        {visits.source === 'last_activity' ? (
          <Alert title={r.fallbackActivity} variant="info" />
        ) : null}
        {visits.source === 'none' ? <Text variant="microcopy">{r.noVisits}</Text> : null}
        <DescriptionList direction="column">
          {visits.source === 'none' ? null : (
            <DescriptionListItem label={fromMeetings ? r.lastVisit : r.lastActivity}>
              <Text>{dated(visits.lastVisit, visits.daysSinceVisit)}</Text>
            </DescriptionListItem>
          )}
          {fromMeetings ? (
            <DescriptionListItem label={r.lastExecutiveVisit}>
              <Text>{dated(visits.lastExecutiveVisit)}</Text>
            </DescriptionListItem>
          ) : null}
          {fromMeetings ? (
            <DescriptionListItem label={r.lastReview}>
              <Text>{dated(visits.lastReview)}</Text>
            </DescriptionListItem>
          ) : null}
          <DescriptionListItem label={r.cadence}>
            <Text>{visits.cadenceDays === null ? r.noCadence : r.every(visits.cadenceDays)}</Text>
          </DescriptionListItem>
        </DescriptionList>
        {overdue && visits.daysSinceVisit !== null && visits.cadenceDays !== null ? (
          <Tag variant="warning">{r.overdue(visits.daysSinceVisit, visits.cadenceDays)}</Tag>
        ) : null}
        <AskedFor actions={actions} record={record} m={m} locale={locale} testId="visits-actions" />
      </Flex>
    </Tile>
  );
}

function ProfileSection({ profile, m }: { profile: Profile; m: Messages }) {
  const r = m.relationship;
  return (
    <Tile testId="relationship-profile">
      <Flex direction="column" gap="sm">
        <Heading>{r.profile}</Heading>
        <ProgressBar
          title={r.completeness(profile.completeness)}
          value={profile.completeness}
          maxValue={100}
          variant={profile.completeness < PROFILE_TARGET ? 'warning' : 'success'}
        />
        {profile.missing.length === 0 ? (
          <Text>{r.profileComplete}</Text>
        ) : (
          <Text format={{ fontWeight: 'demibold' }}>{r.missingFields}</Text>
        )}
        {/* What is missing, as a checklist to work through. */}
        {profile.missing.map((field) => (
          <Checkbox key={field} name={`profile-${field}`} checked={false} readOnly>
            {r.field[field]}
          </Checkbox>
        ))}
      </Flex>
    </Tile>
  );
}
