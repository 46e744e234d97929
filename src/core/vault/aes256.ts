/**
 * Ansible Vault's AES256 cipher with node:crypto: PBKDF2-HMAC-SHA256 (10000 iterations) over the
 * password and a 32-byte salt gives 80 bytes: the AES-256 key, the HMAC-SHA256 key and the CTR
 * counter block. The plaintext is PKCS#7-padded to the AES block and encrypted in CTR mode; the
 * HMAC covers the ciphertext and is checked (in constant time) before anything is decrypted.
 */
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { VaultEnvelope } from './envelope.js';

const ITERATIONS = 10000;
const KEY = 32;
const IV = 16;
const BLOCK = 16;

function keys(password: Buffer, salt: Buffer): { aes: Buffer; mac: Buffer; iv: Buffer } {
  const d = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY + IV, 'sha256');
  return { aes: d.subarray(0, KEY), mac: d.subarray(KEY, 2 * KEY), iv: d.subarray(2 * KEY) };
}

/** The plaintext, or undefined when the password does not fit (the HMAC differs) or the padding is bad. */
export function decryptVault(e: VaultEnvelope, password: Buffer): Buffer | undefined {
  const k = keys(password, e.salt);
  const mac = createHmac('sha256', k.mac).update(e.ciphertext).digest();
  if (mac.length !== e.hmac.length || !timingSafeEqual(mac, e.hmac)) return undefined;
  const d = createDecipheriv('aes-256-ctr', k.aes, k.iv);
  const padded = Buffer.concat([d.update(e.ciphertext), d.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > BLOCK || pad > padded.length) return undefined;
  for (let i = padded.length - pad; i < padded.length; i++) if (padded[i] !== pad) return undefined;
  return padded.subarray(0, padded.length - pad);
}

export function encryptVault(plaintext: Buffer, password: Buffer, vaultId?: string): VaultEnvelope {
  const salt = randomBytes(32);
  const k = keys(password, salt);
  const pad = BLOCK - (plaintext.length % BLOCK);
  const c = createCipheriv('aes-256-ctr', k.aes, k.iv);
  const ciphertext = Buffer.concat([c.update(Buffer.concat([plaintext, Buffer.alloc(pad, pad)])), c.final()]);
  const hmac = createHmac('sha256', k.mac).update(ciphertext).digest();
  return { version: vaultId ? '1.2' : '1.1', ...(vaultId ? { vaultId } : {}), salt, hmac, ciphertext };
}
