/**
 * The Ansible configuration prov honours, found and typed as ansible-core 2.14 does
 * (lib/ansible/config/manager.py, config/base.yml):
 *   - the file: the first that exists and is readable of $ANSIBLE_CONFIG (a directory means
 *     its ansible.cfg), ./ansible.cfg (skipped, with a warning, when the working directory is
 *     world-writable), ~/.ansible.cfg, /etc/ansible/ansible.cfg. One file only, never merged.
 *   - each setting: an ANSIBLE_* environment variable (an empty one counts as unset) beats the
 *     file; a command-line flag beats both (the commands apply that).
 *   - paths are expanded (~, $VAR) and, when relative, taken relative to the config file's
 *     directory (from the file) or the working directory (from the environment).
 * Every other key of ansible.cfg is ignored (Ansible has hundreds); a value prov cannot use for
 * a key it reads is an error naming the file (or variable) and the key. Ansible's own reading is
 * looser for booleans (anything not true-like is false): prov refuses what is neither.
 */
import { isUtf8 } from 'node:buffer';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { readBoundedFileSync } from '../core/bounded-read.js';
import { parseError, ProvError, readFailure } from '../core/errors.js';
import { ansibleBoolean } from '../core/boolean.js';
import { warn } from '../core/warnings.js';
import { iniGet, parseConfigIni, type IniFile } from './ini-parser.js';

/** Where prov looks: injectable so tests never read the real home directory or /etc. */
export interface ConfigEnvironment {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
  /** Default /etc/ansible/ansible.cfg. */
  systemConfig?: string;
}

export interface AnsibleConfig {
  /** The ansible.cfg read, if any. */
  file?: string;
  inventory?: string[];
  rolesPath?: string[];
  forks?: number;
  remoteUser?: string;
  privateKeyFile?: string;
  hostKeyChecking?: boolean;
  timeout?: number;
  become?: boolean;
  becomeUser?: string;
  /** ANSIBLE_VAULT_PASSWORD_FILE / [defaults] vault_password_file. */
  vaultPasswordFile?: string;
  /** Where each setting came from ("ANSIBLE_FORKS", "/path/ansible.cfg [defaults] forks"), for messages. */
  origin: Partial<Record<SettingName, string>>;
}

type SettingName =
  | 'inventory'
  | 'rolesPath'
  | 'forks'
  | 'remoteUser'
  | 'privateKeyFile'
  | 'hostKeyChecking'
  | 'timeout'
  | 'become'
  | 'becomeUser'
  | 'vaultPasswordFile';
type Kind = 'pathlist' | 'pathspec' | 'path' | 'integer' | 'boolean' | 'string';

const SETTINGS: Array<{ name: SettingName; section: string; key: string; env: string; kind: Kind }> = [
  { name: 'inventory', section: 'defaults', key: 'inventory', env: 'ANSIBLE_INVENTORY', kind: 'pathlist' },
  { name: 'rolesPath', section: 'defaults', key: 'roles_path', env: 'ANSIBLE_ROLES_PATH', kind: 'pathspec' },
  { name: 'forks', section: 'defaults', key: 'forks', env: 'ANSIBLE_FORKS', kind: 'integer' },
  { name: 'remoteUser', section: 'defaults', key: 'remote_user', env: 'ANSIBLE_REMOTE_USER', kind: 'string' },
  { name: 'privateKeyFile', section: 'defaults', key: 'private_key_file', env: 'ANSIBLE_PRIVATE_KEY_FILE', kind: 'path' },
  { name: 'hostKeyChecking', section: 'defaults', key: 'host_key_checking', env: 'ANSIBLE_HOST_KEY_CHECKING', kind: 'boolean' },
  { name: 'timeout', section: 'defaults', key: 'timeout', env: 'ANSIBLE_TIMEOUT', kind: 'integer' },
  { name: 'become', section: 'privilege_escalation', key: 'become', env: 'ANSIBLE_BECOME', kind: 'boolean' },
  { name: 'becomeUser', section: 'privilege_escalation', key: 'become_user', env: 'ANSIBLE_BECOME_USER', kind: 'string' },
  { name: 'vaultPasswordFile', section: 'defaults', key: 'vault_password_file', env: 'ANSIBLE_VAULT_PASSWORD_FILE', kind: 'path' },
];

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return existsSync(path);
  } catch {
    return false;
  }
}

function expandUser(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? home + path.slice(1) : path;
}

/** Ansible's find_ini_config_file: the first config file that exists, or undefined. */
export function findConfigFile(where: ConfigEnvironment): string | undefined {
  const candidates: string[] = [];
  const fromEnv = where.env['ANSIBLE_CONFIG'];
  let envPath: string | undefined;
  if (fromEnv !== undefined) {
    envPath = resolve(where.cwd, expandUser(fromEnv, where.home));
    try {
      if (statSync(envPath).isDirectory()) envPath = join(envPath, 'ansible.cfg');
    } catch {
      // not there: the next candidate is tried
    }
    candidates.push(envPath);
  }
  let publicCwdConfig: string | undefined;
  try {
    const cwdConfig = join(where.cwd, 'ansible.cfg');
    if (statSync(where.cwd).mode & 0o002) {
      if (existsSync(cwdConfig)) publicCwdConfig = cwdConfig;
    } else candidates.push(cwdConfig);
  } catch {
    // an inaccessible working directory is no config source
  }
  candidates.push(join(where.home, '.ansible.cfg'), where.systemConfig ?? '/etc/ansible/ansible.cfg');
  const found = candidates.find(readable);
  if (publicCwdConfig && found !== envPath) {
    warn(`prov is being run in a world writable directory (${where.cwd}), ignoring it as an ansible.cfg source (as Ansible does).`);
  }
  return found;
}

function expandVars(value: string, env: NodeJS.ProcessEnv): string {
  // os.path.expandvars: $NAME and ${NAME} of set variables; others stay as written.
  return value.replace(/\$(\w+)|\$\{([^}]*)\}/g, (all, a: string | undefined, b: string | undefined) => env[(a ?? b)!] ?? all);
}

function typed(raw: string, kind: Kind, where: string, baseDir: string, ctx: ConfigEnvironment): unknown {
  const path = (p: string): string => {
    const expanded = expandUser(expandVars(p.replace('{{CWD}}', ctx.cwd), ctx.env), ctx.home);
    return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
  };
  switch (kind) {
    case 'integer': {
      const t = raw.trim();
      if (!/^[+-]?\d+(?:_\d+)*$/.test(t)) throw new ProvError('parse', `${where} must be an integer, got ${JSON.stringify(raw)}`);
      return Number(t.replace(/_/g, ''));
    }
    case 'boolean': {
      const b = ansibleBoolean(raw);
      if (b === undefined) throw new ProvError('parse', `${where} must be a boolean (true/false, yes/no, on/off, 1/0), got ${JSON.stringify(raw)}`);
      return b;
    }
    case 'string': {
      const m = /^(['"])(.*)\1$/s.exec(raw);
      return m ? m[2] : raw;
    }
    case 'path':
      return path(raw);
    case 'pathlist':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(path);
    case 'pathspec':
      return raw.split(':').filter(Boolean).map(path);
  }
}

/** The 1-based line of the first NUL or invalid UTF-8 byte ('\n' never occurs inside a UTF-8 sequence). */
function firstBinaryLine(bytes: Buffer): number {
  let start = 0;
  for (let line = 1; ; line++) {
    const end = bytes.indexOf(10, start);
    const piece = bytes.subarray(start, end < 0 ? bytes.length : end);
    if (end < 0 || piece.includes(0) || !isUtf8(piece)) return line;
    start = end + 1;
  }
}

function readConfigFile(file: string): IniFile {
  const ext = extname(file);
  if (ext !== '.cfg' && ext !== '.ini') {
    throw new ProvError('parse', `${file}: unsupported configuration file extension '${ext}' (Ansible reads .cfg and .ini config files)`);
  }
  let bytes: Buffer;
  try {
    bytes = readBoundedFileSync(file);
  } catch (err) {
    throw new ProvError('parse', `${file}: cannot read config file: ${readFailure(err)}`, { cause: err });
  }
  if (!isUtf8(bytes) || bytes.includes(0)) {
    throw parseError(file, 'not a text file (not UTF-8, or a NUL byte): Ansible reads ansible.cfg as UTF-8 INI text', firstBinaryLine(bytes));
  }
  const text = bytes.toString('utf8');
  return parseConfigIni(file, text);
}

/** Reads the Ansible configuration: the settings prov honours, from the environment and ansible.cfg. */
export function loadAnsibleConfig(where: ConfigEnvironment = defaultEnvironment()): AnsibleConfig {
  const file = findConfigFile(where);
  const ini = file ? readConfigFile(file) : undefined;
  const config: AnsibleConfig = { origin: {} };
  if (file) config.file = file;
  for (const s of SETTINGS) {
    const fromEnv = where.env[s.env];
    let value: unknown;
    if (fromEnv !== undefined && fromEnv !== '') {
      value = typed(fromEnv, s.kind, `environment variable ${s.env}`, where.cwd, where);
      config.origin[s.name] = s.env;
    } else if (ini) {
      const raw = iniGet(ini, s.section, s.key);
      if (raw === undefined) continue;
      const line = ini.lines.get(`${s.section}.${s.key}`) ?? ini.lines.get(`DEFAULT.${s.key}`);
      try {
        value = typed(raw, s.kind, `[${s.section}] ${s.key}`, dirname(ini.file), where);
      } catch (err) {
        throw parseError(ini.file, (err as Error).message, line);
      }
      config.origin[s.name] = `${ini.file} [${s.section}] ${s.key}`;
    } else continue;
    if ((s.name === 'forks' || s.name === 'timeout') && (value as number) < 1) {
      throw new ProvError('parse', `${config.origin[s.name]} must be a positive integer, got ${value}`);
    }
    (config as unknown as Record<string, unknown>)[s.name] = value;
  }
  return config;
}

export function defaultEnvironment(): ConfigEnvironment {
  return { env: process.env, cwd: process.cwd(), home: process.env['HOME'] ?? '' };
}
