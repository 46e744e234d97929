import test from 'ava';
import { loadInventory } from '../../../src/inventory/load.js';
import { fixture } from './fixtures.js';

test('loads the nested lab inventory: groups, children, hosts in file order', async (t) => {
  const inv = await loadInventory(fixture('lab', 'hosts.yml'));
  t.is(inv.source, fixture('lab', 'hosts.yml'));
  t.deepEqual([...inv.hosts.keys()], ['bastion', 'r1', 'r2', 'host1']);
  t.deepEqual(inv.groups.get('all')!.children, ['ungrouped', 'gateways', 'clients', 'monitoring']);
  t.deepEqual(inv.groups.get('gateways')!.children, ['routers']);
  t.deepEqual(inv.groups.get('routers')!.children, ['edge_routers']);
  t.deepEqual(inv.groups.get('routers')!.hosts, ['r1', 'r2']);
  t.deepEqual(inv.groups.get('edge_routers')!.hosts, ['r2']);
  t.deepEqual(inv.groups.get('monitoring')!.hosts, ['host1', 'bastion']);
  // bastion is under all.hosts but also in monitoring, so it is not ungrouped.
  t.deepEqual(inv.groups.get('ungrouped')!.hosts, []);
});

test('host vars from two groups merge; group_vars and host_vars folders are read in sorted order', async (t) => {
  const inv = await loadInventory(fixture('lab', 'hosts.yml'));
  const r2 = inv.hosts.get('r2')!;
  t.is(r2.vars['ansible_port'], 2222);
  t.is(r2.vars['uplink'], 'ens7');
  t.deepEqual(inv.groups.get('routers')!.fileVars, {
    bgp_listen_range: '192.168.100.96/27',
    bgp_peer_group: 'fabric',
    frr_version: '8.4',
    frr_daemons: ['bgpd', 'bfdd', 'zebra'],
  });
  t.deepEqual(inv.hosts.get('r1')!.fileVars, { router_id: '10.255.0.101', nat_enabled: false });
  t.is(inv.groups.get('monitoring')!.vars['scrape_interval'], '15s');
  t.is(inv.groups.get('clients')!.vars['vpc_supernet'], '10.0.0.0/8');
  // YAML 1.1 as PyYAML reads it: `yes` is true.
  t.is(inv.hosts.get('host1')!.inlineVars!['ansible_become'], true);
});

test('top level without all:, explicit ungrouped, host ranges and host:port', async (t) => {
  const inv = await loadInventory(fixture('flat', 'inventory.yaml'));
  t.deepEqual(inv.groups.get('routers')!.hosts, ['r1', 'r2', 'r3']);
  t.deepEqual(inv.groups.get('web')!.hosts, ['wwwa.example.com', 'wwwb.example.com', 'wwwc.example.com', 'db01.example.com']);
  t.is(inv.hosts.get('db01.example.com')!.vars['ansible_port'], 2201);
  t.deepEqual(inv.groups.get('ungrouped')!.hosts, ['lonely']);
  t.deepEqual(inv.groups.get('all')!.children, ['ungrouped', 'routers', 'web']);
});

test('a directory of inventory files loads as one inventory', async (t) => {
  const inv = await loadInventory(fixture('lab'));
  t.deepEqual([...inv.hosts.keys()], ['bastion', 'r1', 'r2', 'host1']);
  t.is(inv.groups.get('routers')!.vars['frr_version'], '8.4');
});

test('PyYAML scalars: y stays a string, 017 is octal, dates stay strings, merge keys work', async (t) => {
  const inv = await loadInventory(fixture('edge', 'inventory.yml'));
  const s1 = inv.hosts.get('s1')!.vars;
  t.is(s1['flag'], true);
  t.is(s1['short'], 'y');
  t.is(s1['octal'], 15);
  t.is(s1['date'], '2001-12-14');
  t.deepEqual(inv.groups.get('all')!.vars['interface_eth0'], { mtu: 9000, lldp: true });
  t.is(inv.groups.get('prio_low')!.priority, 10);
  t.false('ansible_group_priority' in inv.groups.get('prio_low')!.vars);
});
