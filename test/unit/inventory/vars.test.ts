import test from 'ava';
import { loadInventory } from '../../../src/inventory/load.js';
import { groupsMap, hostVars } from '../../../src/inventory/vars.js';
import { fixture } from './fixtures.js';

const lab = () => loadInventory(fixture('lab', 'hosts.yml'));

test('deeper groups beat their parents: edge_routers (3) > routers (2) > gateways (1)', async (t) => {
  const inv = await lab();
  t.is(hostVars(inv, 'r2')['tier'], 'edge');
  t.is(hostVars(inv, 'r1')['tier'], 'routers');
});

test('inline vars of a child group beat inline vars of all', async (t) => {
  const inv = await lab();
  t.is(hostVars(inv, 'r1')['ntp_server'], '192.168.100.2');
  t.is(hostVars(inv, 'host1')['ntp_server'], '192.168.100.1');
});

test("group_vars/all.yml beats inline group vars, even of child groups (Ansible's order)", async (t) => {
  const inv = await lab();
  t.is(hostVars(inv, 'r1')['syslog_server'], '192.168.100.5');
  t.is(hostVars(inv, 'bastion')['env'], 'production-like');
});

test('groups of equal depth merge by name: monitoring beats clients', async (t) => {
  const inv = await lab();
  t.is(hostVars(inv, 'host1')['dashboard'], 'monitoring');
});

test('host_vars file beats inline host vars; later file in a host_vars folder wins', async (t) => {
  const inv = await lab();
  t.is(hostVars(inv, 'host1')['listen'], 'host-vars-file');
  t.is(hostVars(inv, 'r1')['nat_enabled'], false);
  t.is(hostVars(inv, 'r1')['router_id'], '10.255.0.101');
  t.is(hostVars(inv, 'r2')['router_id'], '10.255.0.2');
});

test('ansible_group_priority orders groups of equal depth', async (t) => {
  const inv = await loadInventory(fixture('edge', 'inventory.yml'));
  t.is(hostVars(inv, 'l1')['pick'], 'low');
  // spines is at depth 3 (site > dc1 > spines) even though it is also a child of all.
  t.is(hostVars(inv, 's1')['layer'], 'spine-file');
});

test('magic variables: inventory_hostname, group_names sorted, without all', async (t) => {
  const inv = await lab();
  const v = hostVars(inv, 'r2');
  t.is(v['inventory_hostname'], 'r2');
  t.deepEqual(v['group_names'], ['edge_routers', 'gateways', 'routers']);
  t.deepEqual(hostVars(inv, 'bastion')['group_names'], ['monitoring']);
  t.is(v['inventory_dir'], fixture('lab').replace(/\/$/, ''));
  // As in Ansible (checked with `ansible -m debug -a var=group_names`): an ungrouped host has ['ungrouped'].
  const flat = await loadInventory(fixture('flat', 'inventory.yaml'));
  t.deepEqual(hostVars(flat, 'lonely')['group_names'], ['ungrouped']);
});

test('groupsMap is the groups magic variable, as Ansible prints it', async (t) => {
  const inv = await lab();
  // Captured with: ansible -i test/fixtures/inventories/lab/hosts.yml r2 -c local -m debug -a "msg={{ groups }}"
  t.deepEqual(groupsMap(inv), {
    all: ['bastion', 'host1', 'r1', 'r2'],
    clients: ['host1'],
    edge_routers: ['r2'],
    gateways: ['r1', 'r2'],
    monitoring: ['host1', 'bastion'],
    routers: ['r1', 'r2'],
    ungrouped: [],
  });
});

test('unknown host is an error naming it', async (t) => {
  const inv = await lab();
  t.throws(() => hostVars(inv, 'nope'), { message: /unknown host 'nope'/ });
});
