/**
 * The lab's instance metadata service, as on EC2: IMDSv2 at 169.254.169.254:80, reachable from
 * every node's subnet interface, answering each node (told apart by its subnet address, as an
 * ENI is) with the lab's real values: its ens6 MAC and address, the VPC range (the supernet)
 * and the subnet. It lives in the VPC router's namespace, like the DHCP server; 169.254.169.254
 * exists only there (on its loopback), never in the root namespace.
 *
 * - Reaching it: AWS answers 169.254.169.254 whatever next hop a packet was sent to. The lab does
 *   the same on the subnet's bridge (testnet namespace): an nftables bridge rule sets the
 *   destination MAC of packets to 169.254.169.254 to the VPC router's, so a host whose default
 *   route is BGP's (via a router) still reaches it. Routers (default route upstream) get an
 *   on-link route to it on ens6 in their namespace.
 * - The hop limit: an nftables rule in the VPC namespace sets TTL 1 on every packet the service
 *   sends (token responses included), AWS's default HttpPutResponseHopLimit of 1: a response
 *   reaches a node on the subnet and dies at the first router past it.
 * - 401 without a token, 400 without a TTL on the token PUT: src/lab/servers/imds-server.mjs.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProvError } from '../core/errors.js';
import { run } from './run.js';
import { startInNamespace } from './services.js';
import { NODE_IFACES, TESTNET, type Topology } from './topology.js';

export const IMDS_ADDRESS = '169.254.169.254';
const IMDS_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'servers', 'imds-server.mjs');

/** What the service answers each node (keyed by its subnet address). */
export function imdsData(topo: Topology): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    topo.nodes.map((node) => [
      node.subnetAddress,
      {
        mac: node.subnetMac,
        'local-ipv4': node.subnetAddress,
        'vpc-ipv4-cidr-block': TESTNET.supernet,
        'vpc-ipv4-cidr-blocks': [TESTNET.supernet],
        'subnet-ipv4-cidr-block': TESTNET.cidr,
      },
    ]),
  );
}

/** nftables of the testnet namespace: packets for the service go to the VPC router's MAC. */
export function bridgeRules(vpcMac: string): string {
  return [
    'table bridge prov_imds {',
    '  chain prerouting {',
    '    type filter hook prerouting priority -300; policy accept;',
    `    ip daddr ${IMDS_ADDRESS} ether daddr set ${vpcMac}`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** nftables of the VPC namespace: the service's packets leave with TTL 1 (the hop limit). */
export function hopLimitRules(): string {
  return [
    'table ip prov_imds {',
    '  chain output {',
    '    type filter hook output priority 0; policy accept;',
    `    ip saddr ${IMDS_ADDRESS} tcp sport 80 ip ttl set 1`,
    '  }',
    '}',
    '',
  ].join('\n');
}

async function inNamespace(netns: string, argv: string[], what: string, input?: string): Promise<string> {
  return run('ip', ['netns', 'exec', netns, ...argv], what, input === undefined ? {} : { input });
}

/** Sets the service up in the lab's namespaces and starts it; returns its pid (ready once `ready` exists). */
export async function startImds(topo: Topology, runtime: string): Promise<{ pid: number; ready: string }> {
  const { vpc, testnet } = topo.namespaces;
  const links = JSON.parse(await inNamespace(vpc, ['ip', '-j', 'link', 'show', 'subnet0'], 'reading the VPC router MAC')) as { address: string }[];
  const vpcMac = links[0]!.address;
  await Promise.all([
    inNamespace(vpc, ['ip', 'addr', 'add', `${IMDS_ADDRESS}/32`, 'dev', 'lo'], 'adding the metadata address'),
    inNamespace(vpc, ['nft', '-f', '-'], 'the metadata hop limit', hopLimitRules()),
    inNamespace(testnet, ['nft', '-f', '-'], 'steering metadata packets to the VPC router', bridgeRules(vpcMac)),
    ...topo.nodes
      .filter((node) => node.role === 'router')
      .map((node) => inNamespace(node.netns, ['ip', 'route', 'add', `${IMDS_ADDRESS}/32`, 'dev', NODE_IFACES.subnet], `metadata route on ${node.name}`)),
  ]);
  const data = join(runtime, 'imds.json');
  writeFileSync(data, JSON.stringify(imdsData(topo), null, 2));
  const ready = join(runtime, 'imds.ready');
  const pid = startInNamespace(
    vpc,
    [process.execPath, IMDS_SCRIPT, '--listen', IMDS_ADDRESS, '--port', '80', '--data', data, '--ready', ready],
    join(runtime, 'imds.log'),
  );
  return { pid, ready };
}

/** Waits for the service's ready file; throws a one-line error when it exits or takes too long. */
export async function waitImdsReady(
  runtime: string,
  started: { pid: number; ready: string },
  alive: (pid: number) => boolean,
  timeoutMs = 15000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(started.ready)) {
    if (!alive(started.pid)) throw new ProvError('internal', `lab: the metadata service exited; see ${join(runtime, 'imds.log')}`);
    if (Date.now() > deadline) throw new ProvError('internal', 'lab: the metadata service did not start in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
