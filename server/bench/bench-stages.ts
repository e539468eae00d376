/** A stage that threw: its message stands in for its numbers in the report. */
export interface StageFailure {
  readonly error: string;
}

export type StageOutcome<T> = T | StageFailure;

export const stageFailed = <T extends object>(outcome: StageOutcome<T>): outcome is StageFailure =>
  'error' in outcome;

export interface StageRunner {
  /**
   * Runs one stage; writes its numbers, or its error, as soon as it ends.
   * A failure is returned, not thrown, so the stages after it still run.
   */
  run<T extends object>(name: string, work: () => Promise<T>): Promise<StageOutcome<T>>;
  /** How many stages failed so far. */
  readonly failures: number;
}

/**
 * The stages of a long benchmark run, each written as one line
 * (`stage <name>: <JSON>`) the moment it ends: a stage that fails late in a
 * ten-minute run loses nothing measured before it.
 */
export function createStageRunner(write: (line: string) => void): StageRunner {
  let failures = 0;
  return {
    async run(name, work) {
      try {
        const numbers = await work();
        write(`stage ${name}: ${JSON.stringify(numbers)}`);
        return numbers;
      } catch (error) {
        failures += 1;
        // The stack for whoever mends it; the message for the report.
        write(
          `stage ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        return { error: error instanceof Error ? error.message : String(error) };
      }
    },
    get failures() {
      return failures;
    },
  };
}
