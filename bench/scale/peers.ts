/**
 * Starts and stops the bench's lightweight peers: a network namespace bridged onto the lab's
 * subnet and FRR's zebra, bfdd and bgpd running in it with the host role's own frr.conf.
 * Everything lives under the lab's runtime directory and in namespaces named like the lab's,
 * so `prov lab down` removes them too, also after a crash.
 */
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { ipBatch, run } from '../../src/lab/run.js';
import { PEER_DAEMONS, daemonArgs, peerBatch, peerBridgeBatch, peerRootBatch, type Peer } from './plan.js';

const FRR_DIR = '/usr/lib/frr';

/** Runs jobs at most `width` at a time (200 peers x 3 daemons would otherwise fork at once). */
async function limited<T>(items: readonly T[], width: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await job(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

function frrIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('frr:'));
  if (!line) throw new Error(`user frr not found (run scripts/setup.sh: it installs FRR); running as ${userInfo().username}`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Namespaces, links and addresses of every peer; then each one's config written for FRR. */
export async function wirePeers(testnet: string, peers: readonly Peer[], config: (peer: Peer) => string): Promise<void> {
  await ipBatch(peerRootBatch(testnet, peers), 'creating the peers’ namespaces');
  await ipBatch(peerBridgeBatch(peers), 'bridging the peers onto the subnet', testnet);
  const { uid, gid } = frrIds();
  await limited(peers, 8, async (p) => {
    await ipBatch(peerBatch(p), `addressing ${p.name}`, p.netns);
    // the host role's sysctl: the L4 hash that pins a flow to one router
    await run('ip', ['netns', 'exec', p.netns, 'sysctl', '-qw', 'net.ipv4.fib_multipath_hash_policy=1'], `sysctl on ${p.name}`);
    mkdirSync(p.dir, { recursive: true });
    writeFileSync(`${p.dir}/frr.conf`, config(p));
    chownSync(p.dir, uid, gid);
    chownSync(`${p.dir}/frr.conf`, uid, gid);
  });
}

/** Starts zebra, then bfdd and bgpd, of every peer (daemonised: each returns once it runs). */
export async function startPeers(peers: readonly Peer[]): Promise<void> {
  await limited(peers, 6, async (p) => {
    for (const daemon of PEER_DAEMONS) {
      await run('ip', ['netns', 'exec', p.netns, `${FRR_DIR}/${daemon}`, ...daemonArgs(p, daemon)], `starting ${daemon} on ${p.name}`);
    }
  });
}

export function peerPids(peer: Peer): number[] {
  const out: number[] = [];
  for (const daemon of PEER_DAEMONS) {
    try {
      out.push(Number(readFileSync(`${peer.dir}/${daemon}.pid`, 'utf8').trim()));
    } catch {
      // not started, or gone
    }
  }
  return out.filter((pid) => pid > 0);
}
