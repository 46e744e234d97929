/**
 * Warnings for the user, as Ansible's `[WARNING]: ...` lines on stderr: about input prov accepts
 * but that is probably a mistake (a duplicate YAML key). The same warning is printed once per run,
 * as Ansible's Display does. Tests and embedders can redirect them with `captureWarnings`.
 */
export type WarningSink = (message: string) => void;

const printed = new Set<string>();

const stderrSink: WarningSink = (message) => {
  if (printed.has(message)) return;
  printed.add(message);
  process.stderr.write(`[WARNING]: ${message}\n`);
};

let sink: WarningSink = stderrSink;

/** Reports one warning (a single line). */
export function warn(message: string): void {
  sink(message.replace(/\s*\n\s*/g, ' '));
}

/** Runs `fn` with warnings collected instead of printed; returns its result and the warnings. */
export async function captureWarnings<T>(fn: () => T | Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const previous = sink;
  sink = (message) => warnings.push(message);
  try {
    return { result: await fn(), warnings };
  } finally {
    sink = previous;
  }
}
