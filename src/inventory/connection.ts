/**
 * How to reach a host, from its merged variables, with Ansible's variable names and defaults:
 * ansible_host (else the inventory name), ansible_port (22), ansible_user (the controller's
 * user, as ssh does), ansible_ssh_private_key_file / ansible_private_key_file, ansible_become
 * and ansible_become_user (root), ansible_connection (ssh|paramiko|smart -> ssh, local), and a
 * known_hosts file from prov_known_hosts_file or `-o UserKnownHostsFile=...` in
 * ansible_ssh_common_args / ansible_ssh_extra_args, whose `-o StrictHostKeyChecking=accept-new`
 * also trusts (and records) a host key not yet known, as ssh does, and a ProxyJump / ProxyCommand
 * from them (ssh-args.ts). The older ansible_ssh_host/_port/_user
 * names are accepted too. Values may hold `{{ }}` templates; they are rendered first. Where a
 * host sets none of them, the configured remote_user, private_key_file, become and become_user
 * (ansible.cfg / ANSIBLE_*, src/config) apply, then the defaults above.
 */
import { homedir, userInfo } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ProvError } from '../core/errors.js';
import { renderValue } from '../template/render.js';
import { ansibleBoolean } from '../core/boolean.js';
import { parseSshArgs } from './ssh-args.js';
import { splitShellWords } from '../core/shell-words.js';
import type { Connection, Vars } from './types.js';

function bad(host: string, variable: string, expected: string, value: unknown): ProvError {
  return new ProvError('parse', `host '${host}': ${variable} must be ${expected}, got ${JSON.stringify(value)}`);
}

/** Ansible's boolean(): true/yes/on/1 (any case) and their opposites; anything else is an error here. */
export function parseBool(value: unknown, host: string, variable: string): boolean {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return false;
  const b = ansibleBoolean(value);
  if (b !== undefined) return b;
  throw bad(host, variable, 'a boolean (true/false, yes/no)', value);
}

function first(vars: Vars, names: string[]): [string, unknown] {
  for (const n of names) if (vars[n] !== undefined && vars[n] !== null) return [n, vars[n]];
  return [names[0]!, undefined];
}

function stringVar(vars: Vars, names: string[], host: string): string | undefined {
  const [name, value] = first(vars, names);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  throw bad(host, name, 'a non-empty string', value);
}

function portVar(vars: Vars, host: string): number {
  const [name, value] = first(vars, ['ansible_port', 'ansible_ssh_port']);
  if (value === undefined) return 22;
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
  throw bad(host, name, 'a port number (1-65535)', value);
}

function expandPath(p: string, baseDir: string): string {
  const home = p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
  return isAbsolute(home) ? home : resolve(baseDir, home);
}

/**
 * The first word of the last `-o NAME=...` (or `-oNAME ...`) in ssh arguments, as ssh reads an
 * option's value: a word in double quotes may hold spaces (`-o 'UserKnownHostsFile="/a b"'`).
 */
function sshOptionFromArgs(args: string, option: string): string | undefined {
  const words = splitShellWords(args);
  const pattern = new RegExp(`^\\s*${option}\\s*(?:=\\s*|\\s+)(?:"([^"]*)"|(\\S+))`, 'i');
  let found: string | undefined;
  for (let i = 0; i < words.length; i++) {
    let opt: string | undefined;
    if (words[i] === '-o') opt = words[++i];
    else if (words[i]!.startsWith('-o')) opt = words[i]!.slice(2);
    const m = opt ? pattern.exec(opt) : null;
    if (m) found = m[1] ?? m[2];
  }
  return found;
}

/** The value of `-o UserKnownHostsFile=...` (or `-oUserKnownHostsFile ...`) in ssh arguments. */
export function knownHostsFromSshArgs(args: string): string | undefined {
  return sshOptionFromArgs(args, 'UserKnownHostsFile');
}

/** Whether ssh arguments ask for trust on first use: `-o StrictHostKeyChecking=accept-new`. */
export function acceptNewFromSshArgs(args: string): boolean {
  return sshOptionFromArgs(args, 'StrictHostKeyChecking')?.toLowerCase() === 'accept-new';
}

/** Settings from ansible.cfg / ANSIBLE_* (src/config) used when the host's variables do not set them. */
export interface ConnectionDefaults {
  /** remote_user. */
  user?: string;
  /** private_key_file, already absolute. */
  privateKeyFile?: string;
  /** [privilege_escalation] become / become_user. */
  become?: boolean;
  becomeUser?: string;
}

export interface ConnectionOptions {
  /** Directory that relative key and known_hosts paths are relative to (default: vars.inventory_dir, else cwd). */
  baseDir?: string;
  /** Configured defaults; a host variable (ansible_user, ...) always wins over them, as in Ansible. */
  defaults?: ConnectionDefaults;
}

const CONNECTION_VARS = [
  'ansible_connection',
  'ansible_host',
  'ansible_ssh_host',
  'ansible_port',
  'ansible_ssh_port',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_remote_user',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_become',
  'ansible_become_user',
  'prov_known_hosts_file',
  'ansible_ssh_common_args',
  'ansible_ssh_extra_args',
  'inventory_dir',
];

/** Renders only the connection variables, so that an unrelated template (one needing facts) cannot fail here. */
function renderConnectionVars(rawVars: Vars, host: string): Vars {
  const vars: Vars = {};
  for (const k of CONNECTION_VARS) {
    if (rawVars[k] === undefined) continue;
    try {
      vars[k] = renderValue(rawVars[k], rawVars);
    } catch (err) {
      throw new ProvError('parse', `host '${host}': ${k}: ${(err as Error).message}`, { cause: err });
    }
  }
  return vars;
}

/** Password variables Ansible reads (with sshpass); prov authenticates with keys only. */
const PASSWORD_VARS = ['ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password', 'ansible_become_password', 'ansible_become_pass'];

export function connectionOf(rawVars: Vars, name: string, options: ConnectionOptions = {}): Connection {
  const password = PASSWORD_VARS.find((k) => rawVars[k] !== undefined && rawVars[k] !== null && rawVars[k] !== '');
  if (password) {
    // The value is a secret: it is never quoted.
    throw new ProvError(
      'parse',
      `host '${name}': ${password}: password authentication is not supported by prov; use a key (ansible_ssh_private_key_file or ssh-agent) and passwordless sudo`,
    );
  }
  const vars = renderConnectionVars(rawVars, name);
  const baseDir = options.baseDir ?? (typeof vars['inventory_dir'] === 'string' ? vars['inventory_dir'] : process.cwd());
  const [connName, connValue] = first(vars, ['ansible_connection']);
  let kind: Connection['kind'] = 'ssh';
  if (connValue !== undefined) {
    if (connValue === 'local') kind = 'local';
    else if (!['ssh', 'paramiko', 'smart'].includes(String(connValue))) throw bad(name, connName, "'ssh' or 'local'", connValue);
  }
  const address = stringVar(vars, ['ansible_host', 'ansible_ssh_host'], name) ?? name;
  const defaults = options.defaults ?? {};
  const user = stringVar(vars, ['ansible_user', 'ansible_ssh_user', 'ansible_remote_user'], name) ?? defaults.user ?? currentUser();
  const key = stringVar(vars, ['ansible_ssh_private_key_file', 'ansible_private_key_file'], name);
  const becomeUser = stringVar(vars, ['ansible_become_user'], name) ?? defaults.becomeUser ?? 'root';
  const sshArgs = parseSshArgs(vars, name, currentUser());
  let acceptNew = false;
  let knownHostsArg: string | undefined;
  for (const v of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const args = vars[v];
    if (typeof args !== 'string') continue;
    acceptNew = acceptNewFromSshArgs(args) || acceptNew;
    knownHostsArg = knownHostsFromSshArgs(args) ?? knownHostsArg;
  }
  const knownHosts = stringVar(vars, ['prov_known_hosts_file'], name) ?? knownHostsArg;
  const conn: Connection = {
    address,
    port: portVar(vars, name),
    user,
    become: vars['ansible_become'] === undefined ? (defaults.become ?? false) : parseBool(vars['ansible_become'], name, 'ansible_become'),
    becomeUser,
    kind,
  };
  if (key !== undefined) conn.privateKeyFile = expandPath(key, baseDir);
  else if (defaults.privateKeyFile !== undefined) conn.privateKeyFile = defaults.privateKeyFile;
  if (knownHosts !== undefined) conn.knownHostsFile = expandPath(knownHosts, baseDir);
  if (acceptNew) conn.trustNewHostKeys = true;
  if (sshArgs.proxy) conn.proxy = sshArgs.proxy;
  return conn;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? 'root';
  }
}
