import {
  Alert,
  Button,
  ButtonRow,
  Flex,
  Heading,
  List,
  LoadingButton,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { ApiError } from '../lib/api-client.ts';
import { SaveErrorAlert } from '../lib/CardStates.tsx';
import type { Messages } from '../lib/i18n.ts';

/** Where the settings page is in removing the portal's data; `removed` ends the page. */
export type Removal =
  | { phase: 'idle' }
  | { phase: 'confirming' }
  | { phase: 'removing' }
  | { phase: 'failed'; error: ApiError }
  | { phase: 'removed' };

/**
 * The danger zone at the foot of the settings page: what removal does and
 * keeps, then a second, explicit confirmation before anything is sent,
 * because the backend's DELETE cannot be undone.
 */
export function RemoveDataSection({
  removal,
  disabled,
  m,
  onStart,
  onConfirm,
  onCancel,
}: {
  removal: Exclude<Removal, { phase: 'removed' }>;
  /** Another request of the page is under way. */
  disabled: boolean;
  m: Messages;
  onStart: () => void;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const asking = removal.phase === 'confirming' || removal.phase === 'removing';
  const removing = removal.phase === 'removing';
  return (
    <Tile testId="remove-data-section">
      <Flex direction="column" gap="sm">
        <Heading>{m.removal.title}</Heading>
        <Text>{m.removal.intro}</Text>
        <List variant="unordered-styled">
          <Text>{m.removal.revokesAccess}</Text>
          <Text>{m.removal.stopsRecompute}</Text>
          <Text>{m.removal.deletesStored}</Text>
        </List>
        <Text>{m.removal.keepsProperties}</Text>
        <Text>{m.removal.uninstallHint}</Text>
        {asking ? (
          <>
            <Alert title={m.removal.confirmTitle} variant="danger">
              {m.removal.confirmBody}
            </Alert>
            <ButtonRow>
              <LoadingButton
                variant="destructive"
                loading={removing}
                disabled={removing}
                onClick={onConfirm}
                testId="remove-data-confirm"
              >
                {m.removal.confirm}
              </LoadingButton>
              <Button onClick={onCancel} disabled={removing} testId="remove-data-cancel">
                {m.common.cancel}
              </Button>
            </ButtonRow>
          </>
        ) : (
          <Button
            variant="destructive"
            onClick={onStart}
            disabled={disabled}
            testId="remove-data-start"
          >
            {m.removal.remove}
          </Button>
        )}
        {removal.phase === 'failed' ? <SaveErrorAlert error={removal.error} m={m} /> : null}
      </Flex>
    </Tile>
  );
}

/**
 * What the settings page shows once the backend holds nothing for the portal:
 * just after a removal, or when it answers `not_found` (removed earlier, or an
 * installation that never finished). Nothing is left to edit.
 */
export function NoPortalDataView({ justRemoved, m }: { justRemoved: boolean; m: Messages }) {
  return (
    <Flex direction="column" gap="md">
      <Heading>{m.settings.title}</Heading>
      {justRemoved ? (
        <Alert title={m.removal.removedTitle} variant="success">
          {m.removal.removedBody}
        </Alert>
      ) : (
        <Alert title={m.removal.notInstalledTitle} variant="info">
          {m.removal.notInstalledBody}
        </Alert>
      )}
      <Text>{m.removal.uninstallHint}</Text>
    </Flex>
  );
}
