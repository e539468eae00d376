import { readFile, rename, writeFile } from 'node:fs/promises';
import type { SerialisedOAuth } from './oauth.ts';
import type { SerialisedPortal } from './portal.ts';

/** The state file: every portal and the OAuth registry, versioned for later changes. */
export interface SandboxState {
  readonly version: 1;
  readonly savedAt: string;
  readonly portals: readonly SerialisedPortal[];
  readonly oauth: SerialisedOAuth;
}

/** Writes the state atomically (temp file + rename) so a crash never leaves half a file. */
export async function saveState(file: string, state: SandboxState): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(state));
  await rename(temporary, file);
}

function isSandboxState(value: unknown): value is SandboxState {
  return (
    typeof value === 'object' &&
    value !== null &&
    'version' in value &&
    value.version === 1 &&
    'portals' in value &&
    Array.isArray(value.portals) &&
    'oauth' in value
  );
}

/** Reads a state file; `undefined` when there is none yet. */
export async function loadState(file: string): Promise<SandboxState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed: unknown = JSON.parse(text);
  if (!isSandboxState(parsed)) throw new Error(`${file} is not a sandbox state file (version 1).`);
  return parsed;
}
