/**
 * The transport contract: the only way prov touches a machine. Everything above this line
 * (facts, modules, runner) builds shell commands and reads their output; it never imports
 * node-ssh or fs. Implementations: ssh.ts (node-ssh, one persistent connection per host),
 * local.ts (the controller itself), fake.ts (an in-memory machine for unit tests).
 */
import { ProvError } from './errors.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status of the command; 255 or a signal maps to a non-zero code. */
  code: number;
}

export interface ExecOptions {
  /** Bytes written to the command's standard input, then closed (a string as its UTF-8 bytes). */
  stdin?: string | Buffer;
  /** Working directory on the target. */
  cwd?: string;
}

export interface Transport {
  /** Inventory name of the host this transport talks to. */
  readonly host: string;
  /** Opens the connection (idempotent). Throws ProvError('unreachable', ...) when it cannot. */
  connect(): Promise<void>;
  /**
   * Runs one command through `sh -c` on the target, with privilege escalation applied if the
   * inventory asks for it. Never throws for a non-zero exit status; throws ProvError('unreachable')
   * if the connection is lost.
   */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

/**
 * Quotes a string for POSIX sh: the one quoting helper of prov. Every value that goes into a
 * command line or script sent to a shell (here or on a target) goes through it (or shellJoin),
 * so the shell sees it as one literal word. A NUL byte cannot be passed through a shell at all
 * (it would cut the word short), so it is refused. Same output as Python's shlex.quote (and so
 * Ansible's `quote` filter) up to the spelling of an embedded single quote.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new ProvError('failed', `a NUL byte cannot be passed to a shell: ${JSON.stringify(value.slice(0, 60))}`);
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line from argv: every word quoted with shellQuote. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
