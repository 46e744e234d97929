/**
 * The one place that decides how prov exits. Every command (`prov …`, `prov lab …`, `prov chaos`)
 * runs through `action()`: a command returns an exit code from `ExitCode` (its result), a
 * thrown `ProvError` becomes one line on stderr and the exit code of its kind, anything else is
 * an internal error (exit 1) with the stack only under PROV_DEBUG.
 */
import { CommanderError, type Command } from 'commander';
import { ExitCode, ProvError, errorMessage } from '../core/errors.js';

/** Writes the one-line report of a thrown value and returns its exit code. */
export function reportError(err: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.ok : ExitCode.badOptions;
  if (err instanceof ProvError) {
    write(`ERROR! ${err.message}\n`);
    if (process.env.PROV_DEBUG && err.cause) write(`${String((err.cause as Error).stack ?? err.cause)}\n`);
    return err.exitCode;
  }
  write(`ERROR! internal error: ${errorMessage(err)} (set PROV_DEBUG=1 for details)\n`);
  if (process.env.PROV_DEBUG) write(`${(err as Error)?.stack ?? ''}\n`);
  return ExitCode.error;
}

/** Wraps a command's body: its returned code (none = ok) or its error sets the process's exit code. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = (await fn(...args)) ?? ExitCode.ok;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  };
}

/** Parses argv with a commander program; parse errors (commander's own message) exit 5. */
export async function runProgram(program: Command, argv: string[]): Promise<void> {
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) override(sub);
  };
  override(program);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}
