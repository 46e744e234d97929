import test from 'ava';
import { homedir, userInfo } from 'node:os';
import { ProvError } from '../../../src/core/errors.js';
import { connectionOf, knownHostsFromSshArgs } from '../../../src/inventory/connection.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { hostVars } from '../../../src/inventory/vars.js';
import { fixture } from './fixtures.js';

test('defaults: inventory name, port 22, current user, no become', (t) => {
  t.deepEqual(connectionOf({}, 'r1'), { address: 'r1', port: 22, user: userInfo().username, become: false, becomeUser: 'root', kind: 'ssh' });
});

test('connection variables from the lab inventory', async (t) => {
  const inv = await loadInventory(fixture('lab', 'hosts.yml'));
  const r2 = connectionOf(hostVars(inv, 'r2'), 'r2');
  t.like(r2, { address: '192.168.100.21', port: 2222, user: 'admin', become: false });
  t.like(connectionOf(hostVars(inv, 'host1'), 'host1'), { address: '192.168.100.100', become: true });
});

test('key file: ~ expanded, relative paths against the inventory dir', (t) => {
  t.is(connectionOf({ ansible_ssh_private_key_file: '~/.ssh/id_lab' }, 'h').privateKeyFile, `${homedir()}/.ssh/id_lab`);
  t.is(connectionOf({ ansible_private_key_file: 'keys/id', inventory_dir: '/srv/inv' }, 'h').privateKeyFile, '/srv/inv/keys/id');
  t.is(connectionOf({ ansible_ssh_private_key_file: 'k' }, 'h', { baseDir: '/x' }).privateKeyFile, '/x/k');
});

test('become is bool-ish; become_user and local connection', (t) => {
  for (const v of [true, 'yes', 'true', 'True', 'on', 1, '1']) t.true(connectionOf({ ansible_become: v }, 'h').become, String(v));
  for (const v of [false, 'no', 'false', 0, 'off']) t.false(connectionOf({ ansible_become: v }, 'h').become, String(v));
  t.like(connectionOf({ ansible_become_user: 'frr', ansible_connection: 'local' }, 'h'), { becomeUser: 'frr', kind: 'local' });
  t.is(connectionOf({ ansible_port: '2200' }, 'h').port, 2200);
});

test('templated connection variables are rendered', (t) => {
  const c = connectionOf({ mgmt_ip: '10.1.1.1', ansible_host: '{{ mgmt_ip }}', ansible_port: '{{ 2000 + 22 }}' }, 'h');
  t.is(c.address, '10.1.1.1');
  t.is(c.port, 2022);
});

test('known hosts file from prov_known_hosts_file or ssh args', (t) => {
  t.is(connectionOf({ prov_known_hosts_file: '/etc/prov/kh' }, 'h').knownHostsFile, '/etc/prov/kh');
  t.is(connectionOf({ ansible_ssh_common_args: '-o StrictHostKeyChecking=yes -o UserKnownHostsFile=/tmp/kh' }, 'h').knownHostsFile, '/tmp/kh');
  t.is(connectionOf({ ansible_ssh_extra_args: "-o 'UserKnownHostsFile /tmp/k 2'" }, 'h').knownHostsFile, '/tmp/k');
  t.is(knownHostsFromSshArgs('-oUserKnownHostsFile="/a/b c"'), '/a/b', 'ssh splits the value into several files; the first is used');
  t.is(knownHostsFromSshArgs('-o ProxyJump=bastion'), undefined);
});

const wrong: Array<[Record<string, unknown>, RegExp]> = [
  [{ ansible_port: 'ssh' }, /host 'r9': ansible_port must be a port number \(1-65535\), got "ssh"/],
  [{ ansible_port: 70000 }, /ansible_port must be a port number/],
  [{ ansible_become: 'maybe' }, /host 'r9': ansible_become must be a boolean/],
  [{ ansible_user: ['a'] }, /host 'r9': ansible_user must be a non-empty string/],
  [{ ansible_host: '' }, /ansible_host must be a non-empty string/],
  [{ ansible_connection: 'winrm' }, /ansible_connection must be 'ssh' or 'local'/],
  [{ ansible_ssh_common_args: 5 }, /ansible_ssh_common_args must be a string/],
  [{ ansible_host: '{{ nope }}' }, /host 'r9': ansible_host: undefined variable 'nope'/],
];
for (const [vars, message] of wrong) {
  test(`wrong connection variable ${JSON.stringify(vars)}`, (t) => {
    const err = t.throws(() => connectionOf(vars, 'r9'), { message });
    t.true(err instanceof ProvError && err.kind === 'parse');
  });
}
