import {
  Alert,
  AutoGrid,
  Button,
  ButtonRow,
  Flex,
  Heading,
  Tag,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { ApiError } from '../lib/api-client.ts';
import { EmptyView, NotReadyView, SaveErrorAlert } from '../lib/CardStates.tsx';
import { useCardEnvironment } from '../lib/environment.ts';
import { linesToItems, swotText } from '../lib/format.ts';
import type { Locale, Messages } from '../lib/i18n.ts';
import type { Quadrant, Scorecard, SwotItem } from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';
import { QUADRANT_FIELDS, QUADRANTS, draftFrom, type SwotDraft } from './quadrants.ts';

type SaveState =
  | { phase: 'editing' | 'saving' }
  | { phase: 'viewing'; saved: boolean }
  | { phase: 'failed'; error: ApiError };

export function SwotCard() {
  const env = useCardEnvironment();
  const { m, locale } = env;
  const { state, reload, saveManualInputs } = useScorecard(env);
  const [save, setSave] = useState<SaveState>({ phase: 'viewing', saved: false });
  const [draft, setDraft] = useState<SwotDraft | null>(null);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;
  const { data: scorecard } = state;

  const startEditing = () => {
    setDraft(draftFrom(scorecard.manual));
    setSave({ phase: 'editing' });
  };

  const submit = async (values: SwotDraft) => {
    setSave({ phase: 'saving' });
    const result = await saveManualInputs({
      strengths: linesToItems(values.strength),
      weaknesses: linesToItems(values.weakness),
      opportunities: linesToItems(values.opportunity),
      threats: linesToItems(values.threat),
      competitors: linesToItems(values.competitors),
      accountPlan: values.accountPlan.trim() === '' ? null : values.accountPlan.trim(),
    });
    if (result.ok) {
      setDraft(null);
      setSave({ phase: 'viewing', saved: true });
    } else {
      setSave({ phase: 'failed', error: result.error });
    }
  };

  if (draft !== null && save.phase !== 'viewing') {
    return (
      <SwotEditor
        draft={draft}
        m={m}
        saving={save.phase === 'saving'}
        error={save.phase === 'failed' ? save.error : null}
        onChange={setDraft}
        onSave={() => void submit(draft)}
        onCancel={() => {
          setDraft(null);
          setSave({ phase: 'viewing', saved: false });
        }}
      />
    );
  }

  const derived = scorecard.company?.swot.filter((item) => item.ruleId !== null) ?? [];
  const hasManual = QUADRANTS.some((q) => scorecard.manual[QUADRANT_FIELDS[q]].length > 0);
  const editButton = (
    <Button onClick={startEditing} testId="swot-edit">
      {m.swot.edit}
    </Button>
  );
  if (
    derived.length === 0 &&
    !hasManual &&
    scorecard.manual.competitors.length === 0 &&
    scorecard.manual.accountPlan === null
  ) {
    return (
      <EmptyView title={m.swot.emptyTitle} body={m.swot.emptyBody} imageName="building">
        {editButton}
      </EmptyView>
    );
  }
  return (
    <Flex direction="column" gap="md">
      {save.phase === 'viewing' && save.saved ? (
        <Alert title={m.swot.saved} variant="success" />
      ) : null}
      <AutoGrid columnWidth={260} gap="sm">
        {QUADRANTS.map((quadrant) => (
          <QuadrantTile
            key={quadrant}
            quadrant={quadrant}
            derived={derived.filter((item) => item.quadrant === quadrant)}
            manual={scorecard.manual[QUADRANT_FIELDS[quadrant]]}
            m={m}
            locale={locale}
          />
        ))}
      </AutoGrid>
      <Competitors scorecard={scorecard} m={m} />
      <Flex direction="column" gap="xs">
        <Heading>{m.swot.accountPlan}</Heading>
        <Text variant={scorecard.manual.accountPlan === null ? 'microcopy' : 'bodytext'}>
          {scorecard.manual.accountPlan ?? m.swot.noAccountPlan}
        </Text>
      </Flex>
      {editButton}
    </Flex>
  );
}

function QuadrantTile({
  quadrant,
  derived,
  manual,
  m,
  locale,
}: {
  quadrant: Quadrant;
  derived: SwotItem[];
  manual: string[];
  m: Messages;
  locale: Locale;
}) {
  return (
    <Tile testId={`swot-${quadrant}`}>
      <Heading>{m.quadrant[quadrant]}</Heading>
      {derived.length === 0 && manual.length === 0 ? (
        <Text variant="microcopy">{m.swot.noItems}</Text>
      ) : null}
      {derived.map((item, index) => (
        <Flex key={`${item.ruleId ?? ''}-${index}`} direction="row" gap="xs" align="baseline">
          <Tag variant="info">{item.ruleId}</Tag>
          <Text>{swotText(item, locale, m)}</Text>
        </Flex>
      ))}
      {manual.length > 0 ? (
        <Text variant="microcopy" format={{ fontWeight: 'demibold' }}>
          {m.swot.manual}
        </Text>
      ) : null}
      {manual.map((item, index) => (
        <Text key={`manual-${index}`}>• {item}</Text>
      ))}
    </Tile>
  );
}

function Competitors({ scorecard, m }: { scorecard: Scorecard; m: Messages }) {
  return (
    <Flex direction="column" gap="xs">
      <Heading>{m.swot.competitors}</Heading>
      {scorecard.manual.competitors.length === 0 ? (
        <Text variant="microcopy">{m.swot.noCompetitors}</Text>
      ) : (
        <Flex direction="row" gap="xs" wrap>
          {scorecard.manual.competitors.map((name) => (
            <Tag key={name}>{name}</Tag>
          ))}
        </Flex>
      )}
    </Flex>
  );
}

function SwotEditor({
  draft,
  m,
  saving,
  error,
  onChange,
  onSave,
  onCancel,
}: {
  draft: SwotDraft;
  m: Messages;
  saving: boolean;
  error: ApiError | null;
  onChange: (draft: SwotDraft) => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const fields: (Quadrant | 'competitors')[] = [...QUADRANTS, 'competitors'];
  return (
    <Flex direction="column" gap="sm">
      {error ? <SaveErrorAlert error={error} m={m} /> : null}
      {fields.map((field) => (
        <TextArea
          key={field}
          name={field}
          label={field === 'competitors' ? m.swot.competitors : m.quadrant[field]}
          description={m.swot.onePerLine}
          value={draft[field]}
          rows={3}
          onChange={(value) => onChange({ ...draft, [field]: value })}
        />
      ))}
      <TextArea
        name="accountPlan"
        label={m.swot.accountPlan}
        description={m.swot.accountPlanHint}
        value={draft.accountPlan}
        rows={5}
        onChange={(value) => onChange({ ...draft, accountPlan: value })}
      />
      <ButtonRow>
        <Button variant="primary" onClick={onSave} disabled={saving} testId="swot-save">
          {saving ? m.common.saving : m.common.save}
        </Button>
        <Button onClick={onCancel} disabled={saving}>
          {m.common.cancel}
        </Button>
      </ButtonRow>
    </Flex>
  );
}
