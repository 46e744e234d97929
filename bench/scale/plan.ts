/**
 * The 200-peer dataplane bench's plan, as pure data: which addresses the lightweight peers take
 * on the lab's subnet, their namespaces and links, and the FRR daemons each one runs. A peer is
 * FRR in a plain network namespace (zebra, bgpd, bfdd from the controller's FRR package, about
 * 36 MB), not a booted container (a systemd node is ~60 MB and seconds of boot each).
 */
import { NODE_IFACES, TESTNET, netnsPrefix } from '../../src/lab/topology.js';

export interface Peer {
  name: string;
  netns: string;
  address: string;
  /** The peer's link in the lab's testnet namespace (bridged like a node's t<index>). */
  bridgePort: string;
  /** Where its config, pid files, vty and zserv sockets live. */
  dir: string;
}

export const PEER_DAEMONS = ['zebra', 'bfdd', 'bgpd'] as const;
export type PeerDaemon = (typeof PEER_DAEMONS)[number];

/**
 * `count` addresses on the lab's /24 that nothing else uses: not the network, gateway or
 * broadcast address and none of `taken` (the routers' and the lab hosts' addresses).
 */
export function peerAddresses(count: number, taken: readonly string[]): string[] {
  const used = new Set(taken);
  const out: string[] = [];
  for (let last = 2; last <= 254 && out.length < count; last++) {
    const address = `${TESTNET.prefix}${last}`;
    if (address !== TESTNET.gateway && !used.has(address)) out.push(address);
  }
  if (out.length < count) {
    throw new Error(`the lab's subnet ${TESTNET.cidr} has room for ${out.length} peers beside its nodes, not ${count}`);
  }
  return out;
}

export function planPeers(lab: string, count: number, taken: readonly string[], runDir: string): Peer[] {
  return peerAddresses(count, taken).map((address, i) => {
    const name = `p${i + 1}`;
    return { name, netns: `${netnsPrefix(lab)}${name}`, address, bridgePort: `s${i + 1}`, dir: `${runDir}/${name}` };
  });
}

/** Root-namespace `ip -batch`: each peer's namespace and its veth into the testnet namespace. */
export function peerRootBatch(testnet: string, peers: readonly Peer[]): string[] {
  return peers.flatMap((p) => [`netns add ${p.netns}`, `link add ${p.bridgePort} netns ${testnet} type veth peer name ${NODE_IFACES.subnet} netns ${p.netns}`]);
}

/** The testnet namespace's `ip -batch`: every peer's port on the subnet's bridge. */
export function peerBridgeBatch(peers: readonly Peer[]): string[] {
  return peers.map((p) => `link set ${p.bridgePort} master br0 up`);
}

/** A peer's own `ip -batch`: its subnet address (static, as a DHCP lease would give it). */
export function peerBatch(peer: Peer): string[] {
  const prefixLength = TESTNET.cidr.split('/')[1];
  return ['link set lo up', `link set ${NODE_IFACES.subnet} up`, `addr add ${peer.address}/${prefixLength} dev ${NODE_IFACES.subnet}`];
}

/** argv of one FRR daemon of a peer: daemonised, every path inside the peer's directory. */
export function daemonArgs(peer: Peer, daemon: PeerDaemon): string[] {
  const d = peer.dir;
  const args = ['-d', '-f', `${d}/frr.conf`, '-i', `${d}/${daemon}.pid`, '--vty_socket', d, '-z', `${d}/zserv.api`, '--log', `file:${d}/${daemon}.log`];
  if (daemon === 'bfdd') args.push('--bfdctl', `${d}/bfdd.sock`);
  return args;
}
