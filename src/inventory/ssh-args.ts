/**
 * What prov takes from ansible_ssh_common_args / ansible_ssh_extra_args, split into words as a
 * shell would (src/core/shell-words.ts), common args first, as Ansible puts them on ssh's command
 * line:
 * - `-o ProxyJump=[user@]host[:port][,…]` and `-J …` (ssh:// URIs too, `none` for none): the
 *   connection is a channel forwarded by the jump host(s) (src/transport/bastion-pool.ts);
 * - `-o ProxyCommand=…` (`none` for none): the connection is that command's stdin/stdout, with
 *   %h, %p, %r, %n and %% expanded when it is run (src/transport/proxy-command.ts);
 * - `-o UserKnownHostsFile=…`: a known_hosts file to check besides ~/.ssh/known_hosts.
 * As in ssh, the first ProxyJump or ProxyCommand wins (they exclude each other). Options whose
 * effect prov already has or does not need (IGNORED_OPTIONS, IGNORED_FLAGS) are accepted and do
 * nothing; anything else is a load-time error naming the option, never silently ignored.
 */
import { ProvError } from '../core/errors.js';
import { ShellWordsError, splitShellWords } from '../core/shell-words.js';
import type { JumpHost, SshProxy } from './types.js';

export interface SshArgs {
  knownHostsFile?: string;
  /** undefined: no proxy option; null: `none` was given first. */
  proxy?: SshProxy | null;
}

/**
 * Options accepted and ignored, lower-cased: prov's transport already behaves as they ask, or
 * they tune only OpenSSH's own client (connection sharing, logging, keep-alives). Host keys are
 * always checked strictly (StrictHostKeyChecking does not loosen that; --trust-new-host-keys
 * does), and only the credentials of ansible_ssh_private_key_file, ssh-agent and ~/.ssh are
 * offered whatever IdentitiesOnly says.
 */
export const IGNORED_OPTIONS = [
  'addkeystoagent',
  'batchmode',
  'challengeresponseauthentication',
  'checkhostip',
  'compression',
  'connectionattempts',
  'connecttimeout',
  'controlmaster',
  'controlpath',
  'controlpersist',
  'globalknownhostsfile',
  'gssapiauthentication',
  'hashknownhosts',
  'identitiesonly',
  'kbdinteractiveauthentication',
  'loglevel',
  'passwordauthentication',
  'preferredauthentications',
  'pubkeyauthentication',
  'serveraliveinterval',
  'serveralivecountmax',
  'stricthostkeychecking',
  'tcpkeepalive',
  'updatehostkeys',
];

/** Options accepted only with the value `no` (prov never forwards an agent or X11). */
const ONLY_NO = ['forwardagent', 'forwardx11', 'forwardx11trusted'];

/** Where the setting of a refused option belongs. */
const USE_INSTEAD: Record<string, string> = {
  user: 'ansible_user',
  port: 'ansible_port',
  hostname: 'ansible_host',
  identityfile: 'ansible_ssh_private_key_file',
};

/** ssh flags without an argument that change nothing for prov (quiet, verbose, compression, tty, address family). */
export const IGNORED_FLAGS = ['-4', '-6', '-C', '-q', '-T', '-t', '-tt', '-v', '-vv', '-vvv', '-n', '-a', '-x'];
const FLAG_USE_INSTEAD: Record<string, string> = { '-l': 'ansible_user', '-p': 'ansible_port', '-i': 'ansible_ssh_private_key_file' };

export class SshArgsError extends Error {}

/** `Key=Value` or `Key Value` (ssh's own option syntax), the key lower-cased. */
function splitOption(option: string): [string, string] {
  const m = /^\s*([A-Za-z0-9]+)\s*(?:=\s*|\s+)(.*)$/s.exec(option);
  if (!m) throw new SshArgsError(`ssh option '-o ${option}' has no value`);
  return [m[1]!.toLowerCase(), m[2]!.trim()];
}

/** One ProxyJump hop: `[user@]host[:port]`, `[user@][v6addr][:port]`, or `ssh://[user@]host[:port]`. */
export function parseJumpHost(spec: string, defaultUser: string): JumpHost {
  const text = spec.startsWith('ssh://') ? spec.slice('ssh://'.length).replace(/\/$/, '') : spec;
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : defaultUser;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(rest);
  const port = m?.[3] === undefined ? 22 : Number(m[3]);
  if (!m || user === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SshArgsError(`ProxyJump '${spec}' is not [user@]host[:port]`);
  }
  return { user, address: (m[1] ?? m[2])!, port };
}

export function parseJumpSpec(spec: string, defaultUser: string): SshProxy | null {
  if (spec.toLowerCase() === 'none') return null;
  return { kind: 'jump', hops: spec.split(',').map((hop) => parseJumpHost(hop.trim(), defaultUser)) };
}

const PROXY_TOKENS = /%(.)/gs;

/** Checks a ProxyCommand's % tokens: %h %p %r %n %% only (ssh refuses unknown ones too). */
function checkProxyCommand(command: string): void {
  for (const m of command.matchAll(PROXY_TOKENS)) {
    if (!'hprn%'.includes(m[1]!)) throw new SshArgsError(`ProxyCommand token %${m[1]} is not supported (only %h, %p, %r, %n, %%)`);
  }
  if (/%$/.test(command.replace(/%%/g, ''))) throw new SshArgsError('ProxyCommand ends in a lone %');
}

/** Folds one argument string into `into` (first proxy wins, later UserKnownHostsFile wins as before). */
function parseInto(into: SshArgs, args: string, defaultUser: string): void {
  const words = splitShellWords(args);
  const setProxy = (proxy: SshProxy | null) => {
    if (into.proxy === undefined) into.proxy = proxy;
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const argOf = (flag: string): string => {
      if (word.length > flag.length) return word.slice(flag.length);
      const next = words[++i];
      if (next === undefined) throw new SshArgsError(`ssh option ${flag} needs a value`);
      return next;
    };
    if (word.startsWith('-o')) {
      const [key, value] = splitOption(argOf('-o'));
      if (key === 'proxyjump') setProxy(parseJumpSpec(value, defaultUser));
      else if (key === 'proxycommand') {
        if (value.toLowerCase() === 'none') setProxy(null);
        else {
          checkProxyCommand(value);
          setProxy({ kind: 'command', command: value });
        }
      } else if (key === 'userknownhostsfile') into.knownHostsFile = value.split(/\s+/)[0];
      else if (IGNORED_OPTIONS.includes(key)) continue;
      else if (ONLY_NO.includes(key) && value.toLowerCase() === 'no') continue;
      else if (USE_INSTEAD[key]) throw new SshArgsError(`ssh option ${key} is not read from ssh arguments; set ${USE_INSTEAD[key]}`);
      else
        throw new SshArgsError(
          `ssh option '${key}' is not supported by prov's SSH transport (supported: ProxyJump, ProxyCommand, UserKnownHostsFile; see docs/inventory.md)`,
        );
    } else if (word.startsWith('-J')) {
      setProxy(parseJumpSpec(argOf('-J'), defaultUser));
    } else if (IGNORED_FLAGS.includes(word)) {
    } else if (FLAG_USE_INSTEAD[word.slice(0, 2)]) {
      throw new SshArgsError(`ssh flag ${word.slice(0, 2)} is not read from ssh arguments; set ${FLAG_USE_INSTEAD[word.slice(0, 2)]}`);
    } else {
      throw new SshArgsError(`ssh argument '${word}' is not supported by prov's SSH transport (only -o options, -J and ${IGNORED_FLAGS.join(' ')})`);
    }
  }
}

/**
 * Parses a host's ssh argument variables, in ssh's order (ansible_ssh_common_args, then
 * ansible_ssh_extra_args). Errors are ProvError('parse') naming the host and the variable.
 */
export function parseSshArgs(vars: Record<string, unknown>, host: string, defaultUser: string): SshArgs {
  const into: SshArgs = {};
  for (const variable of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const args = vars[variable];
    if (args === undefined || args === null) continue;
    if (typeof args !== 'string') {
      throw new ProvError('parse', `host '${host}': ${variable} must be a string of ssh arguments, got ${JSON.stringify(args)}`);
    }
    try {
      parseInto(into, args, defaultUser);
    } catch (err) {
      if (err instanceof ShellWordsError) {
        throw new ProvError('parse', `host '${host}': ${variable} must be ssh arguments that split into words (${err.message}), got ${JSON.stringify(args)}`);
      }
      if (err instanceof SshArgsError) throw new ProvError('parse', `host '${host}': ${variable}: ${err.message}`);
      throw err;
    }
  }
  return into;
}
