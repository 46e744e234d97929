import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve, join } from 'node:path';
import { dump } from 'js-yaml';
import { NODE_IFACES, PEER, TESTNET, TEST_SERVER, TLS_NAMES, type Topology } from './topology.js';
import type { LabKeys } from './ssh.js';
import type { HostNetwork } from './topology.js';

/** `inventory/lab.yml` for the lab `lab`, `inventory/<name>.yml` otherwise. */
export function defaultInventoryPath(name: string): string {
  return resolve('inventory', `${name}.yml`);
}

/** Where the lab keeps its key pair and known_hosts: beside the inventory, git-ignored. */
export function keyDirFor(inventoryPath: string, name: string): string {
  return join(dirname(resolve(inventoryPath)), `.lab-${name}`);
}

/** The Ansible YAML inventory of the lab: groups routers and hosts, and the subnet facts the roles need. */
export function inventoryDocument(topo: Topology, keys: LabKeys, hostNetwork: HostNetwork = 'ifupdown'): unknown {
  const routers: Record<string, unknown> = {};
  const hosts: Record<string, unknown> = {};
  for (const n of topo.nodes) {
    if (n.role === 'router') {
      routers[n.name] = { ansible_host: n.mgmtAddress, subnet_address: n.subnetAddress, upstream_address: n.upstreamAddress };
    } else {
      hosts[n.name] = { ansible_host: n.mgmtAddress, subnet_address: n.subnetAddress };
    }
  }
  return {
    all: {
      vars: {
        ansible_user: 'root',
        ansible_ssh_private_key_file: resolve(keys.privateKey),
        prov_known_hosts_file: resolve(keys.knownHosts),
        lab_name: topo.name,
        lab_host_network: hostNetwork,
        subnet_cidr: TESTNET.cidr,
        vpc_supernet: TESTNET.supernet,
        subnet_gateway: TESTNET.gateway,
        bgp_listen_range: topo.listenRange,
        subnet_interface: NODE_IFACES.subnet,
        lab_test_server: TEST_SERVER.address,
        lab_echo_port: TEST_SERVER.echoPort,
        lab_peer_address: PEER.address,
        lab_tls_allowed_name: TLS_NAMES.allowed,
        lab_tls_denied_name: TLS_NAMES.denied,
      },
      children: {
        routers: { vars: { upstream_interface: NODE_IFACES.upstream }, hosts: routers },
        hosts: { hosts },
      },
    },
  };
}

export function writeInventory(path: string, topo: Topology, keys: LabKeys, hostNetwork: HostNetwork = 'ifupdown'): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const header = `# Written by \`prov lab up --name ${topo.name}\`; rewritten at every up.\n`;
  writeFileSync(path, header + dump(inventoryDocument(topo, keys, hostNetwork), { lineWidth: 120 }));
}
