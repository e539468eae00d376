import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  ProgressBar,
  Text,
} from '@hubspot/ui-extensions';
import type { ComponentProps, ReactNode } from 'react';
import type { ApiError } from './api-client.ts';
import type { Messages } from './i18n.ts';
import type { DataState } from './use-api-data.ts';
import { recomputePercent, type RecomputeProgress } from './use-recompute-progress.ts';

export function LoadingView({ m }: { m: Messages }) {
  return <LoadingSpinner label={m.common.loading} layout="centered" />;
}

/** A data hook's state before it is ready: the spinner, or the error with its retry. */
export function NotReadyView({
  state,
  m,
  onRetry,
}: {
  state: Exclude<DataState<unknown>, { status: 'ready' }>;
  m: Messages;
  onRetry: () => void;
}) {
  return state.status === 'loading' ? (
    <LoadingView m={m} />
  ) : (
    <ErrorView error={state.error} m={m} onRetry={onRetry} />
  );
}

/** A card's empty state: a title, one line of explanation and the action that fills it. */
export function EmptyView({
  title,
  body,
  imageName,
  children,
}: {
  title: string;
  body: string;
  imageName: ComponentProps<typeof EmptyState>['imageName'];
  children: ReactNode;
}) {
  return (
    <EmptyState title={title} imageName={imageName}>
      <Text>{body}</Text>
      {children}
    </EmptyState>
  );
}

/** The error states every card shares; a lost authorisation cannot be retried away. */
export function ErrorView({
  error,
  m,
  onRetry,
}: {
  error: ApiError;
  m: Messages;
  onRetry: () => void;
}) {
  if (error.code === 'needs_reauth') {
    return (
      <ErrorState title={m.common.reauthTitle} type="lock">
        <Text>{m.common.reauthBody}</Text>
      </ErrorState>
    );
  }
  const [title, body] =
    error.code === 'unreachable' || error.code === 'unavailable'
      ? [m.common.unreachableTitle, m.common.unreachableBody]
      : error.code === 'not_found'
        ? [m.common.notFoundTitle, m.common.notFoundBody]
        : error.code === 'rate_limited'
          ? [m.common.rateLimitedTitle, m.common.rateLimitedBody]
          : [m.common.errorTitle, error.message];
  return (
    <ErrorState title={title}>
      <Text>{body}</Text>
      <Button onClick={onRetry}>{m.common.retry}</Button>
    </ErrorState>
  );
}

/** A save's error shown beside the form that caused it. */
/** What a card's editor of a draft (the SWOT, the plan) gets from the card around it. */
export interface DraftEditorProps<Draft> {
  draft: Draft;
  m: Messages;
  saving: boolean;
  error: ApiError | null;
  onChange: (draft: Draft) => void;
  /** Saves; `close` ends the editing once the save succeeded. */
  onSave: (close: () => void) => void;
  onCancel: () => void;
}

export function SaveErrorAlert({ error, m }: { error: ApiError; m: Messages }) {
  const title =
    error.code === 'needs_reauth'
      ? m.common.reauthTitle
      : error.code === 'unreachable' || error.code === 'unavailable'
        ? m.common.unreachableTitle
        : m.common.errorTitle;
  return (
    <Alert title={title} variant="error">
      {error.code === 'needs_reauth' ? m.common.reauthBody : error.message}
    </Alert>
  );
}

export function RecomputeProgressView({
  progress,
  m,
}: {
  progress: RecomputeProgress;
  m: Messages;
}) {
  switch (progress.phase) {
    case 'idle':
      return null;
    case 'running':
      return (
        <ProgressBar
          title={
            progress.status === null || progress.status.state === 'queued'
              ? m.recompute.queued
              : m.recompute.running(
                  progress.status.progress.companiesWritten,
                  progress.status.progress.companiesTotal,
                )
          }
          value={recomputePercent(progress.status)}
          maxValue={100}
          showPercentage
          aria-label={m.recompute.progressLabel}
        />
      );
    case 'done':
      return <Text>{m.recompute.done}</Text>;
    case 'failed':
      return (
        <Alert title={m.recompute.failed(progress.message)} variant="error">
          {progress.message}
        </Alert>
      );
  }
}

/** A recompute button, disabled while a recompute runs, with its progress below. */
export function RecomputeButton({
  label,
  testId,
  progress,
  m,
  onClick,
}: {
  label: string;
  testId: string;
  progress: RecomputeProgress;
  m: Messages;
  onClick: () => void;
}) {
  return (
    <Flex direction="column" gap="xs">
      <Button onClick={onClick} disabled={progress.phase === 'running'} testId={testId}>
        {label}
      </Button>
      <RecomputeProgressView progress={progress} m={m} />
    </Flex>
  );
}
