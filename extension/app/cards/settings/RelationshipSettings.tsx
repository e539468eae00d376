import {
  Checkbox,
  Flex,
  Heading,
  Input,
  MultiSelect,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import { useCallback } from 'react';
import { paths, type ApiClient, type ApiError } from '../lib/api-client.ts';
import type { Messages } from '../lib/i18n.ts';
import {
  PROFILE_FIELDS,
  type OwnersResponse,
  type ProfileField,
  type Settings,
} from '../lib/types.ts';
import { useApiData } from '../lib/use-api-data.ts';
import type { SettingsErrors } from './settings-form.ts';

const TIERS = ['strategic', 'key', 'standard', 'transactional', 'unrated'] as const;

/** The field the backend names when it refuses a review title pattern (e.g. one that can backtrack catastrophically). */
export const REVIEW_PATTERN_FIELD = 'settings.reviewTitlePattern';

interface RelationshipSettingsProps {
  api: ApiClient;
  settings: Settings;
  errors: SettingsErrors;
  /** The last preview's or save's refusal: the backend validates the pattern. */
  saveError: ApiError | null;
  m: Messages;
  readOnly: boolean;
  onChange: (settings: Settings) => void;
}

type RelationshipValues = Required<
  Pick<Settings, 'executiveUserIds' | 'reviewTitlePattern' | 'profileRequiredFields'>
>;

/**
 * kam-model.md v2 §10 and §14 on the settings page: who the executives are
 * (picked from the portal's HubSpot owners), which meeting titles are
 * business reviews, and which profile fields each tier requires.
 * Left out for a backend that does not have these settings yet.
 */
export function RelationshipSettings(props: RelationshipSettingsProps) {
  const { executiveUserIds, reviewTitlePattern, profileRequiredFields } = props.settings;
  if (
    executiveUserIds === undefined ||
    reviewTitlePattern === undefined ||
    profileRequiredFields === undefined
  ) {
    return null;
  }
  return (
    <RelationshipFields
      {...props}
      values={{ executiveUserIds, reviewTitlePattern, profileRequiredFields }}
    />
  );
}

function RelationshipFields({
  api,
  settings,
  values,
  errors,
  saveError,
  m,
  readOnly,
  onChange,
}: RelationshipSettingsProps & { values: RelationshipValues }) {
  const t = m.relationshipSettings;
  const fetchOwners = useCallback(() => api.request<OwnersResponse>('GET', paths.owners()), [api]);
  const { state: owners } = useApiData(fetchOwners);
  const known = owners.status === 'ready' ? owners.data.owners : [];
  // An executive the owners list does not (or not yet) hold stays selectable, by id.
  const options = [
    ...known.map((owner) => ({
      label: owner.email === null ? owner.name : `${owner.name} (${owner.email})`,
      value: owner.id,
    })),
    ...values.executiveUserIds
      .filter((id) => !known.some((owner) => owner.id === id))
      .map((id) => ({ label: m.relationship.ownerId(id), value: id })),
  ];
  const patternError =
    errors.reviewTitlePattern ??
    (saveError !== null && saveError.field === REVIEW_PATTERN_FIELD
      ? saveError.message
      : undefined);
  const toggle = (tier: (typeof TIERS)[number], field: ProfileField, checked: boolean) => {
    const current = values.profileRequiredFields[tier];
    const next = checked
      ? PROFILE_FIELDS.filter((f) => f === field || current.includes(f))
      : current.filter((f) => f !== field);
    onChange({
      ...settings,
      profileRequiredFields: { ...values.profileRequiredFields, [tier]: next },
    });
  };
  return (
    <Tile testId="settings-relationship">
      <Flex direction="column" gap="sm">
        <Heading>{t.title}</Heading>
        <MultiSelect
          name="executiveUserIds"
          label={t.executives}
          description={t.executivesHint}
          readOnly={readOnly}
          value={values.executiveUserIds}
          options={options}
          onChange={(value) => onChange({ ...settings, executiveUserIds: value.map(String) })}
        />
        {owners.status === 'error' ? <Text variant="microcopy">{t.ownersUnavailable}</Text> : null}
        {owners.status === 'ready' && owners.data.ownersScope === false ? (
          <Text variant="microcopy">{t.ownersNoScope}</Text>
        ) : null}
        <Input
          name="reviewTitlePattern"
          label={t.reviewTitlePattern}
          description={t.reviewTitleHint}
          readOnly={readOnly}
          value={values.reviewTitlePattern}
          error={patternError !== undefined}
          validationMessage={patternError}
          onChange={(value) => onChange({ ...settings, reviewTitlePattern: value })}
        />
        <Table bordered={false} testId="settings-profile-fields">
          <TableHead>
            <TableRow>
              <TableHeader>{m.relationship.profile}</TableHeader>
              {TIERS.map((tier) => (
                <TableHeader key={tier}>{m.tier[tier]}</TableHeader>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {PROFILE_FIELDS.map((field) => (
              <TableRow key={field}>
                <TableCell>
                  <Text>{m.relationship.field[field]}</Text>
                </TableCell>
                {TIERS.map((tier) => (
                  <TableCell key={tier}>
                    <Checkbox
                      name={`profileRequiredFields.${tier}.${field}`}
                      aria-label={t.requiredFields(m.tier[tier])}
                      checked={values.profileRequiredFields[tier].includes(field)}
                      readOnly={readOnly}
                      onChange={(checked) => toggle(tier, field, checked)}
                    />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Flex>
    </Tile>
  );
}
