/**
 * INI inventories: the errors (one line, `file:line:`, exit code 4, Ansible's wording where
 * Ansible has one: checked against the "Failed to parse ... with ini plugin" warning of
 * ansible-inventory 2.14), the Python-literal reading of values and the shell-like splitting of
 * host lines. What prov reads is compared with ansible-inventory in
 * test/integration/inventory-oracle-ini.test.ts.
 */
import test from 'ava';
import { ProvError } from '../../../src/core/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { iniValue, literalEval, LiteralError } from '../../../src/inventory/python-literal.js';
import { ShellWordsError as ShlexError, splitShellWords } from '../../../src/core/shell-words.js';

const shlexSplit = (line: string) => splitShellWords(line, { comments: true });
import { inventoryVars } from '../../../src/inventory/vars.js';
import { makeProject } from '../../helpers/project.js';

const errors: Array<[string, number, RegExp]> = [
  ['[g:nope]\nh1\n', 1, /Section \[g:nope\] has unknown type: nope$/],
  ['[g x]\nh1\n', 1, /Invalid section entry: '\[g x\]'\. Please make sure that there are no spaces/],
  ['h1 novalue\n', 1, /Expected key=value host variable assignment, got: novalue$/],
  ['[g]\nh1\nh2 a="unclosed\n', 3, /Error parsing host definition 'h2 a="unclosed': No closing quotation$/],
  ['[g:children]\nbad:name\n', 2, /Expected group name, got: bad:name$/],
  ['[g:children]\nmissing\n', 2, /Section \[g:children\] includes undefined group: missing$/],
  ['[g]\nh\n[late:vars]\nv=1\n', 3, /Section \[late:vars\] not valid for undefined group: late$/],
  ['[g]\nh\n[g:vars]\nnoequals\n', 4, /Expected key=value, got: noequals$/],
  ['[g]\nh1 a=1j\n', 2, /value "1j": a complex number is not supported/],
  ['[g]\nh1 a="{1, 2}"\n', 2, /a Python set is not supported/],
  ['[g]\nh1 a=99999999999999999999\n', 2, /integer 99999999999999999999 is too large/],
  ['[g]\n[g:vars]\nansible_group_priority=high\n', 3, /ansible_group_priority must be an integer/],
  ['[a:children]\nb\n[b:children]\na\n', 4, /creates a cycle/],
  ['[g]\nh1 __proto__=1\n', 2, /variable name '__proto__' is not allowed/],
  ['[g]\n../etc/x\n', 2, /is not a valid host name: it contains a path separator/],
  ['[g]\nweb[1:x]\n', 2, /host range '\[1:x\]' must be numeric or single letters/],
];

for (const [text, line, pattern] of errors) {
  test(`INI error at line ${line}: ${JSON.stringify(text)}`, async (t) => {
    const p = await makeProject({ hosts: text });
    t.teardown(p.remove);
    const err = await t.throwsAsync(loadInventory(p.path('hosts')));
    t.true(err instanceof ProvError);
    t.is((err as ProvError).exitCode, 4);
    t.true(err!.message.startsWith(`${p.path('hosts')}:${line}: `), err!.message);
    t.regex(err!.message, pattern);
    t.false(err!.message.includes('\n'));
  });
}

test('a file with an extension other than .yml, .yaml, .json is INI only, never YAML', async (t) => {
  const p = await makeProject({ 'hosts.ini': 'all:\n  hosts:\n    r1:\n' });
  t.teardown(p.remove);
  const err = await t.throwsAsync(loadInventory(p.path('hosts.ini')));
  t.regex(err!.message, /hosts\.ini:1: Invalid host pattern 'all:' supplied, ending in ':' is not allowed/);
});

test('broken YAML in a file without extension reports the YAML error; a [section] makes it INI', async (t) => {
  const p = await makeProject({ yamlish: 'all:\n  hosts:\n    r1: {\n', iniish: '[g]\nh1 a="x\n' });
  t.teardown(p.remove);
  t.regex((await t.throwsAsync(loadInventory(p.path('yamlish'))))!.message, /yamlish:\d+: YAML syntax error/);
  t.regex((await t.throwsAsync(loadInventory(p.path('iniish'))))!.message, /iniish:2: Error parsing host definition/);
});

test('an executable inventory script is refused, not run', async (t) => {
  const p = await makeProject({ 'inv.sh': '#!/bin/sh\necho {}\n' });
  t.teardown(p.remove);
  const { chmod } = await import('node:fs/promises');
  await chmod(p.path('inv.sh'), 0o755);
  const err = await t.throwsAsync(loadInventory(p.path('inv.sh')));
  t.regex(err!.message, /inv\.sh: is an inventory script .* prov does not run inventory scripts/);
});

test('an inventory plugin configuration other than aws_ec2 is refused, not run', async (t) => {
  const p = await makeProject({ 'inventory.gcp.yml': 'plugin: google.cloud.gcp_compute\nprojects: [p1]\n' });
  t.teardown(p.remove);
  const err = await t.throwsAsync(loadInventory(p.path('inventory.gcp.yml')));
  t.regex(
    err!.message,
    /inventory\.gcp\.yml:1: is the configuration of the inventory plugin 'google\.cloud\.gcp_compute': prov does not run inventory plugins/,
  );
});

test('an empty INI file or directory is an error, not an empty run', async (t) => {
  const p = await makeProject({ hosts: '# only a comment\n\n; another\n', 'dir/.hidden': 'h1\n' });
  t.teardown(p.remove);
  t.regex((await t.throwsAsync(loadInventory(p.path('hosts'))))!.message, /hosts: empty inventory/);
  t.regex((await t.throwsAsync(loadInventory(p.path('dir'))))!.message, /dir: inventory directory holds no inventory file/);
});

test('inventory_dir and inventory_file are those of the file a host was first seen in', async (t) => {
  const p = await makeProject({ 'a/hosts': '[g]\nh1\n', 'b/hosts': '[g]\nh1\nh2\n' });
  t.teardown(p.remove);
  const inv = await loadInventory([p.path('a/hosts'), p.path('b/hosts')]);
  const { hostVars } = await import('../../../src/inventory/vars.js');
  t.is(hostVars(inv, 'h1')['inventory_dir'], p.path('a'));
  t.is(hostVars(inv, 'h2')['inventory_file'], p.path('b/hosts'));
  t.deepEqual(inv.sources, [p.path('a/hosts'), p.path('b/hosts')]);
  t.deepEqual(inventoryVars(inv, 'h1'), {});
});

test('Python literals: the value, else the text unchanged', (t) => {
  const cases: Array<[string, unknown]> = [
    ['1', 1],
    ['-3', -3],
    ['+5', 5],
    ['- 2', -2],
    ['-(1)', -1],
    ['(-1)', -1],
    ['1.5', 1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['1_000', 1000],
    ['00', 0],
    ['07', '07'],
    ['1_', '1_'],
    ['1__0', '1__0'],
    ['True', true],
    ['False', false],
    ['None', null],
    ['true', 'true'],
    ['yes', 'yes'],
    ['Truex', 'Truex'],
    ["'a'", 'a'],
    ['"a b"', 'a b'],
    ["'a' 'b'", 'ab'],
    ["u'x'", 'x'],
    ["r'\\n'", '\\n'],
    ["'\\n'", '\n'],
    ["'\\x41'", 'A'],
    ["'\\u00e9'", 'é'],
    ["'\\U0001F600'", '😀'],
    ["'\\101'", 'A'],
    ["'\\d'", '\\d'],
    ["b'abc'", 'abc'],
    ["'''tri'''", 'tri'],
    ["f'x'", "f'x'"],
    ["'a' b'c'", "'a' b'c'"],
    ["'unclosed", "'unclosed"],
    ["'\\x4'", "'\\x4'"],
    ['[1, 2]', [1, 2]],
    ['[1, 2,]', [1, 2]],
    ['[]', []],
    ['(1, 2)', [1, 2]],
    ['(1,)', [1]],
    ['()', []],
    ['(1)', 1],
    ["{'a': [1, {'b': None}]}", { a: [1, { b: null }] }],
    ['{}', {}],
    ["{'a': 1,}", { a: 1 }],
    ['{a: 1}', '{a: 1}'],
    ['[1,,2]', '[1,,2]'],
    ['1 + 1', '1 + 1'],
    ['--1', '--1'],
    ['-True', '-True'],
    ['abc', 'abc'],
    ['1 # comment', 1],
    ['# comment', '# comment'],
    ['  1', 1],
    ['', ''],
    ['1.2.3', '1.2.3'],
    ['10.0.0.1', '10.0.0.1'],
    ['/etc/hosts', '/etc/hosts'],
    ['[1, 2', '[1, 2'],
    ['1if 1 else 2', '1if 1 else 2'],
    ['set()', undefined],
  ];
  for (const [text, want] of cases) {
    if (want === undefined) {
      t.throws(() => iniValue(text), { instanceOf: LiteralError }, text);
      continue;
    }
    t.deepEqual(iniValue(text), want, text);
  }
  t.is(literalEval('abc'), undefined);
  t.deepEqual(literalEval('abc '), undefined);
  for (const text of ['1j', '1+2j', '{1, 2}', '{1}', '...', "b'\\xff'", "'\\N{DASH}'", '1e999', '{(1, 2): 3}']) {
    t.throws(() => iniValue(text), { instanceOf: LiteralError }, text);
  }
});

test('host lines split as Python shlex.split(comments=True)', (t) => {
  t.deepEqual(shlexSplit('h1 a=1 b=2'), ['h1', 'a=1', 'b=2']);
  t.deepEqual(shlexSplit(`h1 a="x y" b='p q'r`), ['h1', 'a=x y', 'b=p qr']);
  t.deepEqual(shlexSplit('h1 c=d#comment e=f'), ['h1', 'c=d']);
  t.deepEqual(shlexSplit('h1 # trailing'), ['h1']);
  t.deepEqual(shlexSplit('h1 k="a \\"q\\" \\w" back=a\\ b'), ['h1', 'k=a "q" \\w', 'back=a b']);
  t.deepEqual(shlexSplit(`h1 e='' f=""`), ['h1', 'e=', 'f=']);
  t.deepEqual(shlexSplit(`h1 a="#not a comment"`), ['h1', 'a=#not a comment']);
  t.throws(() => shlexSplit('h1 a="x'), { instanceOf: ShlexError, message: 'No closing quotation' });
  t.throws(() => shlexSplit('h1 a\\'), { instanceOf: ShlexError, message: 'No escaped character' });
});
