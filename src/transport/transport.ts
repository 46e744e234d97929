/**
 * The transport contract: the only way prov touches a machine. Everything above this line
 * (facts, modules, runner) builds shell commands and reads their output; it never imports
 * node-ssh or fs. Implementations: ssh.ts (node-ssh, one persistent connection per host),
 * local.ts (the controller itself), fake.ts (an in-memory machine for unit tests).
 */
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

/** Quotes a string for POSIX sh. */
export function shellQuote(value: string): string {
  if (value !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
