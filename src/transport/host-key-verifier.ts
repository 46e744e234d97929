/**
 * Strict host-key checking for one connection, as an ssh2 `hostVerifier`: a known key passes,
 * a different key for a known host or a revoked key is refused, an unknown host is refused unless
 * the user trusts new keys (--trust-new-host-keys), in which case the key is recorded first.
 * The refusal reason is kept so the transport can report one clear line instead of ssh2's
 * "Host denied (verification failed)".
 */
import { createHash } from 'node:crypto';
import { errorMessage } from '../core/errors.js';
import { checkHostKey, keyTypeOfBlob, knownHostLine, recordHostKey, type KnownHostEntry } from './known-hosts.js';

export interface HostVerifierOptions {
  /** Inventory name, starts every message. */
  host: string;
  /** Lookup name: `addr` or `[addr]:port`. */
  name: string;
  entries: KnownHostEntry[];
  trustNewHostKeys: boolean;
  /** Where a newly trusted key is written. */
  recordFile: string;
}

export interface HostVerifier {
  /**
   * ssh2's hostVerifier contract: returns the decision, or undefined when it will call `done`
   * later (recording a newly trusted key).
   */
  verify(blob: Buffer, done: (ok: boolean) => void): boolean | undefined;
  /** Why the key was refused, once verify() has refused it. */
  refusal(): string | undefined;
}

/** OpenSSH-style fingerprint: SHA256:<base64 without padding>. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function createHostVerifier(options: HostVerifierOptions): HostVerifier {
  const { host, name } = options;
  let refused: string | undefined;
  return {
    refusal: () => refused,
    verify(blob, done) {
      const keyType = keyTypeOfBlob(blob);
      const key = blob.toString('base64');
      const verdict = checkHostKey(options.entries, name, keyType, key);
      switch (verdict.kind) {
        case 'ok':
          return true;
        case 'revoked':
          refused = `${host}: host key for ${name} is revoked in ${verdict.entry.file}:${verdict.entry.line}`;
          return false;
        case 'mismatch':
          refused =
            `${host}: host key for ${name} does not match ${verdict.entry.file}:${verdict.entry.line} ` +
            `(possible man-in-the-middle); remove the old entry if the key changed on purpose`;
          return false;
        case 'unknown':
          if (!options.trustNewHostKeys) {
            refused =
              `${host}: host key for ${name} is not known (${keyType} ${fingerprint(blob)}); ` +
              `add it to ${options.recordFile} or rerun with --trust-new-host-keys`;
            return false;
          }
          recordHostKey(options.recordFile, knownHostLine(name, keyType, key)).then(
            () => done(true),
            (err: unknown) => {
              refused = `${host}: cannot record host key for ${name} in ${options.recordFile}: ${errorMessage(err)}`;
              done(false);
            },
          );
          return undefined;
      }
    },
  };
}
