import { scorePortal } from '../../src/index.ts';
import { parseAsOf, readPortalFile, readSettingsFile, UnusableInputError } from './input-files.ts';
import { renderCsv } from './render-csv.ts';
import { renderTable } from './render-table.ts';
import { terminalText } from './terminal-text.ts';

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
    // The message quotes keys and ids from the input file: printed as text only.
    const lines = error.message.split('\n').map(terminalText);
    io.stderr.write(`kam score: ${lines.join('\n')}\n`);
    return 2;
  }
}
