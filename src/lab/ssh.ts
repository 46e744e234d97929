import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { ProvError } from '../core/errors.js';
import { run, runCapture } from './run.js';
import type { LabNode } from './topology.js';

export interface LabKeys {
  dir: string;
  privateKey: string;
  publicKey: string;
  knownHosts: string;
}

export function labKeys(dir: string): LabKeys {
  return {
    dir,
    privateKey: join(dir, 'id_ed25519'),
    publicKey: join(dir, 'id_ed25519.pub'),
    knownHosts: join(dir, 'known_hosts'),
  };
}

/** The lab's SSH key pair, made once and kept across `up`/`down` so inventories stay valid. */
export async function ensureKeyPair(keys: LabKeys): Promise<string> {
  mkdirSync(keys.dir, { recursive: true, mode: 0o700 });
  if (!existsSync(keys.privateKey) || !existsSync(keys.publicKey)) {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'prov-lab', '-f', keys.privateKey], 'making the lab SSH key');
  }
  return readFileSync(keys.publicKey, 'utf8');
}

/** known_hosts lines naming each node by its name and its management address. */
export function writeKnownHosts(keys: LabKeys, entries: { node: LabNode; hostKey: string }[]): void {
  const lines = entries.map(({ node, hostKey }) => `${node.name},${node.mgmtAddress} ${hostKey}`);
  writeFileSync(keys.knownHosts, lines.join('\n') + '\n', { mode: 0o644 });
}

/** ssh options: strict host key checking against the lab's own known_hosts, key auth only. */
export function sshArgs(keys: LabKeys, address: string, interactive = false): string[] {
  return [
    '-i',
    keys.privateKey,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${keys.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'ConnectTimeout=5',
    '-o',
    'LogLevel=ERROR',
    ...(interactive ? [] : ['-o', 'BatchMode=yes']),
    `root@${address}`,
  ];
}

/** Resolves once the address's port 22 sends an SSH banner (cheap to poll, no ssh process). */
function sshBanner(address: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: address, port: 22 });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')));
    sock.once('error', () => done(false));
  });
}

/** Waits until the node accepts an SSH login with its own host key; throws naming the node. */
export async function waitForSsh(keys: LabKeys, node: LabNode, deadline: number, isUp: () => boolean): Promise<void> {
  for (;;) {
    if (!isUp()) throw new ProvError('unreachable', `lab: node ${node.name} stopped while booting`);
    if (await sshBanner(node.mgmtAddress, 1000)) {
      const r = await runCapture('ssh', [...sshArgs(keys, node.mgmtAddress), 'true']);
      if (r.code === 0) return;
      if (/host key|Host key/.test(r.stderr)) {
        throw new ProvError('unreachable', `lab: ${node.name} (${node.mgmtAddress}) presented an unexpected host key`);
      }
    }
    if (Date.now() > deadline) {
      throw new ProvError('unreachable', `lab: ${node.name} (${node.mgmtAddress}) did not answer over SSH in time`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
