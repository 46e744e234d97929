/**
 * The exact command line a transport sends: `sh -c <command>` (so every target runs the same
 * shell whatever the login shell is), after `cd <cwd>` when asked, and under
 * `sudo -n -H -u <user> --` when the inventory asks for become and the login user differs.
 * `-n` makes sudo fail at once instead of waiting for a password prompt nobody can answer.
 */
import { ProvError } from '../core/errors.js';
import { shellQuote } from '../core/transport.js';

export interface RemoteCommandOptions {
  cwd?: string;
  /** User to become, or null/undefined to run as the login user. */
  becomeUser?: string | null;
}

export function remoteCommand(command: string, options: RemoteCommandOptions = {}): string {
  const script = options.cwd ? `cd -- ${shellQuote(options.cwd)} && ${command}` : command;
  const shell = `sh -c ${shellQuote(script)}`;
  if (!options.becomeUser) return shell;
  return `sudo -n -H -u ${shellQuote(options.becomeUser)} -- ${shell}`;
}

/** The user to become for a connection, or null when no escalation is needed. */
export function becomeUserFor(conn: { user: string; become: boolean; becomeUser: string }): string | null {
  if (!conn.become) return null;
  return conn.user === conn.becomeUser ? null : conn.becomeUser;
}

/**
 * A NUL byte cannot be passed to a program: sshd would cut the command at it and sh drops it,
 * so another command (another path) would run. It is refused before anything is sent.
 */
export function refuseNulInCommand(host: string, command: string, cwd?: string): void {
  if (command.includes('\0') || cwd?.includes('\0')) throw new ProvError('failed', `${host}: a command or path contains a NUL byte; refused`);
}
