import {
  Alert,
  Button,
  ButtonRow,
  Divider,
  Flex,
  Heading,
  Input,
  NumberInput,
  Select,
  Text,
  Tile,
  Toggle,
} from '@hubspot/ui-extensions';
import { useRef, useState } from 'react';
import type { ApiError } from '../lib/api-client.ts';
import { NotReadyView, RecomputeProgressView, SaveErrorAlert } from '../lib/CardStates.tsx';
import { usePortalEnvironment } from '../lib/environment.ts';
import type { Messages } from '../lib/i18n.ts';
import type { Settings, SettingsPreview } from '../lib/types.ts';
import { ComplaintSettings } from './ComplaintSettings.tsx';
import { NumberFields } from './NumberFields.tsx';
import { NoPortalDataView, RemoveDataSection, type Removal } from './RemoveDataSection.tsx';
import { RelationshipSettings } from './RelationshipSettings.tsx';
import {
  numberFromInput,
  validateSettings,
  WEIGHT_GROUPS,
  weightSum,
  type SettingsErrors,
  type WeightGroup,
} from './settings-form.ts';
import { useSettings } from './use-settings.ts';

type Outcome =
  | { kind: 'none' }
  | { kind: 'busy' }
  | { kind: 'preview'; preview: SettingsPreview }
  | { kind: 'saved' }
  | { kind: 'failed'; error: ApiError };

export function SettingsPage() {
  const env = usePortalEnvironment();
  const { m } = env;
  const { state, reload, preview, save, removeInstallation, recomputeProgress } = useSettings(env);
  const [draft, setDraft] = useState<Settings | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [removal, setRemoval] = useState<Removal>({ phase: 'idle' });
  // A second click before the page re-renders must not send a second DELETE.
  const removalSent = useRef(false);

  if (removal.phase === 'removed') return <NoPortalDataView justRemoved m={m} />;
  // The backend answers not_found once it holds nothing for the portal: there is nothing to edit.
  if (state.status === 'error' && state.error.code === 'not_found') {
    return <NoPortalDataView justRemoved={false} m={m} />;
  }
  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;

  const { canEdit } = state.data;
  const settings = draft ?? state.data.settings;
  const readOnly = !canEdit;
  const errors = validateSettings(settings, m);
  const valid = Object.keys(errors).length === 0;
  const update = (next: Settings) => {
    setDraft(next);
    // A preview is only true for the settings it was made for.
    if (outcome.kind === 'preview' || outcome.kind === 'saved') setOutcome({ kind: 'none' });
  };

  const runPreview = async () => {
    setOutcome({ kind: 'busy' });
    const result = await preview(settings);
    setOutcome(
      result.ok
        ? { kind: 'preview', preview: result.data }
        : { kind: 'failed', error: result.error },
    );
  };
  const runSave = async () => {
    setOutcome({ kind: 'busy' });
    const result = await save(settings);
    if (result.ok) setDraft(null);
    setOutcome(result.ok ? { kind: 'saved' } : { kind: 'failed', error: result.error });
  };
  const runRemoval = async () => {
    if (removalSent.current) return;
    removalSent.current = true;
    setRemoval({ phase: 'removing' });
    const result = await removeInstallation();
    removalSent.current = false;
    setRemoval(result.ok ? { phase: 'removed' } : { phase: 'failed', error: result.error });
  };
  const removing = removal.phase === 'removing';
  const section: SectionProps = { settings, errors, m, readOnly, onChange: update };

  return (
    <Flex direction="column" gap="md">
      <Heading>{m.settings.title}</Heading>
      {readOnly ? <Alert title={m.settings.readOnly} variant="info" /> : null}
      <TierSettings {...section} />
      {WEIGHT_GROUPS.map((group) => (
        <WeightGroupFields key={group} group={group} {...section} />
      ))}
      <PeriodSettings {...section} />
      <RelationshipSettings
        {...section}
        api={env.api}
        saveError={outcome.kind === 'failed' ? outcome.error : null}
      />
      <ComplaintSettings api={env.api} {...section} />
      {readOnly ? null : (
        <>
          <Divider />
          {valid ? null : <Alert title={m.settings.fixErrors} variant="warning" />}
          <ButtonRow>
            <Button
              onClick={() => void runPreview()}
              disabled={!valid || outcome.kind === 'busy' || removing}
              testId="settings-preview"
            >
              {m.settings.preview}
            </Button>
            <Button
              variant="primary"
              onClick={() => void runSave()}
              disabled={
                !valid ||
                outcome.kind === 'busy' ||
                recomputeProgress.phase === 'running' ||
                removing
              }
              testId="settings-save"
            >
              {m.settings.saveAndRecompute}
            </Button>
          </ButtonRow>
          {outcome.kind === 'preview' ? <PreviewView preview={outcome.preview} m={m} /> : null}
          {outcome.kind === 'failed' ? <SaveErrorAlert error={outcome.error} m={m} /> : null}
          {outcome.kind === 'saved' ? <Alert title={m.settings.saved} variant="success" /> : null}
          <RecomputeProgressView progress={recomputeProgress} m={m} />
          <Divider />
          <RemoveDataSection
            removal={removal}
            disabled={outcome.kind === 'busy'}
            m={m}
            onStart={() => setRemoval({ phase: 'confirming' })}
            onConfirm={() => void runRemoval()}
            onCancel={() => setRemoval({ phase: 'idle' })}
          />
        </>
      )}
    </Flex>
  );
}

interface SectionProps {
  settings: Settings;
  errors: SettingsErrors;
  m: Messages;
  /** Shown, not editable: the user is not a super admin. */
  readOnly: boolean;
  onChange: (settings: Settings) => void;
}

function TierSettings({ settings, errors, m, readOnly, onChange }: SectionProps) {
  const tiers = ['strategic', 'key', 'standard'] as const;
  const pareto = settings.tierMethod === 'pareto';
  return (
    <Tile>
      <Flex direction="column" gap="sm">
        <Select
          name="tierMethod"
          label={m.settings.tierMethod}
          readOnly={readOnly}
          value={settings.tierMethod}
          options={[
            { label: m.settings.pareto, value: 'pareto' },
            { label: m.settings.thresholds, value: 'thresholds' },
          ]}
          onChange={(value) =>
            onChange({ ...settings, tierMethod: value === 'thresholds' ? 'thresholds' : 'pareto' })
          }
        />
        <NumberFields
          group={pareto ? 'paretoCutoffs' : 'thresholds'}
          keys={tiers}
          values={pareto ? settings.paretoCutoffs : settings.thresholds}
          label={(tier) =>
            pareto ? m.settings.cutoff(m.tier[tier]) : m.settings.threshold(m.tier[tier])
          }
          precision={pareto ? 2 : 0}
          errors={errors}
          readOnly={readOnly}
          onChange={(values) =>
            onChange(
              pareto ? { ...settings, paretoCutoffs: values } : { ...settings, thresholds: values },
            )
          }
        />
        {errors[pareto ? 'paretoCutoffs' : 'thresholds'] ? (
          <Text variant="microcopy">{errors[pareto ? 'paretoCutoffs' : 'thresholds']}</Text>
        ) : null}
      </Flex>
    </Tile>
  );
}

function WeightGroupFields({
  group,
  settings,
  errors,
  m,
  readOnly,
  onChange,
}: SectionProps & { group: WeightGroup }) {
  const weights: Record<string, number> = settings[group];
  const sum = weightSum(settings, group);
  const labelOf = (key: string): string =>
    group === 'servqualWeights'
      ? ((m.dimension as Record<string, string>)[key] ?? key)
      : group === 'scoreWeights'
        ? key === 'attractiveness'
          ? m.grade.attractiveness
          : m.grade.strength
        : (m.factor[key] ?? key);
  return (
    <Tile testId={`weights-${group}`}>
      <Flex direction="column" gap="sm">
        <Heading>{m.settings[group]}</Heading>
        <NumberFields
          group={group}
          keys={Object.keys(weights)}
          values={weights}
          label={labelOf}
          min={0}
          max={100}
          errors={errors}
          readOnly={readOnly}
          onChange={(values) => onChange({ ...settings, [group]: values })}
        />
        <Text
          testId={`weights-sum-${group}`}
          format={{ fontWeight: errors[group] ? 'bold' : 'regular' }}
        >
          {errors[group] ?? m.settings.weightsSum(sum)}
        </Text>
      </Flex>
    </Tile>
  );
}

function PeriodSettings({ settings, errors, m, readOnly, onChange }: SectionProps) {
  const cadenceTiers = ['strategic', 'key', 'standard', 'transactional'] as const;
  const numberField = (path: 'windowDays' | 'churnDays' | 'loyaltyThreshold', label: string) => (
    <NumberInput
      name={path}
      label={label}
      value={settings[path]}
      readOnly={readOnly}
      error={errors[path] !== undefined}
      validationMessage={errors[path]}
      onChange={(value) => onChange({ ...settings, [path]: numberFromInput(value) })}
    />
  );
  return (
    <Tile>
      <Flex direction="column" gap="sm">
        <Flex direction="row" gap="sm" wrap>
          {numberField('windowDays', m.settings.windowDays)}
          {numberField('churnDays', m.settings.churnDays)}
          {numberField('loyaltyThreshold', m.settings.loyaltyThreshold)}
        </Flex>
        <Heading>{m.settings.visitCadence}</Heading>
        <NumberFields
          group="visitCadenceDays"
          keys={cadenceTiers}
          values={settings.visitCadenceDays}
          label={(tier) => m.tier[tier]}
          errors={errors}
          readOnly={readOnly}
          onChange={(values) => onChange({ ...settings, visitCadenceDays: values })}
        />
        <Input
          name="profitProperty"
          label={m.settings.profitProperty}
          readOnly={readOnly}
          value={settings.profitProperty ?? ''}
          onChange={(value) =>
            onChange({ ...settings, profitProperty: value.trim() === '' ? null : value.trim() })
          }
        />
        <Input
          name="productLineProperty"
          label={m.settings.productLineProperty}
          readOnly={readOnly}
          value={settings.productLineProperty}
          error={errors.productLineProperty !== undefined}
          validationMessage={errors.productLineProperty}
          onChange={(value) => onChange({ ...settings, productLineProperty: value.trim() })}
        />
        <Toggle
          name="tasksEnabled"
          label={m.settings.tasksEnabled}
          labelDisplay="inline"
          checked={settings.tasksEnabled}
          readOnly={readOnly}
          onChange={(checked) => onChange({ ...settings, tasksEnabled: checked })}
        />
      </Flex>
    </Tile>
  );
}

function PreviewView({ preview, m }: { preview: SettingsPreview; m: Messages }) {
  const tiers = ['strategic', 'key', 'standard', 'transactional', 'unrated'] as const;
  return (
    <Tile testId="settings-preview-result">
      <Flex direction="column" gap="xs">
        <Heading>{m.settings.previewTitle}</Heading>
        {preview.note ? <Text variant="microcopy">{preview.note}</Text> : null}
        <Text format={{ fontWeight: 'demibold' }}>{m.settings.tierCounts}</Text>
        {tiers.map((tier) => (
          <Text key={tier}>
            {m.tier[tier]}: {preview.tierCounts[tier] ?? 0}
          </Text>
        ))}
        <Text format={{ fontWeight: 'demibold' }}>
          {preview.moves.length === 0 ? m.settings.noMoves : m.settings.moves(preview.moves.length)}
        </Text>
        {preview.moves.map((move) => (
          <Text key={move.companyId}>
            {m.settings.move(move.name, m.tier[move.from], m.tier[move.to])}
          </Text>
        ))}
      </Flex>
    </Tile>
  );
}
