import test from 'ava';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { prov } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

const fixture = (p: string) => fileURLToPath(new URL(`../../fixtures/inventories/${p}`, import.meta.url));

function oneLineError(t: import('ava').ExecutionContext, stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  t.is(lines.length, 1, stderr);
  t.regex(lines[0]!, pattern);
  t.false(/\n\s+at /.test(stderr), 'no stack trace');
}

test('prov inventory --list prints what ansible-inventory prints', async (t) => {
  const r = await prov(['inventory', fixture('lab/hosts.yml'), '--list']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout.trim(), (await readFile(fixture('lab.list.expected.json'), 'utf8')).trim());
});

test('a broken inventory: one-line parse error naming the file and line, exit 4', async (t) => {
  const p = await makeProject({ 'inv.yml': 'all:\n  hosts:\n    r1: {\n', 'site.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n' });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inv.yml'), p.path('site.yml')]);
  t.is(r.code, 4);
  oneLineError(t, r.stderr, new RegExp(`^ERROR! ${p.path('inv.yml')}:\\d+: `));
});

test('an unknown module argument: exit 4 naming the task, before any host is contacted', async (t) => {
  const p = await makeProject({
    'inv.yml': 'all:\n  hosts:\n    r1: { ansible_host: 192.0.2.1 }\n',
    'site.yml': '- hosts: all\n  tasks:\n    - name: typo here\n      copy: { dest: /tmp/x, content: x, mdoe: "0644" }\n',
  });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inv.yml'), p.path('site.yml')]);
  t.is(r.code, 4);
  oneLineError(t, r.stderr, /task 'typo here'.*mdoe/);
});

test('bad options exit 5 with a one-line message', async (t) => {
  const p = await makeProject({ 'inv.yml': 'all:\n  hosts:\n    r1:\n', 'site.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n' });
  t.teardown(p.remove);
  const forks = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '--forks', 'zero']);
  t.is(forks.code, 5);
  const limit = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '--limit', 'nosuchhost']);
  t.is(limit.code, 5);
  oneLineError(t, limit.stderr, /--limit 'nosuchhost' matches no host/);
  const role = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '--role', 'nope']);
  t.is(role.code, 5);
  const unknown = await prov(['apply', p.path('inv.yml'), '--frobnicate']);
  t.is(unknown.code, 5);
  const ev = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '-e', 'novalue']);
  t.is(ev.code, 5);
  oneLineError(t, ev.stderr, /--extra-vars 'novalue'/);
});

test('a missing inventory file is a one-line error, exit 4', async (t) => {
  const r = await prov(['apply', '/nonexistent/inventory.yml']);
  t.is(r.code, 4);
  oneLineError(t, r.stderr, /\/nonexistent\/inventory\.yml/);
});

test('an unreachable host: exit 3, recap shows it, other hosts still run', async (t) => {
  const p = await makeProject({
    'inv.yml': 'all:\n  hosts:\n    here: { ansible_connection: local }\n    gone: { ansible_host: 127.0.0.1, ansible_port: 1 }\n',
    'site.yml': '- hosts: all\n  tasks:\n    - name: say\n      debug: { msg: hi }\n',
  });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '-T', '3']);
  t.is(r.code, 3, r.stdout + r.stderr);
  t.regex(r.stdout, /gone\s+: ok=0 changed=0 unreachable=1/);
  t.regex(r.stdout, /here\s+: ok=1 changed=0 unreachable=0 failed=0/);
});
