import {
  Alert,
  Box,
  Button,
  ButtonRow,
  Flex,
  Heading,
  Panel,
  PanelBody,
  PanelFooter,
  Tag,
  Text,
  TextArea,
  Tile,
  Tooltip,
} from '@hubspot/ui-extensions';
import type { ComponentProps } from 'react';
import { useState } from 'react';
import type { ApiError } from '../lib/api-client.ts';
import {
  EmptyView,
  NotReadyView,
  SaveErrorAlert,
  type DraftEditorProps,
} from '../lib/CardStates.tsx';
import { useCardEnvironment } from '../lib/environment.ts';
import { linesToItems, swotText } from '../lib/format.ts';
import type { Locale, Messages } from '../lib/i18n.ts';
import type { Quadrant, Scorecard, SwotItem } from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';
import { PlanSection } from './PlanSection.tsx';
import { QUADRANT_FIELDS, QUADRANTS, draftFrom, type SwotDraft } from './quadrants.ts';

type SaveState =
  | { phase: 'editing' | 'saving' }
  | { phase: 'viewing'; saved: boolean }
  | { phase: 'failed'; error: ApiError };

const EDITOR_PANEL = 'kam-swot-editor';

/** One colour per quadrant, as SWOT grids are drawn: green, amber, blue, red. */
const QUADRANT_TAG: Record<Quadrant, ComponentProps<typeof Tag>['variant']> = {
  strength: 'success',
  weakness: 'warning',
  opportunity: 'info',
  threat: 'error',
};

export function SwotCard() {
  const env = useCardEnvironment();
  const { m, locale } = env;
  const { state, reload, saveManualInputs, savePlan, markPlanReviewed } = useScorecard(env);
  const [save, setSave] = useState<SaveState>({ phase: 'viewing', saved: false });
  const [draft, setDraft] = useState<SwotDraft | null>(null);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;
  const { data: scorecard } = state;
  // The editor starts from the saved items each time it opens.
  const shownDraft = draft ?? draftFrom(scorecard.manual);

  const submit = async (values: SwotDraft, close: () => void) => {
    setSave({ phase: 'saving' });
    const result = await saveManualInputs({
      strengths: linesToItems(values.strength),
      weaknesses: linesToItems(values.weakness),
      opportunities: linesToItems(values.opportunity),
      threats: linesToItems(values.threat),
      competitors: linesToItems(values.competitors),
    });
    if (result.ok) {
      setDraft(null);
      setSave({ phase: 'viewing', saved: true });
      close();
    } else {
      setSave({ phase: 'failed', error: result.error });
    }
  };

  const editButton = (
    <Button
      testId="swot-edit"
      onClick={() => setSave({ phase: 'editing' })}
      overlay={
        <Panel id={EDITOR_PANEL} title={m.swot.editTitle} width="md">
          <SwotEditor
            draft={shownDraft}
            m={m}
            saving={save.phase === 'saving'}
            error={save.phase === 'failed' ? save.error : null}
            onChange={setDraft}
            onSave={(close) => void submit(shownDraft, close)}
            onCancel={() => {
              setDraft(null);
              setSave({ phase: 'viewing', saved: false });
            }}
          />
        </Panel>
      }
    >
      {m.swot.edit}
    </Button>
  );

  // §13: the account plan has its own section and editor, below the SWOT.
  const plan = (
    <PlanSection
      scorecard={scorecard}
      m={m}
      locale={locale}
      onSave={savePlan}
      onMarkReviewed={markPlanReviewed}
    />
  );
  const derived = scorecard.company?.swot.filter((item) => item.ruleId !== null) ?? [];
  const hasManual = QUADRANTS.some((q) => scorecard.manual[QUADRANT_FIELDS[q]].length > 0);
  if (derived.length === 0 && !hasManual && scorecard.manual.competitors.length === 0) {
    return (
      <Flex direction="column" gap="md">
        <EmptyView title={m.swot.emptyTitle} body={m.swot.emptyBody} imageName="building">
          {editButton}
        </EmptyView>
        {plan}
      </Flex>
    );
  }
  const tile = (quadrant: Quadrant) => (
    <Box flex={1}>
      <QuadrantTile
        quadrant={quadrant}
        derived={derived.filter((item) => item.quadrant === quadrant)}
        manual={scorecard.manual[QUADRANT_FIELDS[quadrant]]}
        m={m}
        locale={locale}
      />
    </Box>
  );
  return (
    <Flex direction="column" gap="md">
      {save.phase === 'viewing' && save.saved ? (
        <Alert title={m.swot.saved} variant="success" />
      ) : null}
      {/* Two rows of two, as a SWOT is drawn, whatever the tab's width. */}
      <Flex direction="row" gap="sm">
        {tile('strength')}
        {tile('weakness')}
      </Flex>
      <Flex direction="row" gap="sm">
        {tile('opportunity')}
        {tile('threat')}
      </Flex>
      <Competitors scorecard={scorecard} m={m} />
      {editButton}
      {plan}
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
      <Tag variant={QUADRANT_TAG[quadrant]}>{m.quadrant[quadrant]}</Tag>
      {derived.length === 0 && manual.length === 0 ? (
        <Text variant="microcopy">{m.swot.noItems}</Text>
      ) : null}
      {/* The sentence carries the evidence; the rule behind it is a tooltip, not an id. */}
      {derived.map((item, index) => {
        const rule = item.ruleId === null ? undefined : m.swot.rule[item.ruleId];
        return (
          <Text key={`${item.ruleId ?? ''}-${index}`}>
            • {swotText(item, locale, m)}{' '}
            {rule === undefined ? null : (
              <Button
                variant="transparent"
                size="xs"
                overlay={<Tooltip placement="top">{rule}</Tooltip>}
              >
                {m.swot.why}
              </Button>
            )}
          </Text>
        );
      })}
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
}: DraftEditorProps<SwotDraft>) {
  const fields: (Quadrant | 'competitors')[] = [...QUADRANTS, 'competitors'];
  return (
    <>
      <PanelBody>
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
        </Flex>
      </PanelBody>
      <PanelFooter>
        <ButtonRow>
          <Button
            variant="primary"
            onClick={(_event, reactions) => onSave(() => reactions.closePanel(EDITOR_PANEL))}
            disabled={saving}
            testId="swot-save"
          >
            {saving ? m.common.saving : m.common.save}
          </Button>
          <Button
            onClick={(_event, reactions) => {
              onCancel();
              reactions.closePanel(EDITOR_PANEL);
            }}
            disabled={saving}
          >
            {m.common.cancel}
          </Button>
        </ButtonRow>
      </PanelFooter>
    </>
  );
}
