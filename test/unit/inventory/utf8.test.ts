/** A file that is not UTF-8 is refused as Ansible's YAML reader refuses it (issue 10, item 6). */
import test from 'ava';
import { mkdir, writeFile } from 'node:fs/promises';
import { ProvError } from '../../../src/core/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { makeProject } from '../../helpers/project.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');

async function parseErrorOf(t: { throwsAsync: (p: Promise<unknown>) => Promise<unknown> }, p: Promise<unknown>): Promise<ProvError> {
  const err = await t.throwsAsync(p);
  if (!(err instanceof ProvError)) throw new Error(`expected a ProvError, got ${String(err)}`);
  return err;
}

test('a Latin-1 inventory is a parse error naming the file and line, not read with U+FFFD', async (t) => {
  const p = await makeProject({});
  t.teardown(p.remove);
  await writeFile(p.path('hosts.yml'), latin1('all:\n  hosts:\n    r1:\n      location: café\n'));
  const err = await parseErrorOf(t, loadInventory(p.path('hosts.yml')));
  t.is(err.kind, 'parse');
  t.is(err.exitCode, 4);
  t.regex(err.message, new RegExp(`^${p.path('hosts.yml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: not valid UTF-8 text \\(byte 0xe9 at column \\d+\\): `));
});

test('a Latin-1 group_vars file is refused the same way', async (t) => {
  const p = await makeProject({ 'hosts.yml': 'all:\n  hosts:\n    r1:\n' });
  t.teardown(p.remove);
  await mkdir(p.path('group_vars'));
  await writeFile(p.path('group_vars/all.yml'), latin1('motd: "bienvenue à bord"\n'));
  const err = await parseErrorOf(t, loadInventory(p.path('hosts.yml')));
  t.is(err.kind, 'parse');
  t.regex(err.message, /group_vars\/all\.yml:1: not valid UTF-8 text \(byte 0xe0 at column \d+\)/);
});

test('a Latin-1 playbook is refused the same way; UTF-8 (with a BOM too) still loads', async (t) => {
  const p = await makeProject({ 'ok.yml': '\ufeff- hosts: all\n  tasks:\n    - debug: { msg: "café" }\n' });
  t.teardown(p.remove);
  await writeFile(p.path('site.yml'), latin1('- hosts: all\n  tasks:\n    - debug: { msg: "café" }\n'));
  const err = await parseErrorOf(t, loadPlaybook(p.path('site.yml')));
  t.regex(err.message, /site\.yml:3: not valid UTF-8 text \(byte 0xe9 at column \d+\)/);
  await t.notThrowsAsync(loadPlaybook(p.path('ok.yml')));
});
