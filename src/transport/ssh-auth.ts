/**
 * Which credentials the SSH transport offers, in order: the inventory's key file
 * (ansible_ssh_private_key_file), then ssh-agent (SSH_AUTH_SOCK), then ~/.ssh/id_ed25519 and
 * ~/.ssh/id_rsa when no key file is named, as OpenSSH does. The result is an ssh2 `authHandler`
 * list, so every credential is tried in turn on the one connection.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { ProvError, errorMessage } from '../core/errors.js';

// ssh2 is CommonJS: its `utils` is reachable through the default export only.
const { utils } = ssh2;

export type AuthAttempt = { type: 'publickey'; username: string; key: Buffer } | { type: 'agent'; username: string; agent: string };

export interface AuthPlan {
  attempts: AuthAttempt[];
  /** Human-readable list of what is tried, for the "authentication failed" message. */
  described: string[];
}

/** What a key file holds: a usable private key, only a public key, or nothing ssh2 can use. */
function keyKind(data: Buffer): 'private' | 'public' | 'unusable' {
  const parsed = utils.parseKey(data);
  if (parsed instanceof Error) return 'unusable';
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first) return 'unusable';
  return first.isPrivateKey() ? 'private' : 'public';
}

function usableKey(data: Buffer): boolean {
  return keyKind(data) === 'private';
}

async function readKey(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function planAuth(
  host: string,
  user: string,
  privateKeyFile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): Promise<AuthPlan> {
  const attempts: AuthAttempt[] = [];
  const described: string[] = [];
  if (privateKeyFile) {
    let key: Buffer | null;
    try {
      key = await readKey(privateKeyFile);
    } catch (err) {
      throw new ProvError('unreachable', `${host}: cannot read private key ${privateKeyFile}: ${errorMessage(err)}`, { cause: err });
    }
    if (key === null) throw new ProvError('unreachable', `${host}: private key ${privateKeyFile} does not exist`);
    const kind = keyKind(key);
    if (kind === 'public') {
      throw new ProvError('unreachable', `${host}: ${privateKeyFile} is a public key; ansible_ssh_private_key_file needs the private key`);
    }
    if (kind === 'private') {
      attempts.push({ type: 'publickey', username: user, key });
      described.push(`key ${privateKeyFile}`);
    } else if (!env.SSH_AUTH_SOCK) {
      throw new ProvError(
        'unreachable',
        `${host}: cannot use private key ${privateKeyFile} (passphrase-protected or not a private key); load it into ssh-agent`,
      );
    }
  }
  if (env.SSH_AUTH_SOCK) {
    attempts.push({ type: 'agent', username: user, agent: env.SSH_AUTH_SOCK });
    described.push('ssh-agent');
  }
  if (!privateKeyFile) {
    for (const name of ['id_ed25519', 'id_rsa']) {
      const file = join(home, '.ssh', name);
      const key = await readKey(file).catch(() => null);
      if (key && usableKey(key)) {
        attempts.push({ type: 'publickey', username: user, key });
        described.push(`key ${file}`);
      }
    }
  }
  if (attempts.length === 0) {
    throw new ProvError('unreachable', `${host}: no SSH credentials: set ansible_ssh_private_key_file, start ssh-agent, or create ~/.ssh/id_ed25519`);
  }
  return { attempts, described };
}
