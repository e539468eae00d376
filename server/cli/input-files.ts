import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { PortalInput, Settings } from '../../src/index.ts';
import { portalInputSchema, settingsSchema } from '../../src/index.ts';

/** Input the CLI cannot use at all: the message names the file, record and field. */
export class UnusableInputError extends Error {
  override readonly name = 'UnusableInputError';
}

type JsonValue = unknown;

async function readJson(file: string, what: string): Promise<JsonValue> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new UnusableInputError(`${file}: cannot read the ${what} file (${reason})`);
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new UnusableInputError(
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Names where an issue sits: `deals[12] (id 5000012).properties.amount`.
 * Records are named by their HubSpot id when they have one.
 */
export function describeIssuePath(path: readonly PropertyKey[], root: JsonValue): string {
  let node: JsonValue = root;
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') {
      text += `[${key}]`;
      node = Array.isArray(node) ? (node[key] as JsonValue) : undefined;
      const id = node !== null && typeof node === 'object' && 'id' in node ? node.id : undefined;
      if (typeof id === 'string' || typeof id === 'number') text += ` (id ${id})`;
    } else {
      text += text === '' ? String(key) : `.${String(key)}`;
      node =
        node !== null && typeof node === 'object'
          ? (node as Record<PropertyKey, JsonValue>)[key]
          : undefined;
    }
  }
  return text === '' ? '(top level)' : text;
}

/** The first few zod issues as lines that name file, record and field. */
export function describeIssues(file: string, error: z.ZodError, root: JsonValue, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const where = describeIssuePath(issue.path, root);
    return `${file}: ${where}: ${issue.message}`;
  });
  const more = error.issues.length - lines.length;
  return more > 0 ? `${lines.join('\n')}\n… and ${more} more` : lines.join('\n');
}

/** Reads `{companies, deals, tickets?, calls?}` in HubSpot's CRM v3 shape. */
export async function readPortalFile(file: string): Promise<PortalInput> {
  const raw = await readJson(file, 'portal');
  const parsed = portalInputSchema.safeParse(raw);
  if (!parsed.success) throw new UnusableInputError(describeIssues(file, parsed.error, raw));
  return parsed.data;
}

/** Reads a (partial) settings object; unknown keys and out-of-range values are errors. */
export async function readSettingsFile(file: string | undefined): Promise<Settings> {
  if (file === undefined) return settingsSchema.parse({});
  const raw = await readJson(file, 'settings');
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new UnusableInputError(describeIssues(file, parsed.error, raw));
  return parsed.data;
}

/** `--as-of`: an ISO 8601 instant; now when absent. */
export function parseAsOf(value: string | undefined, now: () => number): number {
  if (value === undefined) return now();
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new UnusableInputError(
      `--as-of: "${value}" is not an ISO 8601 instant (e.g. 2026-11-01T00:00:00Z)`,
    );
  }
  return ms;
}
