import { createHash } from 'node:crypto';

/**
 * The lab's addressing plan, as pure data: names, addresses and interface names for every node
 * and namespace. Nothing here touches the machine, so the plan is unit-testable.
 */

export const TESTNET = {
  cidr: '192.168.100.0/24',
  supernet: '192.168.100.0/23',
  gateway: '192.168.100.1',
  prefix: '192.168.100.',
  firstRouter: 20,
  firstHost: 100,
  lastHost: 254,
};
export const PEER = { cidr: '192.168.101.0/24', gateway: '192.168.101.1', address: '192.168.101.10' };
export const UPSTREAM = { prefix: '203.0.113.', gateway: '203.0.113.1', firstRouter: 20 };
export const TEST_SERVER = { address: '198.51.100.10', gateway: '198.51.100.1', echoPort: 9000 };
export const TLS_NAMES = { allowed: 'allowed.example.test', denied: 'denied.example.test' };
/** The lab's own DNS server, beside the test server; it answers the TLS names and nothing else. */
export const LAB_DNS = { address: '198.51.100.53' };
export const MGMT_FIRST_NODE = 10;
export const NODE_IFACES = { mgmt: 'ens5', subnet: 'ens6', upstream: 'ens7' };

export interface LabNode {
  name: string;
  role: 'router' | 'host';
  /** Position in the lab (routers first), used in interface names. */
  index: number;
  netns: string;
  mgmtAddress: string;
  subnetAddress: string;
  upstreamAddress?: string;
  /** MAC of ens6, fixed so that the DHCP server can give each host a known address. */
  subnetMac: string;
  /** Root-namespace end of the management veth. */
  mgmtVeth: string;
}

export interface Topology {
  name: string;
  /** Short id that prefixes the lab's root-namespace interface names. */
  id: string;
  mgmt: { cidr: string; prefix: string; bridge: string; bridgeAddress: string };
  namespaces: { testnet: string; vpc: string; peer: string; internet: string; server: string };
  listenRange: string;
  nodes: LabNode[];
}

export const LAB_NAME_RE = /^[a-z][a-z0-9-]{0,19}$/;

/** Every namespace of lab `name` starts with this; `_` cannot occur in a lab name. */
export function netnsPrefix(name: string): string {
  return `prov-${name}_`;
}

export function labId(name: string): string {
  return 'pv' + createHash('sha256').update(name).digest('hex').slice(0, 4);
}

/** Root-namespace interface names that belong to the lab with this id. */
export function isLabRootLink(id: string, ifname: string): boolean {
  return ifname === `${id}br` || new RegExp(`^${id}m\\d+$`).test(ifname);
}

/** The lab `lab` uses the seed's 192.168.121.0/24; other names get their own /24 from a hash. */
export function mgmtPrefix(name: string): string {
  if (name === 'lab') return '192.168.121.';
  const n = parseInt(createHash('sha256').update(name).digest('hex').slice(0, 4), 16) % 250;
  return `10.121.${n}.`;
}

/** Most hosts and routers one lab can hold on its /24 networks. */
export const MAX_HOSTS = TESTNET.lastHost - TESTNET.firstHost + 1;
export const MAX_ROUTERS = Math.min(TESTNET.firstHost - TESTNET.firstRouter, 254 - UPSTREAM.firstRouter + 1);

export function hostName(i: number): string {
  return i === 0 ? 'host' : `host${i + 1}`;
}

/** Smallest prefix that starts at or below .100 and covers every host (the seed's /27 for ≤ 28). */
export function listenRange(hosts: number): string {
  const first = TESTNET.firstHost;
  const last = first + hosts - 1;
  for (let len = 27; len >= 24; len--) {
    const size = 2 ** (32 - len);
    const base = Math.floor(first / size) * size;
    if (last < base + size) return `${TESTNET.prefix}${base}/${len}`;
  }
  return TESTNET.cidr;
}

export function planTopology(name: string, routers: number, hosts: number): Topology {
  const id = labId(name);
  const prefix = mgmtPrefix(name);
  const macBase = createHash('sha256').update(name).digest('hex').slice(4, 10).match(/../g)!.join(':');
  const ns = (suffix: string) => `${netnsPrefix(name)}${suffix}`;
  const nodes: LabNode[] = [];
  const add = (nodeName: string, role: LabNode['role'], subnetAddress: string, upstreamAddress?: string) => {
    const index = nodes.length;
    const hex = index.toString(16).padStart(4, '0');
    nodes.push({
      name: nodeName,
      role,
      index,
      netns: ns(nodeName),
      mgmtAddress: `${prefix}${MGMT_FIRST_NODE + index}`,
      subnetAddress,
      upstreamAddress,
      subnetMac: `02:${macBase}:${hex.slice(0, 2)}:${hex.slice(2)}`,
      mgmtVeth: `${id}m${index}`,
    });
  };
  for (let r = 0; r < routers; r++) {
    add(`r${r + 1}`, 'router', `${TESTNET.prefix}${TESTNET.firstRouter + r}`, `${UPSTREAM.prefix}${UPSTREAM.firstRouter + r}`);
  }
  for (let h = 0; h < hosts; h++) add(hostName(h), 'host', `${TESTNET.prefix}${TESTNET.firstHost + h}`);
  return {
    name,
    id,
    mgmt: { cidr: `${prefix}0/24`, prefix, bridge: `${id}br`, bridgeAddress: `${prefix}1` },
    namespaces: { testnet: ns('testnet'), vpc: ns('vpc'), peer: ns('peer'), internet: ns('internet'), server: ns('server') },
    listenRange: listenRange(hosts),
    nodes,
  };
}

/** How hosts configure their subnet interface (ens6) by DHCP. */
export const HOST_NETWORKS = ['ifupdown', 'networkd', 'netplan'] as const;
export type HostNetwork = (typeof HOST_NETWORKS)[number];
