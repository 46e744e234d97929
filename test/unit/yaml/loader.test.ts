import test from 'ava';
import { writeFile } from 'node:fs/promises';
import { ProvError } from '../../../src/core/errors.js';
import { parseExtraVars } from '../../../src/commands/extra-vars.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Task } from '../../../src/playbook/types.js';
import { captureWarnings } from '../../../src/core/warnings.js';
import { parseAnsibleYaml, parseYaml } from '../../../src/core/yaml/parse.js';
import { readYamlFile } from '../../../src/core/yaml/read.js';
import { makeProject } from '../../helpers/project.js';

/** The one YAML loader reads every file as Ansible (PyYAML's SafeLoader, YAML 1.1) does. */

function parseError(t: import('ava').ExecutionContext, fn: () => unknown): ProvError {
  const err = t.throws(fn);
  t.true(err instanceof ProvError, String(err));
  t.is((err as ProvError).exitCode, 4);
  t.false(err!.message.includes('\n'), 'one line');
  return err as ProvError;
}

test('booleans are YAML 1.1 as PyYAML reads them: yes/no/on/off/true/false in three spellings, not y/n', (t) => {
  const data = parseYaml('a: yes\nb: No\nc: ON\nd: off\ne: True\nf: FALSE\ng: y\nh: n\ni: oN\nj: "yes"\n', 'f.yml');
  t.deepEqual(data, { a: true, b: false, c: true, d: false, e: true, f: false, g: 'y', h: 'n', i: 'oN', j: 'yes' });
});

test('numbers are YAML 1.1: 0644 is the octal int 420, 0o644 and 1e3 are strings, 1:30 is sexagesimal 90', (t) => {
  const data = parseYaml('mode: 0644\nplain: 644\noct12: 0o644\nexp: 1e3\nfloat: 1.5\nsexa: 1:30\nhex: 0x1F\nnull1: ~\nday: 2024-01-01\n', 'f.yml');
  t.deepEqual(data, { mode: 420, plain: 644, oct12: '0o644', exp: '1e3', float: 1.5, sexa: 90, hex: 31, null1: null, day: '2024-01-01' });
});

test('merge keys: explicit keys win wherever they are, earlier merged mappings win over later ones', (t) => {
  const data = parseYaml('base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nm2:\n  y: 3\n  <<: *b\nm3:\n  <<: [*b, {z: 1, x: 9}]\n', 'f.yml');
  t.deepEqual(data, { base: { x: 1, y: 2 }, m: { x: 1, y: 3 }, m2: { y: 3, x: 1 }, m3: { x: 1, y: 2, z: 1 } });
});

test.serial("a duplicate key warns as Ansible does, naming the file, the mapping's line and column, and the key; the last value wins", async (t) => {
  const { result, warnings } = await captureWarnings(() => parseYaml('all:\n  vars:\n    a: 1\n    dup: 1\n    dup: 2\nflow: {k: 1, k: 2}\n', '/p/inv.yml'));
  t.deepEqual(result, { all: { vars: { a: 1, dup: 2 } }, flow: { k: 2 } });
  t.deepEqual(warnings, [
    'While constructing a mapping from /p/inv.yml, line 3, column 5, found a duplicate dict key (dup). Using last defined value only.',
    'While constructing a mapping from /p/inv.yml, line 6, column 7, found a duplicate dict key (k). Using last defined value only.',
  ]);
});

test.serial('a merged key overridden by an explicit one and two merge keys are not duplicates', async (t) => {
  const { warnings } = await captureWarnings(() => parseYaml('b: &b {x: 1}\nc: &c {y: 1}\nm:\n  <<: *b\n  <<: *c\n  x: 2\n', 'f.yml'));
  t.deepEqual(warnings, []);
});

test('a syntax error is one line naming the file and the line', (t) => {
  const err = parseError(t, () => parseYaml('a: 1\nb:\n  - x\n  y: [\n', '/p/site.yml'));
  t.regex(err.message, /^\/p\/site\.yml:\d+: YAML syntax error: /);
  const bad = parseError(t, () => parseYaml('a: 1\n  b: 2\n', '/p/v.yml'));
  t.regex(bad.message, /^\/p\/v\.yml:2: YAML syntax error: /);
});

function billionLaughs(levels: number): string {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < levels; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\n';
}

test('an alias bomb (billion laughs) is refused at once with a one-line error naming the file and line', (t) => {
  const started = Date.now();
  const err = parseError(t, () => parseYaml(billionLaughs(10), '/p/group_vars/all.yml'));
  t.true(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  t.regex(err.message, /^\/p\/group_vars\/all\.yml:\d+: YAML aliases expand to more than 1000000 nodes/);
});

test('aliases that expand to a modest size are fine (shared defaults merged into many hosts)', (t) => {
  const hosts = Array.from({ length: 2000 }, (_, i) => `  h${i}: {<<: *d, n: ${i}}`).join('\n');
  const data = parseYaml(`defaults: &d {a: 1, b: [1, 2, 3], c: {x: y}}\nhosts:\n${hosts}\n`, 'inv.yml') as { hosts: Record<string, unknown> };
  t.deepEqual(data.hosts.h1999, { a: 1, b: [1, 2, 3], c: { x: 'y' }, n: 1999 });
  t.true(parseYaml(billionLaughs(5), 'f.yml') !== null, '9^5 nodes is under the limit');
});

test('an alias inside the node it names (a recursive value) is refused', (t) => {
  const err = parseError(t, () => parseYaml('a: &a\n  - 1\n  - *a\n', '/p/r.yml'));
  t.regex(err.message, /^\/p\/r\.yml:3: alias \*a is inside the node it names/);
});

test('a redefined anchor is not mistaken for a recursive one', (t) => {
  t.deepEqual(parseYaml('a: &x [ &x 1, *x ]\nb: *x\n', 'f.yml'), { a: [1, 1], b: 1 });
});

test('lineOf names the line of a key by its path', (t) => {
  const parsed = parseAnsibleYaml('all:\n  children:\n    routers:\n      hosts: {}\n', 'f.yml');
  t.is(parsed.lineOf(['all', 'children', 'routers']), 3);
  t.is(parsed.lineOf(['all', 'children', 'routers', 'hosts']), 4);
});

test('a file that is not UTF-8 is refused naming the file and line; a BOM and a real U+FFFD are fine', async (t) => {
  const p = await makeProject({});
  t.teardown(p.remove);
  const latin1 = p.path('latin1.yml');
  await writeFile(latin1, Buffer.from('a: 1\nname: caf\xe9\n', 'latin1'));
  const err = await t.throwsAsync(readYamlFile(latin1));
  t.true(err instanceof ProvError);
  t.is((err as ProvError).exitCode, 4);
  t.is(err!.message.split('\n').length, 1);
  t.true(err!.message.startsWith(`${latin1}:2: not valid UTF-8 text (byte 0xe9 at column 10)`), err!.message);
  const ok = p.path('ok.yml');
  await writeFile(ok, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: "\ufffd é"\n', 'utf8')]));
  t.deepEqual(await readYamlFile(ok), { a: '\ufffd é' });
});

test('a non-UTF-8 inventory and a non-UTF-8 group_vars file are refused by name', async (t) => {
  const p = await makeProject({ 'inv.yml': 'all:\n  hosts:\n    h1:\n', 'group_vars/all.yml': 'x: 1\n' });
  t.teardown(p.remove);
  await writeFile(p.path('group_vars/all.yml'), Buffer.from('x: "\xff"\n', 'latin1'));
  const vars = await t.throwsAsync(loadInventory(p.path('inv.yml')));
  t.true(vars!.message.startsWith(`${p.path('group_vars/all.yml')}:1: not valid UTF-8`), vars!.message);
  await writeFile(p.path('inv.yml'), Buffer.from('all:\n  hosts:\n    caf\xe9:\n', 'latin1'));
  const inv = await t.throwsAsync(loadInventory(p.path('inv.yml')));
  t.is((inv as ProvError).exitCode, 4);
  t.true(inv!.message.startsWith(`${p.path('inv.yml')}:3: not valid UTF-8`), inv!.message);
});

test('group_vars, role defaults, role tasks and -e @file all go through the one loader', async (t) => {
  const p = await makeProject({
    'inv.yml': 'all:\n  hosts:\n    h1:\n',
    'group_vars/all.yml': 'gv_mode: 0644\ngv_flag: no\n',
    'site.yml': '- hosts: all\n  gather_facts: no\n  roles: [r]\n',
    'roles/r/defaults/main.yml': 'flag: no\nrd_mode: 0600\nlist: &l [1]\nagain: *l\n',
    'roles/r/tasks/main.yml': '- name: t\n  copy: {dest: /x, content: x, mode: 0640, force: off}\n  when: flag\n',
    'extra.yml': 'e_flag: on\ne_mode: 0755\n',
  });
  t.teardown(p.remove);
  const inv = await loadInventory(p.path('inv.yml'));
  t.deepEqual(inv.groups.get('all')?.vars, { gv_mode: 420, gv_flag: false });
  const book = await loadPlaybook(p.path('site.yml'));
  const play = book.plays[0]!;
  t.false(play.gatherFacts);
  t.deepEqual(play.roles[0]?.defaults, { flag: false, rd_mode: 384, list: [1], again: [1] });
  t.deepEqual((play.tasks[0] as Task | undefined)?.args, { dest: '/x', content: 'x', mode: 416, force: false });
  t.deepEqual(await parseExtraVars([`@${p.path('extra.yml')}`, '{"j": yes}']), { e_flag: true, e_mode: 493, j: true });
});

test.serial('a duplicate key in a role file or a playbook warns with the file; the play keeps the last value', async (t) => {
  const p = await makeProject({
    'site.yml': '- hosts: all\n  roles: [r]\n',
    'roles/r/defaults/main.yml': 'a: 1\na: 2\n',
    'roles/r/tasks/main.yml': '- name: t\n  debug: {msg: one, msg: two}\n',
  });
  t.teardown(p.remove);
  const { result, warnings } = await captureWarnings(() => loadPlaybook(p.path('site.yml')));
  t.deepEqual(result.plays[0]?.roles[0]?.defaults, { a: 2 });
  t.deepEqual((result.plays[0]?.tasks[0] as Task | undefined)?.args, { msg: 'two' });
  t.deepEqual(
    warnings.sort(),
    [
      `While constructing a mapping from ${p.path('roles/r/defaults/main.yml')}, line 1, column 1, found a duplicate dict key (a). Using last defined value only.`,
      `While constructing a mapping from ${p.path('roles/r/tasks/main.yml')}, line 2, column 10, found a duplicate dict key (msg). Using last defined value only.`,
    ].sort(),
  );
});

test.serial('a second `hosts:` in an inventory group warns with file, line and key', async (t) => {
  const p = await makeProject({ 'inv.yml': 'all:\n  children:\n    web:\n      hosts:\n        w1:\n      hosts:\n        w2:\n' });
  t.teardown(p.remove);
  const { result, warnings } = await captureWarnings(() => loadInventory(p.path('inv.yml')));
  t.deepEqual(result.groups.get('web')?.hosts, ['w2']);
  t.deepEqual(warnings, [
    `While constructing a mapping from ${p.path('inv.yml')}, line 4, column 7, found a duplicate dict key (hosts). Using last defined value only.`,
  ]);
});
