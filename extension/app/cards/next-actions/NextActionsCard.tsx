import { Alert, Button, EmptyState, Flex, Tag, Text, Tile } from '@hubspot/ui-extensions';
import { CrmActionButton, CrmActionLink } from '@hubspot/ui-extensions/crm';
import { useState } from 'react';
import type { ApiError } from '../lib/api-client.ts';
import { NotReadyView, SaveErrorAlert } from '../lib/CardStates.tsx';
import { COMPANY_TYPE_ID, EMAIL_RULES, MEETING_RULES } from '../lib/crm-actions.ts';
import { useCardEnvironment } from '../lib/environment.ts';
import { actionReason, actionTitle, formatDay } from '../lib/format.ts';
import type { Locale, Messages } from '../lib/i18n.ts';
import type { NextAction, Task } from '../lib/types.ts';
import { useScorecard } from '../lib/use-scorecard.ts';

/** What the last "Create task" click on an action answered. */
type TaskOutcome = { created: boolean } | { error: ApiError } | 'pending';

/** The sidebar shows this many actions before "Show all". */
export const ACTIONS_SHOWN = 3;

export function NextActionsCard() {
  const env = useCardEnvironment();
  const { m, locale, companyId } = env;
  const { state, reload, createTask } = useScorecard(env);
  const [outcomes, setOutcomes] = useState<Record<string, TaskOutcome>>({});
  const [showAll, setShowAll] = useState(false);

  if (state.status !== 'ready') return <NotReadyView state={state} m={m} onRetry={reload} />;

  const { data: scorecard } = state;
  const actions = scorecard.company?.actions ?? [];
  if (actions.length === 0) {
    return (
      <EmptyState title={m.actions.emptyTitle} imageName="task" layout="vertical">
        <Text>{scorecard.company === null ? m.common.notScoredBody : m.actions.emptyBody}</Text>
      </EmptyState>
    );
  }

  const create = async (action: NextAction) => {
    const { key } = action;
    setOutcomes((current) => ({ ...current, [key]: 'pending' }));
    const result = await createTask(key, {
      subject: actionTitle(action, locale),
      reason: actionReason(action, locale, m),
    });
    setOutcomes((current) => ({
      ...current,
      [key]: result.ok ? { created: result.data.created } : { error: result.error },
    }));
  };

  const shown = showAll ? actions : actions.slice(0, ACTIONS_SHOWN);
  return (
    <Flex direction="column" gap="sm">
      {scorecard.tasksEnabled ? null : <Text variant="microcopy">{m.actions.tasksDisabled}</Text>}
      {shown.map((action) => (
        <ActionTile
          key={action.key}
          action={action}
          companyId={companyId}
          task={scorecard.tasks[action.key] ?? null}
          outcome={outcomes[action.key] ?? null}
          tasksEnabled={scorecard.tasksEnabled}
          m={m}
          locale={locale}
          onCreateTask={() => void create(action)}
        />
      ))}
      {actions.length > ACTIONS_SHOWN ? (
        <Button
          variant="transparent"
          size="sm"
          onClick={() => setShowAll(!showAll)}
          testId="actions-show-all"
        >
          {showAll ? m.actions.showFewer : m.actions.showAll(actions.length)}
        </Button>
      ) : null}
    </Flex>
  );
}

function ActionTile({
  action,
  companyId,
  task,
  outcome,
  tasksEnabled,
  m,
  locale,
  onCreateTask,
}: {
  action: NextAction;
  companyId: string;
  task: Task | null;
  outcome: TaskOutcome | null;
  tasksEnabled: boolean;
  m: Messages;
  locale: Locale;
  onCreateTask: () => void;
}) {
  const pending = outcome === 'pending';
  const record = { objectTypeId: COMPANY_TYPE_ID, objectId: Number(companyId) };
  const openTask = task !== null && task.status !== 'COMPLETED' ? task : null;
  return (
    <Tile compact testId={`action-${action.key}`}>
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="xs" align="center">
          <Tag
            variant={
              action.priority === 1 ? 'error' : action.priority === 2 ? 'warning' : 'default'
            }
          >
            {m.actions.priority(action.priority)}
          </Tag>
          <Text format={{ fontWeight: 'bold' }}>{actionTitle(action, locale)}</Text>
        </Flex>
        <Text>{actionReason(action, locale, m)}</Text>
        <Text variant="microcopy">{m.actions.due(formatDay(action.due))}</Text>
        {outcome !== null && outcome !== 'pending' && 'error' in outcome ? (
          <SaveErrorAlert error={outcome.error} m={m} />
        ) : null}
        {task !== null ? (
          <TaskLine
            task={task}
            created={
              outcome !== null && outcome !== 'pending' && 'created' in outcome
                ? outcome.created
                : null
            }
            m={m}
          />
        ) : null}
        <Flex direction="row" gap="xs" wrap>
          {MEETING_RULES.has(action.ruleId) ? (
            <CrmActionButton size="sm" actionType="SCHEDULE_MEETING" actionContext={record}>
              {m.actions.scheduleMeeting}
            </CrmActionButton>
          ) : null}
          {EMAIL_RULES.has(action.ruleId) ? (
            <CrmActionButton size="sm" actionType="SEND_EMAIL" actionContext={record}>
              {m.actions.sendEmail}
            </CrmActionButton>
          ) : null}
          {openTask !== null ? (
            // An open task is the next step: open it rather than offer a second one.
            <CrmActionLink
              actionType="ENGAGEMENT_APP_LINK"
              actionContext={{ ...record, engagementId: openTask.id }}
              testId={`open-task-${action.key}`}
            >
              {m.actions.openTask}
            </CrmActionLink>
          ) : tasksEnabled ? (
            <Button
              size="sm"
              onClick={onCreateTask}
              disabled={pending}
              testId={`create-task-${action.key}`}
            >
              {pending ? m.actions.creating : m.actions.createTask}
            </Button>
          ) : null}
        </Flex>
      </Flex>
    </Tile>
  );
}

/** The task behind an action: "created" after a click that made it, "already exists" when the backend answered with the open one. */
function TaskLine({ task, created, m }: { task: Task; created: boolean | null; m: Messages }) {
  const title =
    created === null
      ? m.actions.task(task.subject)
      : created
        ? m.actions.taskCreated(task.subject)
        : m.actions.taskExists(task.subject);
  const status = m.actions.taskStatus[task.status] ?? m.actions.taskStatusOther;
  return (
    <Alert title={title} variant={created === true ? 'success' : 'info'}>
      {m.actions.taskLine(status, formatDay(task.dueDate))}
    </Alert>
  );
}
