import {
  Alert,
  Button,
  ButtonRow,
  DateInput,
  Flex,
  Form,
  Heading,
  NumberInput,
  Panel,
  PanelBody,
  ProgressBar,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { ApiError, ApiResult } from '../lib/api-client.ts';
import { SaveErrorAlert, type DraftEditorProps } from '../lib/CardStates.tsx';
import { actionReason, actionTitle, formatMoney, formatScore } from '../lib/format.ts';
import type { Locale, Messages } from '../lib/i18n.ts';
import type { AccountPlan, PlanUpdate, Scorecard } from '../lib/types.ts';
import {
  dateInputValue,
  dayOf,
  planDraftFrom,
  planUpdate,
  validatePlan,
  type PlanDraft,
} from './plan-form.ts';

export const PLAN_PANEL = 'kam-plan-editor';

/** The rules that speak of the plan: A9 (strategic and key accounts need one), A18 (review it). */
const PLAN_RULES: readonly string[] = ['A9', 'A18'];

type Outcome =
  | { kind: 'none' | 'saving' | 'marking' | 'saved' | 'marked' }
  | { kind: 'failed'; error: ApiError };

/**
 * kam-model.md §13 on the SWOT card: the plan (OGSM) with attainment and
 * forecast towards its revenue goal, days left and its last review; the
 * editor in a panel; "mark reviewed"; and A9/A18 when the model raises them.
 */
export function PlanSection({
  scorecard,
  m,
  locale,
  onSave,
  onMarkReviewed,
}: {
  scorecard: Scorecard;
  m: Messages;
  locale: Locale;
  onSave: (plan: PlanUpdate) => Promise<ApiResult<Scorecard>>;
  onMarkReviewed: () => Promise<ApiResult<Scorecard>>;
}) {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'none' });
  const [draft, setDraft] = useState<PlanDraft | null>(null);
  const stored = scorecard.manual.plan ?? null;
  const scored = scorecard.company?.plan ?? null;
  const shownDraft = draft ?? planDraftFrom(stored);
  const objective = stored?.objective ?? scored?.objective ?? scorecard.manual.accountPlan;
  const context = (scorecard.company?.actions ?? []).filter((a) => PLAN_RULES.includes(a.ruleId));

  const save = async (close: () => void) => {
    if (Object.keys(validatePlan(shownDraft, m)).length > 0) return;
    setOutcome({ kind: 'saving' });
    const result = await onSave(planUpdate(shownDraft));
    if (!result.ok) {
      setOutcome({ kind: 'failed', error: result.error });
      return;
    }
    setDraft(null);
    setOutcome({ kind: 'saved' });
    close();
  };
  const markReviewed = async () => {
    setOutcome({ kind: 'marking' });
    const result = await onMarkReviewed();
    setOutcome(result.ok ? { kind: 'marked' } : { kind: 'failed', error: result.error });
  };

  return (
    <Flex direction="column" gap="xs">
      <Heading>{m.plan.title}</Heading>
      {outcome.kind === 'saved' ? <Alert title={m.plan.saved} variant="success" /> : null}
      {outcome.kind === 'marked' ? <Alert title={m.plan.markedReviewed} variant="success" /> : null}
      {outcome.kind === 'failed' ? <SaveErrorAlert error={outcome.error} m={m} /> : null}
      {context.map((action) => (
        <Alert key={action.key} title={actionTitle(action, locale)} variant="warning">
          {actionReason(action, locale, m)}
        </Alert>
      ))}
      {objective === null ? (
        <Text variant="microcopy">{m.plan.none}</Text>
      ) : (
        <PlanView objective={objective} stored={stored} scored={scored} m={m} />
      )}
      <ButtonRow>
        <Button
          testId="plan-edit"
          variant={objective === null ? 'primary' : 'secondary'}
          onClick={() => setOutcome({ kind: 'none' })}
          overlay={
            <Panel id={PLAN_PANEL} title={m.plan.editTitle} width="md">
              <PanelBody>
                <PlanEditor
                  draft={shownDraft}
                  m={m}
                  saving={outcome.kind === 'saving'}
                  error={outcome.kind === 'failed' ? outcome.error : null}
                  onChange={setDraft}
                  onSave={(close) => void save(close)}
                  onCancel={() => {
                    setDraft(null);
                    setOutcome({ kind: 'none' });
                  }}
                />
              </PanelBody>
            </Panel>
          }
        >
          {objective === null ? m.plan.write : m.plan.edit}
        </Button>
        {objective === null ? null : (
          <Button
            testId="plan-reviewed"
            disabled={outcome.kind === 'marking'}
            onClick={() => void markReviewed()}
          >
            {outcome.kind === 'marking' ? m.plan.marking : m.plan.markReviewed}
          </Button>
        )}
      </ButtonRow>
    </Flex>
  );
}

function PlanView({
  objective,
  stored,
  scored,
  m,
}: {
  objective: string;
  stored: Scorecard['manual']['plan'];
  scored: AccountPlan | null;
  m: Messages;
}) {
  const plan = scored ?? stored;
  const reviewedAt = plan?.reviewedAt ?? null;
  return (
    <Flex direction="column" gap="xs">
      <Text format={{ fontWeight: 'demibold' }}>{m.plan.objective}</Text>
      <Text testId="plan-objective">{objective}</Text>
      {plan?.goalRevenue != null && plan.goalDate !== null ? (
        <Text testId="plan-goal">{m.plan.goal(formatMoney(plan.goalRevenue), plan.goalDate)}</Text>
      ) : (
        <Text variant="microcopy">{m.plan.noGoal}</Text>
      )}
      {scored?.attainment == null ? null : (
        <GoalBar
          testId="plan-attainment"
          title={m.plan.attainment}
          percent={scored.attainment}
          m={m}
        />
      )}
      {scored?.forecast == null ? null : (
        <GoalBar testId="plan-forecast" title={m.plan.forecast} percent={scored.forecast} m={m} />
      )}
      {scored?.daysLeft == null ? null : (
        <Text testId="plan-days-left">
          {scored.daysLeft > 0 ? m.plan.daysLeft(scored.daysLeft) : m.plan.goalPassed}
        </Text>
      )}
      {plan?.strategies ? (
        <>
          <Text format={{ fontWeight: 'demibold' }}>{m.plan.strategies}</Text>
          <Text>{plan.strategies}</Text>
        </>
      ) : null}
      {plan?.measures ? (
        <>
          <Text format={{ fontWeight: 'demibold' }}>{m.plan.measures}</Text>
          <Text>{plan.measures}</Text>
        </>
      ) : null}
      <Text variant="microcopy" testId="plan-reviewed-at">
        {reviewedAt === null ? m.plan.neverReviewed : m.plan.reviewed(reviewedAt)}
      </Text>
    </Flex>
  );
}

/** Attainment or forecast as a bar towards 100% of the goal; the words say how far past it. */
function GoalBar({
  testId,
  title,
  percent,
  m,
}: {
  testId: string;
  title: string;
  percent: number;
  m: Messages;
}) {
  return (
    <ProgressBar
      testId={testId}
      title={title}
      value={Math.min(Math.max(percent, 0), 100)}
      maxValue={100}
      valueDescription={m.plan.percentOfGoal(formatScore(percent))}
      variant={percent >= 100 ? 'success' : percent >= 50 ? 'warning' : 'danger'}
    />
  );
}

function PlanEditor({
  draft,
  m,
  saving,
  error,
  onChange,
  onSave,
  onCancel,
}: DraftEditorProps<PlanDraft>) {
  const errors = validatePlan(draft, m);
  const fieldError = (field: keyof PlanDraft) =>
    errors[field] === undefined ? {} : { error: true, validationMessage: errors[field] };
  return (
    <Form
      preventDefault
      onSubmit={(_event, reactions) => onSave(() => reactions.closePanel(PLAN_PANEL))}
    >
      <Flex direction="column" gap="sm">
        {error ? <SaveErrorAlert error={error} m={m} /> : null}
        {/* A text area: v1's plan, which opens here, may run over several lines. */}
        <TextArea
          name="objective"
          label={m.plan.objective}
          description={m.plan.objectiveHint}
          required
          rows={4}
          value={draft.objective}
          onChange={(value) => onChange({ ...draft, objective: value })}
          {...fieldError('objective')}
        />
        <NumberInput
          name="goalRevenue"
          label={m.plan.goalRevenue}
          description={m.plan.goalRevenueHint}
          min={0}
          value={draft.goalRevenue ?? undefined}
          onChange={(value: number | undefined) =>
            onChange({
              ...draft,
              goalRevenue: value === undefined || Number.isNaN(value) ? null : value,
            })
          }
          {...fieldError('goalRevenue')}
        />
        <DateInput
          name="goalDate"
          label={m.plan.goalDate}
          format="YYYY-MM-DD"
          value={dateInputValue(draft.goalDate) ?? undefined}
          onChange={(value) => onChange({ ...draft, goalDate: dayOf(value) })}
        />
        <TextArea
          name="strategies"
          label={m.plan.strategies}
          description={m.plan.strategiesHint}
          rows={3}
          value={draft.strategies}
          onChange={(value) => onChange({ ...draft, strategies: value })}
          {...fieldError('strategies')}
        />
        <TextArea
          name="measures"
          label={m.plan.measures}
          description={m.plan.measuresHint}
          rows={3}
          value={draft.measures}
          onChange={(value) => onChange({ ...draft, measures: value })}
          {...fieldError('measures')}
        />
        <ButtonRow>
          <Button type="submit" variant="primary" disabled={saving} testId="plan-save">
            {saving ? m.common.saving : m.common.save}
          </Button>
          <Button
            disabled={saving}
            onClick={(_event, reactions) => {
              onCancel();
              reactions.closePanel(PLAN_PANEL);
            }}
          >
            {m.common.cancel}
          </Button>
        </ButtonRow>
      </Flex>
    </Form>
  );
}
