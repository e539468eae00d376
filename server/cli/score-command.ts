import { scorePortal } from '../../src/index.ts';
import { parseAsOf, readPortalFile, readSettingsFile, UnusableInputError } from './input-files.ts';
import { renderCsv } from './render-csv.ts';
import { renderTable } from './render-table.ts';

export interface ScoreOptions {
  readonly input: string;
  readonly asOf?: string;
  readonly settings?: string;
  readonly format: 'table' | 'json' | 'csv';
  readonly top?: number;
}

export interface CommandIo {
  readonly stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly now: () => number;
}

/** `kam score`: reads, scores, prints. Returns the exit code (2 for unusable input). */
export async function runScore(options: ScoreOptions, io: CommandIo): Promise<number> {
  try {
    const settings = await readSettingsFile(options.settings);
    const portal = await readPortalFile(options.input);
    const asOfMs = parseAsOf(options.asOf, io.now);
    const result = scorePortal(portal, settings, asOfMs);
    const output =
      options.format === 'json'
        ? `${JSON.stringify({ asOf: result.asOf, settings, portfolio: result.portfolio, companies: result.companies }, null, 2)}\n`
        : options.format === 'csv'
          ? renderCsv(result)
          : renderTable(result, settings, {
              stream: io.stdout,
              ...(options.top === undefined ? {} : { top: options.top }),
            });
    io.stdout.write(output);
    return 0;
  } catch (error) {
    if (!(error instanceof UnusableInputError)) throw error;
    io.stderr.write(`kam score: ${error.message}\n`);
    return 2;
  }
}
