import test from 'ava';
import { join } from 'node:path';
import { ProvError } from '../../../src/core/errors.js';
import { inventoryListJson, toAnsibleJsonText } from '../../../src/inventory/ansible-json.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { varsFilesFor } from '../../../src/inventory/vars-files.js';
import { groupsMap } from '../../../src/inventory/vars.js';
import { makeProject } from '../../helpers/project.js';

// Host and group names become file names under host_vars/ and group_vars/: a name that leaves
// those directories must be refused before anything is read, with a one-line parse error that
// names the inventory file, the line and the name, and never quotes the file it pointed at.

const SECRET = 'TOPSECRET-d41d8cd98f00b204e9800998ecf8427e';
const PRIVATE_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n${SECRET}\n-----END OPENSSH PRIVATE KEY-----\n`;

async function refused(t: import('ava').ExecutionContext, files: Record<string, string>, inventory: string, pattern: RegExp): Promise<string> {
  const p = await makeProject(files);
  t.teardown(p.remove);
  const err = await t.throwsAsync(loadInventory(p.path(inventory)));
  t.true(err instanceof ProvError, String(err));
  t.is((err as ProvError).exitCode, 4);
  t.true(err!.message.startsWith(`${p.path(inventory)}:`), err!.message);
  t.regex(err!.message, pattern);
  t.false(err!.message.includes('\n'), 'one line');
  t.false(err!.message.includes(SECRET), `no file contents in: ${err!.message}`);
  return err!.message;
}

test('a host named ../../../secret is refused; the file it names is never read', async (t) => {
  const message = await refused(
    t,
    {
      'inv/hosts.yml': 'all:\n  hosts:\n    r1:\n    "../../secret.yml":\n',
      'secret.yml': `password: ${SECRET}\n`,
    },
    'inv/hosts.yml',
    /^.*hosts\.yml:4: host "\.\.\/\.\.\/secret\.yml" is not a valid host name: it contains a path separator/,
  );
  t.regex(message, /host_vars/);
});

test('a group named after a path is refused before its "group_vars" (an SSH private key) are read', async (t) => {
  await refused(
    t,
    {
      'inv/hosts.yml': 'all:\n  children:\n    routers:\n      hosts: { r1: }\n    "../../ssh_host_ed25519_key":\n      hosts: { r2: }\n',
      ssh_host_ed25519_key: PRIVATE_KEY,
    },
    'inv/hosts.yml',
    /hosts\.yml:5: group "\.\.\/\.\.\/ssh_host_ed25519_key" is not a valid group name: it contains a path separator/,
  );
});

test("a host named '..' (the inventory directory itself) is refused", async (t) => {
  await refused(
    t,
    {
      'hosts.yml': 'all:\n  hosts:\n    "..":\n',
      'secret.yml': `password: ${SECRET}\n`,
    },
    'hosts.yml',
    /hosts\.yml:3: host "\.\." is not a valid host name/,
  );
});

const BAD_NAMES: Array<[string, string, RegExp]> = [
  ['.', '"."', /directory, not a name/],
  ['..', '".."', /directory, not a name/],
  ['a/b', '"a/b"', /path separator/],
  ['/etc/passwd', '"/etc/passwd"', /path separator/],
  ['a\\\\b', '"a\\\\b"', /path separator/],
  ['~root', '"~root"', /starts with '~'/],
  ['a\\0b', '"a\\u0000b"', /control character/],
  ['a\\nb', '"a\\nb"', /control character/],
  ['a\\eb', '"a\\u001bb"', /control character/],
  ['', '""', /empty/],
  ['__proto__', '"__proto__"', /'__proto__' is reserved/],
];

for (const [yamlName, shown, why] of BAD_NAMES) {
  test(`host name "${yamlName}" is refused`, async (t) => {
    const message = await refused(t, { 'hosts.yml': `all:\n  hosts:\n    r1:\n    "${yamlName}":\n` }, 'hosts.yml', why);
    t.true(message.includes(`:4: host ${shown} is not a valid host name: `), message);
  });
  test(`group name "${yamlName}" is refused`, async (t) => {
    const message = await refused(t, { 'hosts.yml': `all:\n  children:\n    "${yamlName}":\n      hosts: { r1: }\n` }, 'hosts.yml', why);
    t.true(message.includes(`:3: group ${shown} is not a valid group name: `), message);
  });
}

test('a host range that expands to a path is refused', async (t) => {
  await refused(t, { 'hosts.yml': 'all:\n  hosts:\n    "r[1:2]/../../x":\n' }, 'hosts.yml', /host "r1\/\.\.\/\.\.\/x" is not a valid host name/);
});

test('a long hostile name is quoted as a short excerpt', async (t) => {
  const message = await refused(t, { 'hosts.yml': `all:\n  hosts:\n    "${'../'.repeat(200)}etc/shadow":\n` }, 'hosts.yml', /path separator/);
  t.true(message.length < 300, message);
});

test('names Ansible accepts still load: dashes, dots, IPv6, ports, ranges, non-ASCII, JavaScript property names', async (t) => {
  const p = await makeProject({
    'hosts.yml': [
      'all:',
      '  children:',
      '    web-servers:',
      '      hosts:',
      '        r1.example.com:',
      '        "[2001:db8::1]:2222":',
      '        10.0.0.1:',
      '        web[01:02]:',
      '        routeur-é:',
      '    constructor:',
      '      hosts:',
      '        prototype:',
      '        toString:',
      '        hasOwnProperty:',
      '',
    ].join('\n'),
    'group_vars/constructor.yml': 'from_group_file: yes\n',
    'host_vars/toString.yml': 'from_host_file: 1\n',
  });
  t.teardown(p.remove);
  const inv = await loadInventory(p.path('hosts.yml'));
  t.deepEqual([...inv.hosts.keys()], ['r1.example.com', '2001:db8::1', '10.0.0.1', 'web01', 'web02', 'routeur-é', 'prototype', 'toString', 'hasOwnProperty']);
  t.deepEqual(inv.groups.get('constructor')!.fileVars, { from_group_file: true });
  t.deepEqual(inv.hosts.get('toString')!.fileVars, { from_host_file: 1 });
  t.deepEqual(inv.hosts.get('hasOwnProperty')!.fileVars, {});
});

test('a group_vars file that is one long scalar: the error quotes at most 80 characters of its first line', async (t) => {
  const line = `${'x'.repeat(200)}${SECRET}`;
  const p = await makeProject({
    'hosts.yml': 'all:\n  hosts:\n    r1:\n',
    'group_vars/all.yml': `# comment\n${line}\n${SECRET}\n`,
  });
  t.teardown(p.remove);
  const err = await t.throwsAsync(loadInventory(p.path('hosts.yml')));
  t.is((err as ProvError).exitCode, 4);
  const prefix = `${p.path('group_vars/all.yml')}:2: expected a mapping of variables, got a string: `;
  t.true(err!.message.startsWith(prefix), err!.message);
  t.is(err!.message.slice(prefix.length), `"${'x'.repeat(80)}"…`);
  t.false(err!.message.includes(SECRET));
});

test('a host_vars file holding a private key (a multi-line scalar) is not quoted past its first line', async (t) => {
  const p = await makeProject({ 'hosts.yml': 'all:\n  hosts:\n    r1:\n', 'host_vars/r1': PRIVATE_KEY });
  t.teardown(p.remove);
  const err = await t.throwsAsync(loadInventory(p.path('hosts.yml')));
  t.is(err!.message, `${p.path('host_vars/r1')}:1: expected a mapping of variables, got a string: "-----BEGIN OPENSSH PRIVATE KEY-----"`);
});

test('an inventory that is one scalar, and a scalar where a mapping belongs, are quoted as short excerpts', async (t) => {
  const p = await makeProject({
    'key.yml': PRIVATE_KEY,
    'group.yml': `all:\n  children:\n    routers: "${'y'.repeat(500)}${SECRET}"\n`,
  });
  t.teardown(p.remove);
  for (const file of ['key.yml', 'group.yml']) {
    const err = await t.throwsAsync(loadInventory(p.path(file)));
    t.is((err as ProvError).exitCode, 4);
    t.false(err!.message.includes(SECRET), err!.message);
    t.true(err!.message.length < p.path(file).length + 200, err!.message);
  }
  const err = await t.throwsAsync(loadInventory(p.path('key.yml')));
  t.is(err!.message, `${p.path('key.yml')}:1: expected a mapping of groups at the top level, got a string: "-----BEGIN OPENSSH PRIVATE KEY-----"`);
});

test('varsFilesFor never looks outside the vars directory, whatever the name', async (t) => {
  const p = await makeProject({ 'group_vars/all.yml': 'a: 1\n', 'secret.yml': `password: ${SECRET}\n`, 'group_vars/sub/x.yml': 'b: 2\n' });
  t.teardown(p.remove);
  const dir = join(p.dir, 'group_vars');
  t.deepEqual(await varsFilesFor(dir, 'all'), [join(dir, 'all.yml')]);
  for (const name of ['../secret', 'sub/../../secret', '..', '.', '/etc/passwd', 'sub/x']) {
    const err = await t.throwsAsync(varsFilesFor(dir, name), undefined, name);
    t.true(err instanceof ProvError, name);
    t.is((err as ProvError).exitCode, 4);
    t.regex(err!.message, /would be outside/);
  }
});

test('NAME.yml is looked up as a file only; a directory of files is only NAME/ (as Ansible does)', async (t) => {
  const p = await makeProject({ 'group_vars/routers.yml/inner.yml': 'a: 1\n', 'group_vars/hosts/inner.yml': 'b: 2\n' });
  t.teardown(p.remove);
  const dir = join(p.dir, 'group_vars');
  t.deepEqual(await varsFilesFor(dir, 'routers'), []);
  t.deepEqual(await varsFilesFor(dir, 'hosts'), [join(dir, 'hosts', 'inner.yml')]);
});

const PROTO_CASES: Array<[string, Record<string, string>, string, RegExp]> = [
  [
    'inline group vars',
    { 'hosts.yml': 'all:\n  vars:\n    a: 1\n    __proto__: { polluted: 1 }\n  hosts:\n    r1:\n' },
    'hosts.yml:4:',
    /group 'all': variable name '__proto__' is not allowed/,
  ],
  ['inline host vars', { 'hosts.yml': 'all:\n  hosts:\n    r1:\n      __proto__: 1\n' }, 'hosts.yml:4:', /host 'r1': variable name '__proto__' is not allowed/],
  [
    'a group_vars file',
    { 'hosts.yml': 'all:\n  hosts:\n    r1:\n', 'group_vars/all.yml': 'a: 1\n"__proto__": { polluted: 1 }\n' },
    'group_vars/all.yml:2:',
    /variable name '__proto__' is not allowed/,
  ],
  [
    'a host_vars file',
    { 'hosts.yml': 'all:\n  hosts:\n    r1:\n', 'host_vars/r1/10.yml': '__proto__: x\n' },
    'host_vars/r1/10.yml:1:',
    /variable name '__proto__' is not allowed/,
  ],
];

for (const [where, files, at, pattern] of PROTO_CASES) {
  test(`a variable named __proto__ in ${where} is refused by name`, async (t) => {
    const p = await makeProject(files);
    t.teardown(p.remove);
    const err = await t.throwsAsync(loadInventory(p.path('hosts.yml')));
    t.is((err as ProvError).exitCode, 4);
    t.true(err!.message.startsWith(p.path(at)), err!.message);
    t.regex(err!.message, pattern);
  });
}

test('a nested key named __proto__ is data: ansible-inventory --list prints it', async (t) => {
  const p = await makeProject({ 'hosts.yml': 'all:\n  hosts:\n    r1:\n      peer: { __proto__: { polluted: 1 }, asn: 65000 }\n' });
  t.teardown(p.remove);
  const json = JSON.parse(toAnsibleJsonText(inventoryListJson(await loadInventory(p.path('hosts.yml')))));
  t.deepEqual(Object.entries(json._meta.hostvars.r1.peer), [
    ['__proto__', { polluted: 1 }],
    ['asn', 65000],
  ]);
});

test("the groups map has only the inventory's groups: groups['constructor'] is nothing unless such a group exists", async (t) => {
  const p = await makeProject({ 'hosts.yml': 'all:\n  children:\n    toString:\n      hosts: { r1: }\n' });
  t.teardown(p.remove);
  const groups = groupsMap(await loadInventory(p.path('hosts.yml')));
  t.deepEqual(groups['toString'], ['r1']);
  t.is(groups['constructor'] as unknown, undefined);
  t.is(groups['hasOwnProperty'] as unknown, undefined);
  t.deepEqual(JSON.parse(JSON.stringify(groups)), { all: ['r1'], ungrouped: [], toString: ['r1'] });
});
