/**
 * sh snippets that carry out file actions atomically: a write goes to a temporary file in the
 * destination's directory (so rename is atomic), takes the old file's mode and owner (or the ones
 * given), passes `validate`, is backed up if asked, and only then replaces the live file.
 * Contents come on stdin, one after another; `head -c N` (GNU coreutils) reads exactly N bytes.
 */
import { toBytes } from '../core/file-bytes.js';
import type { Action } from '../core/contract.js';
import { splitShellWords } from '../core/shell-words.js';
import { shellQuote } from '../core/transport.js';
import { quotePath } from './remote-path.js';
import { remoteDirname } from '../core/remote-path.js';

export type FileAction = Exclude<Action, { kind: 'exec' }>;

/** Prints the message on stderr and stops the script. */
export const FAIL_FUNCTION = `__fail() { printf '%s\\n' "$*" >&2; exit 1; }`;

/** chmod/chown/chgrp lines; `cleanup` runs before failing (removes a temporary file). */
function attrs(target: string, a: { mode?: string; owner?: string; group?: string }, what: string, cleanup = ''): string[] {
  const fail = (msg: string) => `|| { ${cleanup}__fail ${shellQuote(`${what}: ${msg}`)}; }`;
  const out: string[] = [];
  if (a.mode !== undefined) out.push(`chmod -- ${shellQuote(a.mode)} ${target} ${fail(`chmod ${a.mode} failed`)}`);
  if (a.owner !== undefined) out.push(`chown -- ${shellQuote(a.owner)} ${target} ${fail(`chown ${a.owner} failed`)}`);
  if (a.group !== undefined) out.push(`chgrp -- ${shellQuote(a.group)} ${target} ${fail(`chgrp ${a.group} failed`)}`);
  return out;
}

/**
 * The validate command as Ansible runs it (no shell): split into words, each quoted, with every
 * `%s` standing for the candidate file ("$__t"), which is appended when there is none.
 */
export function validateCommandLine(validate: string): string {
  const TMP = '"$__t"';
  const words = splitShellWords(validate).map((word) =>
    word === ''
      ? "''"
      : word
          .split('%s')
          .map((part) => (part === '' ? '' : shellQuote(part)))
          .join(TMP),
  );
  return validate.includes('%s') ? words.join(' ') : [...words, TMP].join(' ');
}

/** A timestamp like Ansible's backup suffix: path.2024-01-31@12:00:00~ is Ansible's; ours is sortable and shell-safe. */
export function backupSuffix(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}@${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}~`;
}

/**
 * The temporary file of a write is `.prov.<name>.XXXXXXXX` beside the destination (so the rename
 * is atomic), <name> being the file's name with anything but [A-Za-z0-9._-] as `_` (at most 100
 * bytes, within NAME_MAX); `strays` is the shell glob of exactly those temporaries, for the
 * cleanup. Two names that map to the same <name> only share the cleanup of each other's strays.
 */
export function temporaryPrefix(path: string): { prefix: string; strays: string } {
  const dir = remoteDirname(path).replace(/\/$/, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  const name = base.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  const prefix = `${dir}/.prov.${name}.`;
  return { prefix, strays: `${shellQuote(prefix)}${'[A-Za-z0-9]'.repeat(8)}` };
}

export interface FileScript {
  script: string;
  /** The contents of every write, one after another, as bytes. */
  stdin: Buffer;
}

/**
 * `readContent` reads one write's bytes from stdin: by default exactly its length, so that several
 * writes share one stdin; first-boot user-data gives each write its own stdin and reads it whole.
 */
export function buildFileScript(actions: FileAction[], now = new Date(), readContent = (bytes: number) => `head -c ${bytes}`): FileScript {
  const lines: string[] = [FAIL_FUNCTION];
  const contents: Buffer[] = [];
  for (const action of actions) {
    const p = quotePath(action.path);
    switch (action.kind) {
      case 'write': {
        const content = toBytes(action.content);
        const bytes = content.length;
        contents.push(content);
        const temp = temporaryPrefix(action.path);
        lines.push(
          // A run that died between the temporary file and the rename (power off, SIGKILL) left
          // its temporary: the next write of the same file removes it.
          `rm -f -- ${temp.strays}`,
          `__t=$(mktemp -- ${shellQuote(`${temp.prefix}XXXXXXXX`)}) || __fail ${shellQuote(`${action.path}: cannot create a temporary file in ${remoteDirname(action.path)}`)}`,
          // A signal that can be caught (a closed session's SIGHUP/SIGPIPE, SIGTERM) removes it at once.
          `trap 'rm -f "$__t"; exit 129' HUP INT PIPE TERM`,
          `${readContent(bytes)} > "$__t" || { rm -f "$__t"; __fail ${shellQuote(`${action.path}: writing the temporary file failed`)}; }`,
          // All the bytes or nothing: a stdin cut short (a connection lost while it streamed)
          // must not be renamed into place; and on disk before the rename, so that a power loss
          // leaves the old file or the new one, never an empty one.
          `[ "$(wc -c < "$__t")" -eq ${bytes} ] || { rm -f "$__t"; __fail ${shellQuote(`${action.path}: the content arrived incomplete`)}; }`,
          `sync -- "$__t" || { rm -f "$__t"; __fail ${shellQuote(`${action.path}: cannot flush the temporary file to disk`)}; }`,
          // Keep the live file's mode and owner; a new file gets the umask's default like any other.
          `if [ -e ${p} ]; then chmod --reference=${p} "$__t" && chown --reference=${p} "$__t" || { rm -f "$__t"; __fail ${shellQuote(`${action.path}: cannot copy mode/owner to the temporary file`)}; }; ` +
            `else chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$__t"; fi`,
          ...attrs('"$__t"', action, action.path, 'rm -f "$__t"; '),
        );
        if (action.validate !== undefined) {
          const command = validateCommandLine(action.validate);
          // The validator's output (stdout and stderr) joined into the one-line error.
          lines.push(
            `if ! __v=$( ${command} 2>&1 ); then rm -f "$__t"; __fail ${shellQuote(`${action.path}: validate '${action.validate}' failed:`)} "$(printf '%s' "$__v" | tr '\\n' ' ')"; fi`,
          );
        }
        if (action.backup) {
          lines.push(
            `if [ -e ${p} ]; then cp -p -- ${p} ${shellQuote(`${action.path}.${backupSuffix(now)}`)} || { rm -f "$__t"; __fail ${shellQuote(`${action.path}: backup failed`)}; }; fi`,
          );
        }
        lines.push(`mv -f -- "$__t" ${p} || { rm -f "$__t"; __fail ${shellQuote(`${action.path}: rename into place failed`)}; }`, 'trap - HUP INT PIPE TERM');
        break;
      }
      case 'mkdir':
        lines.push(`mkdir -p -- ${p} || __fail ${shellQuote(`${action.path}: mkdir failed`)}`, ...attrs(p, action, action.path));
        break;
      case 'attrs':
        lines.push(...attrs(p, action, action.path));
        break;
      case 'remove':
        lines.push(`rm -rf -- ${p} || __fail ${shellQuote(`${action.path}: remove failed`)}`);
        break;
    }
  }
  return { script: lines.join('\n'), stdin: Buffer.concat(contents) };
}
