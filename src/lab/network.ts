import { LAB_DNS, NODE_IFACES, PEER, TEST_SERVER, TESTNET, UPSTREAM, type LabNode, type Topology } from './topology.js';
import { ipBatch, run } from './run.js';

/**
 * Wires the lab's networks with `ip -batch`: one process for the root namespace (namespaces,
 * the management bridge, every veth pair) and then one per namespace, all in parallel.
 */
export async function wireNetworks(topo: Topology): Promise<void> {
  await ipBatch(rootBatch(topo), 'creating namespaces and links');
  const jobs: Promise<void>[] = [];
  for (const [netns, lines] of namespaceBatches(topo)) {
    jobs.push(ipBatch(lines, `configuring namespace ${netns}`, netns));
  }
  for (const netns of [topo.namespaces.vpc, topo.namespaces.internet]) {
    jobs.push(forwarding(netns));
  }
  await Promise.all(jobs);
}

/** Routing in a lab namespace (never in the root namespace). */
async function forwarding(netns: string): Promise<void> {
  await run('ip', ['netns', 'exec', netns, 'sysctl', '-qw', 'net.ipv4.ip_forward=1'], `enabling forwarding in ${netns}`);
}

export function rootBatch(topo: Topology): string[] {
  const { namespaces: n, mgmt } = topo;
  const lines: string[] = [];
  for (const netns of [...Object.values(n), ...topo.nodes.map((x) => x.netns)]) lines.push(`netns add ${netns}`);
  lines.push(
    `link add ${mgmt.bridge} type bridge`,
    `addr add ${mgmt.bridgeAddress}/24 dev ${mgmt.bridge}`,
    `link set ${mgmt.bridge} up`,
    // testnet bridge and the VPC router's legs
    `link add br0 netns ${n.testnet} type bridge`,
    `link add vpc netns ${n.testnet} type veth peer name subnet0 netns ${n.vpc}`,
    `link add peer0 netns ${n.vpc} type veth peer name eth0 netns ${n.peer}`,
    // internet: routers' bridge and the test server's link
    `link add br0 netns ${n.internet} type bridge`,
    `link add server0 netns ${n.internet} type veth peer name eth0 netns ${n.server}`,
  );
  for (const node of topo.nodes) {
    lines.push(
      `link add ${node.mgmtVeth} type veth peer name ${NODE_IFACES.mgmt} netns ${node.netns}`,
      `link set ${node.mgmtVeth} master ${mgmt.bridge} up`,
      `link add t${node.index} netns ${n.testnet} type veth peer name ${NODE_IFACES.subnet} address ${node.subnetMac} netns ${node.netns}`,
    );
    if (node.role === 'router') {
      lines.push(`link add u${node.index} netns ${n.internet} type veth peer name ${NODE_IFACES.upstream} netns ${node.netns}`);
    }
  }
  return lines;
}

export function namespaceBatches(topo: Topology): Map<string, string[]> {
  const { namespaces: n } = topo;
  const out = new Map<string, string[]>();
  const testnet = ['link set br0 up', 'link set vpc master br0 up', 'link set lo up'];
  const internet = [
    'link set lo up',
    'link set br0 up',
    `addr add ${UPSTREAM.gateway}/24 dev br0`,
    'link set server0 up',
    `addr add ${TEST_SERVER.gateway}/24 dev server0`,
  ];
  for (const node of topo.nodes) {
    testnet.push(`link set t${node.index} master br0 up`);
    if (node.role === 'router') internet.push(`link set u${node.index} master br0 up`);
    out.set(node.netns, nodeBatch(node));
  }
  out.set(n.testnet, testnet);
  out.set(n.internet, internet);
  out.set(n.vpc, [
    'link set lo up',
    'link set subnet0 up',
    `addr add ${TESTNET.gateway}/24 dev subnet0`,
    'link set peer0 up',
    `addr add ${PEER.gateway}/24 dev peer0`,
  ]);
  out.set(n.peer, ['link set lo up', 'link set eth0 up', `addr add ${PEER.address}/24 dev eth0`, `route add default via ${PEER.gateway}`]);
  out.set(n.server, [
    'link set lo up',
    'link set eth0 up',
    `addr add ${TEST_SERVER.address}/24 dev eth0`,
    `addr add ${LAB_DNS.address}/24 dev eth0`,
    `route add default via ${TEST_SERVER.gateway}`,
  ]);
  return out;
}

/** Management address on ens5 (no default route over it); routers also get ens6/ens7 statically. */
function nodeBatch(node: LabNode): string[] {
  const { mgmt, subnet, upstream } = NODE_IFACES;
  const lines = ['link set lo up', `link set ${mgmt} up`, `addr add ${node.mgmtAddress}/24 dev ${mgmt}`];
  if (node.role === 'router') {
    lines.push(
      `link set ${subnet} up`,
      `addr add ${node.subnetAddress}/24 dev ${subnet}`,
      `link set ${upstream} up`,
      `addr add ${node.upstreamAddress}/24 dev ${upstream}`,
      `route add default via ${UPSTREAM.gateway} dev ${upstream}`,
    );
  }
  return lines;
}
