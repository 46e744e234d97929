/**
 * One structured error class for everything prov reports to a user. It carries the exit code
 * the CLI should use (DESIGN.md section 2) and keeps the underlying cause for --verbose output.
 * Messages are single lines that name the file, host or task at fault.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  hostFailed: 2,
  hostUnreachable: 3,
  parseError: 4,
  badOptions: 5,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code of a run over hosts, as ansible-playbook decides it: a failed host wins over an
 * unreachable one, and a run that was stopped early (any_errors_fatal, max_fail_percentage)
 * is a failure even when no host counts as failed.
 */
export function hostsExitCode(o: { failed: boolean; unreachable: boolean; aborted?: boolean }): ExitCodeValue {
  if (o.failed || (o.aborted && !o.unreachable)) return ExitCode.hostFailed;
  if (o.unreachable) return ExitCode.hostUnreachable;
  return ExitCode.ok;
}

export type ProvErrorKind = 'parse' | 'options' | 'unreachable' | 'failed' | 'internal';

const exitCodeOf: Record<ProvErrorKind, ExitCodeValue> = {
  parse: ExitCode.parseError,
  options: ExitCode.badOptions,
  unreachable: ExitCode.hostUnreachable,
  failed: ExitCode.hostFailed,
  internal: ExitCode.error,
};

export class ProvError extends Error {
  readonly kind: ProvErrorKind;
  constructor(kind: ProvErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProvError';
    this.kind = kind;
  }
  get exitCode(): ExitCodeValue {
    return exitCodeOf[this.kind];
  }
}

/** A parse error in a user file: `file:line: message` (line when known). */
export function parseError(file: string, message: string, line?: number, cause?: unknown): ProvError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new ProvError('parse', `${where}: ${message}`, { cause });
}

/** The one-line text of any thrown value, without a stack trace. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? String(err);
  return String(err).split('\n')[0] ?? '';
}

/**
 * A short quotation of a value for a one-line error message: at most `max` characters,
 * JSON-quoted (newlines and control characters escaped), `…` when cut. An error quotes an
 * excerpt of what it complains about, never a whole file.
 */
export function excerpt(value: string, max = 80): string {
  return value.length > max ? `${JSON.stringify(value.slice(0, max))}…` : JSON.stringify(value);
}

/** Why a file could not be read, in words: "no such file", "is a directory", "permission denied", "a symlink loop", too large. */
export function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'a symlink loop';
  if (code === 'EFBIG') return `larger than ${Math.floor(((err as { limit?: number }).limit ?? 0) / 1048576)} MiB (or endless, like /dev/zero): refused`;
  return String(code ?? err);
}
