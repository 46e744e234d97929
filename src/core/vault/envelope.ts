/**
 * The text form of an Ansible Vault payload (format 1.1 and 1.2, cipher AES256), as
 * lib/ansible/parsing/vault/__init__.py writes it:
 *
 *   $ANSIBLE_VAULT;1.1;AES256            (1.2 adds ";<vault id>")
 *   <hex of "hex(salt)\nhex(hmac)\nhex(ciphertext)">, in lines of 80 characters
 *
 * Only the layout is decided here; the cryptography is in aes256.ts.
 */
export const VAULT_HEADER = '$ANSIBLE_VAULT;';

export interface VaultEnvelope {
  version: '1.1' | '1.2';
  vaultId?: string;
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

/** Why a text is not a vault payload (a one-line reason). */
export class VaultFormatError extends Error {}

export function isVaultText(text: string): boolean {
  return text.trimStart().startsWith(VAULT_HEADER);
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function unhex(text: string, what: string): Buffer {
  if (!HEX.test(text)) throw new VaultFormatError(`Vault format unhexlify error: the ${what} is not hexadecimal`);
  return Buffer.from(text, 'hex');
}

export function parseVaultEnvelope(text: string): VaultEnvelope {
  const lines = text.trim().split(/\r?\n/);
  const header = (lines.shift() ?? '').trim().split(';');
  if (header[0] !== '$ANSIBLE_VAULT') throw new VaultFormatError('not a vault payload (no $ANSIBLE_VAULT header)');
  const version = header[1]?.trim();
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`vault format version ${version ?? '(none)'} is not supported (1.1 and 1.2 are)`);
  const cipher = header[2]?.trim();
  if (cipher !== 'AES256') throw new VaultFormatError(`vault cipher ${cipher ?? '(none)'} is not supported (AES256 is)`);
  const vaultId = version === '1.2' ? header[3]?.trim() : undefined;
  const inner = unhex(lines.map((l) => l.trim()).join(''), 'payload')
    .toString('latin1')
    .split('\n');
  if (inner.length !== 3) throw new VaultFormatError('Vault vaulttext format error: expected salt, hmac and ciphertext');
  const [salt, hmac, ciphertext] = inner as [string, string, string];
  return { version, ...(vaultId ? { vaultId } : {}), salt: unhex(salt, 'salt'), hmac: unhex(hmac, 'hmac'), ciphertext: unhex(ciphertext, 'ciphertext') };
}

export function formatVaultEnvelope(e: VaultEnvelope): string {
  const header = e.version === '1.2' && e.vaultId ? `$ANSIBLE_VAULT;1.2;AES256;${e.vaultId}` : '$ANSIBLE_VAULT;1.1;AES256';
  const inner = [e.salt.toString('hex'), e.hmac.toString('hex'), e.ciphertext.toString('hex')].join('\n');
  const body = Buffer.from(inner, 'latin1').toString('hex');
  const lines = body.match(/.{1,80}/g) ?? [];
  return `${[header, ...lines].join('\n')}\n`;
}
