import { writeFile } from 'node:fs/promises';
import { generatePortal } from '../synthetic/generate-portal.ts';
import { parseAsOf, UnusableInputError } from './input-files.ts';
import type { CommandIo } from './score-command.ts';

export interface GenerateOptions {
  readonly companies: number;
  readonly deals: number;
  readonly seed: number;
  readonly asOf?: string;
  readonly output: string;
}

/** `kam generate`: writes a synthetic portal in HubSpot's CRM v3 shape. */
export async function runGenerate(options: GenerateOptions, io: CommandIo): Promise<number> {
  try {
    const asOf = new Date(parseAsOf(options.asOf, io.now)).toISOString();
    const portal = generatePortal({ ...options, asOf });
    await writeFile(options.output, `${JSON.stringify(portal, null, 1)}\n`);
    io.stdout.write(
      `wrote ${options.output}: ${portal.companies.length} companies, ${portal.deals.length} deals, ${portal.tickets?.length ?? 0} tickets as of ${asOf}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof UnusableInputError)) throw error;
    io.stderr.write(`kam generate: ${error.message}\n`);
    return 2;
  }
}
