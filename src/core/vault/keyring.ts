/**
 * The vault passwords of a run (from --vault-password-file, --vault-id, ANSIBLE_VAULT_PASSWORD_FILE,
 * ansible.cfg vault_password_file or --ask-vault-pass; read by src/commands/vault-passwords.ts) and
 * the one decryption step every loader uses. A payload with a vault id tries the password with
 * that id first, then the others, as Ansible does by default. Every decrypted value is marked
 * secret (src/core/secrets.ts).
 */
import { markSecret } from '../secrets.js';
import { decryptVault } from './aes256.js';
import { parseVaultEnvelope, VaultFormatError } from './envelope.js';

export interface VaultPassword {
  /** The vault id ("default" when none was given). */
  id: string;
  password: Buffer;
  /** Where it came from, for messages ("--vault-password-file pw.txt"). */
  source: string;
}

/** A vault payload that cannot be opened; the loader adds the file and line (from `payload`). */
export class VaultError extends Error {
  constructor(
    message: string,
    readonly payload: string,
  ) {
    super(message);
  }
}

let passwords: VaultPassword[] = [];

export function useVaultPasswords(list: VaultPassword[]): void {
  passwords = list;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The plaintext of a vault payload (text form); throws VaultError with Ansible's wording. */
export function decryptVaultText(text: string): string {
  let envelope: ReturnType<typeof parseVaultEnvelope>;
  try {
    envelope = parseVaultEnvelope(text);
  } catch (err) {
    if (err instanceof VaultFormatError) throw new VaultError(err.message, text);
    throw err;
  }
  if (passwords.length === 0) {
    throw new VaultError(
      'Attempting to decrypt but no vault secrets found: give --vault-password-file FILE (or --ask-vault-pass in a terminal, ANSIBLE_VAULT_PASSWORD_FILE, or vault_password_file in ansible.cfg)',
      text,
    );
  }
  const order = [...passwords.filter((p) => p.id === envelope.vaultId), ...passwords.filter((p) => p.id !== envelope.vaultId)];
  for (const p of order) {
    const plain = decryptVault(envelope, p.password);
    if (plain === undefined) continue;
    let value: string;
    try {
      value = utf8.decode(plain);
    } catch {
      throw new VaultError('the decrypted vault value is not UTF-8 text', text);
    }
    markSecret(value);
    return value;
  }
  const id = envelope.vaultId ? ` (vault id ${envelope.vaultId})` : '';
  throw new VaultError(`Decryption failed (no vault secrets were found that could decrypt)${id}; tried ${order.map((p) => p.source).join(', ')}`, text);
}
