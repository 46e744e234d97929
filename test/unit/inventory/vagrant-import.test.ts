import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProvError } from '../../../src/core/errors.js';
import { splitShellWords } from '../../../src/core/shell-words.js';
import { acceptNewFromSshArgs, connectionOf, knownHostsFromSshArgs } from '../../../src/inventory/connection.js';
import { shellQuote, vagrantInventory } from '../../../src/inventory/vagrant-inventory.js';
import { parseVagrantSshConfig } from '../../../src/inventory/vagrant-ssh-config.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/vagrant/${name}.ssh-config`, import.meta.url)), 'utf8');
const none = () => false;

test('the seed demo: three machines, port 22, one key each, host keys unchecked', (t) => {
  const machines = parseVagrantSshConfig(fixture('seed'), 'seed');
  t.deepEqual(
    machines.map((m) => [m.name, m.hostName, m.port, m.user, m.identityFiles.length, m.hostKeysUnchecked]),
    [
      ['host', '192.168.121.100', 22, 'vagrant', 1, true],
      ['r1', '192.168.121.120', 22, 'vagrant', 1, true],
      ['r2', '192.168.121.121', 22, 'vagrant', 1, true],
    ],
  );
});

test('quoted IdentityFile with a space, several IdentityFile lines, a forwarded port, ProxyCommand verbatim', (t) => {
  const [r1, r2, app1] = parseVagrantSshConfig(fixture('tricky'), 'tricky');
  t.deepEqual(r1!.identityFiles, ['/home/dev/my vms/.vagrant/machines/r1/libvirt/private_key', '/home/dev/.vagrant.d/insecure_private_key']);
  t.is(r1!.port, 2222);
  t.is(r2!.proxyCommand, "ssh 'hv.example.net' -l 'lab ops' -i '/home/dev/.ssh/id_ed25519' -W %h:%p");
  t.is(app1!.port, 2200);
  t.false(app1!.hostKeysUnchecked, 'a machine with verify_host_key has no /dev/null known_hosts');
});

test('ssh_config syntax beyond the template: Keyword=value, any case, comments', (t) => {
  const [m] = parseVagrantSshConfig('# c\nHost=r7\n  hostname=10.0.0.7\n  PORT 2201\n  identityfile "/k 1"\n', 'x');
  t.like(m, { name: 'r7', hostName: '10.0.0.7', port: 2201, identityFiles: ['/k 1'], hostKeysUnchecked: false });
});

const broken: Array<[string, RegExp]> = [
  ['', /^x: no Host block/],
  ['  HostName 1.2.3.4\n', /^x:1: 'HostName' before the first Host line/],
  ['Host a\n  User v\n', /^x:1: Host a has no HostName/],
  ['Host a\n  HostName h\n  Port twenty\n', /^x:3: a: Port 'twenty' is not a port number/],
  ['Host a\n  HostName h\n\nHost a\n  HostName h\n', /^x:4: Host a appears twice/],
  ['Host a\n  Include /etc/ssh/extra\n  HostName h\n', /^x:2: a: Include \/etc\/ssh\/extra: prov does not read included/],
  ['Host a b\n  HostName h\n', /names more than one machine/],
];
for (const [text, message] of broken) {
  test(`refused: ${JSON.stringify(text)}`, (t) => {
    const err = t.throws(() => parseVagrantSshConfig(text, 'x'), { message });
    t.true(err instanceof ProvError && err.kind === 'parse');
  });
}

test('routers by the default pattern r[0-9]*, the rest hosts; become on', (t) => {
  const { document } = vagrantInventory(parseVagrantSshConfig(fixture('seed'), 'seed'), { exists: none });
  t.deepEqual(Object.keys(document.all.children.routers.hosts), ['r1', 'r2']);
  t.deepEqual(Object.keys(document.all.children.hosts.hosts), ['host']);
  t.like(document.all.children.routers.hosts['r1'], {
    ansible_host: '192.168.121.120',
    ansible_port: 22,
    ansible_user: 'vagrant',
    ansible_ssh_private_key_file: '/home/dev/prov/.vagrant/machines/r1/libvirt/private_key',
    ansible_become: true,
  });
});

test('--routers PATTERN; a pattern that matches nothing is said', (t) => {
  const machines = parseVagrantSshConfig(fixture('tricky'), 'tricky');
  t.deepEqual(Object.keys(vagrantInventory(machines, { routersPattern: 'app*', exists: none }).document.all.children.routers.hosts), ['app1']);
  const { notes } = vagrantInventory(machines, { routersPattern: 'gw*', exists: none });
  t.true(notes.some((n) => /no machine matches the routers pattern 'gw\*'/.test(n)));
});

test('several IdentityFile lines: the first that exists wins, else the first', (t) => {
  const machines = parseVagrantSshConfig(fixture('tricky'), 'tricky');
  const keyOf = (exists: (p: string) => boolean) =>
    vagrantInventory(machines, { exists }).document.all.children.routers.hosts['r1']!['ansible_ssh_private_key_file'];
  t.is(keyOf(none), '/home/dev/my vms/.vagrant/machines/r1/libvirt/private_key');
  t.is(
    keyOf((p) => p.includes('insecure')),
    '/home/dev/.vagrant.d/insecure_private_key',
  );
});

test('ProxyCommand and trust on first use become ssh args that split back into the same words', (t) => {
  const machines = parseVagrantSshConfig(fixture('tricky'), 'tricky');
  const { document, notes } = vagrantInventory(machines, { exists: none });
  const args = document.all.children.routers.hosts['r2']!['ansible_ssh_common_args'] as string;
  t.deepEqual(splitShellWords(args), [
    '-o',
    "ProxyCommand=ssh 'hv.example.net' -l 'lab ops' -i '/home/dev/.ssh/id_ed25519' -W %h:%p",
    '-o',
    'UserKnownHostsFile="{{ inventory_dir }}/known_hosts"',
    '-o',
    'StrictHostKeyChecking=accept-new',
  ]);
  t.is(document.all.children.hosts.hosts['app1']!['ansible_ssh_common_args'], undefined, 'host keys checked: nothing to add');
  t.true(notes.some((n) => /^r1, r2: .*trusted on first use and recorded in known_hosts beside this inventory, never in ~\/\.ssh\/known_hosts/.test(n)));
});

test('the connection of an imported machine: its own known_hosts (path with a space) and accept-new', (t) => {
  const { document } = vagrantInventory(parseVagrantSshConfig(fixture('tricky'), 'tricky'), { exists: none });
  const vars = { ...document.all.children.routers.hosts['r1']!, inventory_dir: '/srv/my demo/vagrant/inventory' };
  t.like(connectionOf(vars, 'r1'), {
    address: '127.0.0.1',
    port: 2222,
    user: 'vagrant',
    become: true,
    knownHostsFile: '/srv/my demo/vagrant/inventory/known_hosts',
    trustNewHostKeys: true,
  });
  t.is(connectionOf({ ...document.all.children.hosts.hosts['app1']! }, 'app1').trustNewHostKeys, undefined);
});

test('ssh options as ssh reads them: a double-quoted value, accept-new only', (t) => {
  t.is(knownHostsFromSshArgs(`-o 'UserKnownHostsFile="/a b/kh" /other'`), '/a b/kh');
  t.true(acceptNewFromSshArgs('-o StrictHostKeyChecking=accept-new'));
  t.true(acceptNewFromSshArgs("-o'StrictHostKeyChecking Accept-New'"));
  t.false(acceptNewFromSshArgs('-o StrictHostKeyChecking=no'), '"no" (accept any key, even a changed one) is not honoured');
  t.false(acceptNewFromSshArgs('-o StrictHostKeyChecking=accept-new -o StrictHostKeyChecking=yes'), 'the last one wins');
});

test('shellQuote: bare when safe, single quotes otherwise', (t) => {
  t.is(shellQuote('StrictHostKeyChecking=accept-new'), 'StrictHostKeyChecking=accept-new');
  t.is(shellQuote("it's"), `'it'"'"'s'`);
  t.deepEqual(splitShellWords(shellQuote(`a "b" 'c' $d \\e`)), [`a "b" 'c' $d \\e`]);
});
