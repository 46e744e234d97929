/**
 * prov's Ansible-shaped facts of real lab nodes (a router and a host, systemd-nspawn Debian)
 * against Ansible's own `ansible -m setup` over SSH to the same nodes, key by key
 * (test/helpers/ansible-setup.ts). Lab nodes have no Python: prov gathers its facts without it
 * first, then python3 is installed from the lab's offline repository for Ansible's sake. The lab
 * is torn down even when a test fails.
 */
import test, { type ExecutionContext } from 'ava';
import { connectionOf } from '../../src/inventory/connection.js';
import { createTransport } from '../../src/transport/create.js';
import { ansibleSetup, compareFacts, provSetup } from '../helpers/ansible-setup.js';
import { lab, readInventory, ssh, type LabInventory } from '../helpers/lab.js';

const NAME = 'hfacts';
let inv: LabInventory;

test.before(async (t) => {
  const up = await lab(['up', '--name', NAME]);
  t.log(`lab up: ${up.ms} ms`);
  if (up.code !== 0) throw new Error(`lab up failed (${up.code}): ${up.stderr}`);
  inv = readInventory(NAME);
});

test.after.always(async () => {
  await lab(['down', '--name', NAME]);
});

function nodeVars(node: string): Record<string, unknown> {
  const address = inv.routers[node]?.ansible_host ?? inv.hosts[node]?.ansible_host;
  return { ...inv.vars, ansible_host: address };
}

function iniLine(node: string): string {
  const v = nodeVars(node);
  const sshArgs = `-o UserKnownHostsFile=${v.prov_known_hosts_file} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes`;
  return `${node} ansible_host=${v.ansible_host} ansible_user=${v.ansible_user} ansible_ssh_private_key_file=${v.ansible_ssh_private_key_file} ansible_ssh_common_args='${sshArgs}'`;
}

async function provFactsOf(t: ExecutionContext, node: string): Promise<Record<string, unknown>> {
  const transport = createTransport(node, connectionOf(nodeVars(node), node), { trustNewHostKeys: false, connectTimeoutMs: 10_000 });
  await transport.connect();
  t.teardown(() => transport.close());
  return provSetup((command) => transport.exec(command));
}

test.serial('r1 without Python: prov gathers the Ansible facts all the same, without the python fact', async (t) => {
  const python = await ssh(inv, String(nodeVars('r1').ansible_host), 'command -v python3 || echo none');
  t.is(python.stdout.trim(), 'none', 'the lab image has no python3');
  const prov = await provFactsOf(t, 'r1');
  t.false('python' in prov);
  t.false('python_version' in prov);
  t.like(prov, { hostname: 'r1', os_family: 'Debian', distribution: 'Debian', service_mgr: 'systemd' });
});

for (const node of ['r1', 'host']) {
  test.serial(`${node}: prov's Ansible facts are Ansible's setup facts`, async (t) => {
    const install = await ssh(
      inv,
      String(nodeVars(node).ansible_host),
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 >/dev/null && command -v python3',
    );
    t.is(install.code, 0, `${node}: installing python3 for Ansible: ${install.stderr}`);
    const ansible = await ansibleSetup(`${iniLine(node)}\n`, node);
    const prov = await provFactsOf(t, node);
    t.deepEqual(compareFacts(ansible[node]!, prov), []);
    t.like(prov, { hostname: node, system: 'Linux', distribution: 'Debian', os_family: 'Debian', service_mgr: 'systemd', pkg_mgr: 'apt' });
    t.truthy((prov.default_ipv4 as Record<string, unknown>).address, 'the node has a default IPv4 route');
    t.truthy(prov.python, 'python3 is on the node: the python fact is there');
  });
}
