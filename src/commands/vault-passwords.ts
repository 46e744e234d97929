/**
 * Where the vault passwords of a run come from, as ansible-playbook takes them:
 * `--vault-id [id@]FILE|prompt` and `--vault-password-file FILE` (both repeatable), else
 * ANSIBLE_VAULT_PASSWORD_FILE, else ansible.cfg `[defaults] vault_password_file`;
 * `--ask-vault-pass` prompts (only in a terminal). A password file is read whole and stripped of
 * surrounding whitespace; an executable file is run and its stdout (stripped of line ends) is the
 * password, as Ansible's script vault secrets are. The passwords go to the keyring
 * (src/core/vault/keyring.ts) and are themselves secret.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import type { AnsibleConfig } from '../config/ansible-config.js';
import { readBoundedFile } from '../core/bounded-read.js';
import { ProvError, readFailure } from '../core/errors.js';
import { markSecret } from '../core/secrets.js';
import { useVaultPasswords, type VaultPassword } from '../core/vault/keyring.js';
import { promptHidden } from './prompt-hidden.js';

export interface VaultFlags {
  vaultPasswordFile?: string[];
  vaultId?: string[];
  askVaultPass?: boolean;
}

const run = promisify(execFile);

async function fromFile(id: string, file: string, source: string): Promise<VaultPassword> {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (err) {
    throw new ProvError('options', `${source}: cannot read vault password file ${file}: ${readFailure(err)}`, { cause: err });
  }
  let password: Buffer;
  if (mode & 0o111) {
    try {
      const out = await run(file, [`--vault-id=${id}`], { encoding: 'buffer', timeout: 60_000, maxBuffer: 1024 * 1024 });
      password = Buffer.from(out.stdout.toString('latin1').replace(/^[\r\n]+|[\r\n]+$/g, ''), 'latin1');
    } catch (err) {
      const why = (err as { code?: unknown }).code ?? 'failed';
      throw new ProvError('options', `${source}: the vault password script ${file} failed (${String(why)})`, { cause: err });
    }
  } else {
    try {
      password = Buffer.from((await readBoundedFile(file, 64 * 1024)).toString('latin1').trim(), 'latin1');
    } catch (err) {
      throw new ProvError('options', `${source}: cannot read vault password file ${file}: ${readFailure(err)}`, { cause: err });
    }
  }
  if (password.length === 0) throw new ProvError('options', `${source}: Invalid vault password was provided from file (${file}): it is empty`);
  markSecret(password.toString('utf8'));
  return { id, password, source: `${source} ${file}` };
}

async function fromPrompt(id: string): Promise<VaultPassword> {
  if (!process.stdin.isTTY) {
    throw new ProvError('options', '--ask-vault-pass needs a terminal (stdin is not one): give --vault-password-file FILE instead');
  }
  const text = await promptHidden(id === 'default' ? 'Vault password: ' : `Vault password (${id}): `);
  if (!text) throw new ProvError('options', '--ask-vault-pass: the vault password is empty');
  markSecret(text);
  return { id, password: Buffer.from(text, 'utf8'), source: '--ask-vault-pass' };
}

/** Reads every configured vault password and hands them to the keyring (before anything is loaded). */
export async function loadVaultPasswords(flags: VaultFlags, config: AnsibleConfig): Promise<void> {
  const list: VaultPassword[] = [];
  for (const spec of flags.vaultId ?? []) {
    const at = spec.indexOf('@');
    const id = at > 0 ? spec.slice(0, at) : 'default';
    const source = at > 0 ? spec.slice(at + 1) : spec;
    list.push(source === 'prompt' ? await fromPrompt(id) : await fromFile(id, source, '--vault-id'));
  }
  for (const file of flags.vaultPasswordFile ?? []) list.push(await fromFile('default', file, '--vault-password-file'));
  if (flags.askVaultPass) list.push(await fromPrompt('default'));
  if (list.length === 0 && config.vaultPasswordFile) {
    const origin = config.origin.vaultPasswordFile ?? 'vault_password_file';
    list.push(await fromFile('default', config.vaultPasswordFile, origin));
  }
  useVaultPasswords(list);
}
