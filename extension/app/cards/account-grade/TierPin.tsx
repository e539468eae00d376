import { Alert, Button, Flex, Select } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { ApiError, ApiResult } from '../lib/api-client.ts';
import { SaveErrorAlert } from '../lib/CardStates.tsx';
import type { Messages } from '../lib/i18n.ts';
import type { ManualInputs, PinnableTier, Scorecard } from '../lib/types.ts';

const PINNABLE: readonly PinnableTier[] = ['strategic', 'key', 'standard', 'transactional'];
const NOT_PINNED = 'none';

/**
 * Pins the tier by hand (`kam_tier_override`), or removes the pin. The
 * backend decides who may pin; the card only offers it.
 */
export function TierPin({
  current,
  m,
  onSave,
}: {
  current: PinnableTier | null;
  m: Messages;
  onSave: (inputs: Partial<ManualInputs>) => Promise<ApiResult<Scorecard>>;
}) {
  const [choice, setChoice] = useState<string>(current ?? NOT_PINNED);
  const [outcome, setOutcome] = useState<'idle' | 'saving' | 'saved' | ApiError>('idle');

  const save = async () => {
    setOutcome('saving');
    const tierOverride = PINNABLE.find((tier) => tier === choice) ?? null;
    const result = await onSave({ tierOverride });
    setOutcome(result.ok ? 'saved' : result.error);
  };

  return (
    <Flex direction="column" gap="xs">
      <Select
        name="tierOverride"
        label={m.grade.pinLabel}
        value={choice}
        options={[
          { label: m.grade.notPinned, value: NOT_PINNED },
          ...PINNABLE.map((tier) => ({ label: m.tier[tier], value: tier })),
        ]}
        onChange={(value) => {
          setChoice(String(value));
          setOutcome('idle');
        }}
      />
      <Button onClick={() => void save()} disabled={outcome === 'saving'} testId="pin-save">
        {outcome === 'saving' ? m.common.saving : m.grade.pinSave}
      </Button>
      {outcome === 'saved' ? <Alert title={m.grade.pinSaved} variant="success" /> : null}
      {typeof outcome === 'object' ? <SaveErrorAlert error={outcome} m={m} /> : null}
    </Flex>
  );
}
