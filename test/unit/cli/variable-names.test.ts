import test from 'ava';
import { parseExtraVars } from '../../../src/commands/extra-vars.js';
import { ProvError } from '../../../src/core/errors.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { validatePlaybook } from '../../../src/runner/validate.js';
import { prov } from '../../helpers/cli.js';
import { makeProject } from '../../helpers/project.js';

// -e names the flag and the file it cannot read; a variable named __proto__ is refused by name
// wherever variables are defined (it cannot be held as an ordinary object key); names of
// JavaScript's Object.prototype members (constructor, toString, ...) are ordinary names.

async function extraVarsError(t: import('ava').ExecutionContext, values: string[]): Promise<ProvError> {
  const err = await t.throwsAsync(parseExtraVars(values));
  t.true(err instanceof ProvError, String(err));
  t.false(err!.message.includes('\n'), 'one line');
  return err as ProvError;
}

test('-e @ (no file name) names the flag and says a file name is missing', async (t) => {
  const err = await extraVarsError(t, ['@']);
  t.is(err.exitCode, 5);
  t.is(err.message, "-e/--extra-vars '@': expected a file name after '@' (e.g. -e @vars.yml)");
});

test('-e @missing.yml names the flag and the file', async (t) => {
  const p = await makeProject({ 'dir/x.yml': 'a: 1\n' });
  t.teardown(p.remove);
  const missing = await extraVarsError(t, [`@${p.path('missing.yml')}`]);
  t.is(missing.exitCode, 5);
  t.is(missing.message, `-e/--extra-vars @${p.path('missing.yml')}: cannot read ${p.path('missing.yml')}: no such file`);
  const dir = await extraVarsError(t, [`@${p.path('dir')}`]);
  t.is(dir.message, `-e/--extra-vars @${p.path('dir')}: cannot read ${p.path('dir')}: is a directory`);
});

test('-e @file with a YAML error names the flag, the file and the line', async (t) => {
  const p = await makeProject({ 'bad.yml': 'a: [\n' });
  t.teardown(p.remove);
  const err = await extraVarsError(t, [`@${p.path('bad.yml')}`]);
  t.is(err.exitCode, 4);
  t.true(err.message.startsWith(`-e/--extra-vars @${p.path('bad.yml')}: ${p.path('bad.yml')}:2: YAML syntax error`), err.message);
});

test('-e __proto__ is refused by name: key=value, inline JSON, @file', async (t) => {
  const p = await makeProject({ 'vars.yml': 'ok: 1\n__proto__: { polluted: true }\n' });
  t.teardown(p.remove);
  for (const value of ['__proto__=1', '{"__proto__": {"polluted": true}}', `@${p.path('vars.yml')}`]) {
    const err = await extraVarsError(t, [value]);
    t.is(err.exitCode, 5, value);
    t.regex(err.message, /^-e\/--extra-vars .*variable name '__proto__' is not allowed/, value);
  }
});

test('-e constructor, prototype, toString are ordinary variables', async (t) => {
  const vars = await parseExtraVars(['constructor=1 prototype=2', '{"toString": {"a": 1}, "hasOwnProperty": 3}']);
  t.deepEqual(Object.entries(vars), [
    ['constructor', '1'],
    ['prototype', '2'],
    ['toString', { a: 1 }],
    ['hasOwnProperty', 3],
  ]);
  t.is(Object.getPrototypeOf(vars), Object.prototype);
});

const SITE = (body: string): string => `- hosts: all\n  gather_facts: false\n${body}`;
const PLAYBOOK_CASES: Array<[string, Record<string, string>, RegExp]> = [
  [
    'play vars',
    { 'site.yml': SITE('  vars:\n    __proto__: { polluted: 1 }\n  tasks:\n    - debug: { msg: hi }\n') },
    /site\.yml: play 'all': vars: variable name '__proto__' is not allowed/,
  ],
  [
    'task vars',
    { 'site.yml': SITE('  tasks:\n    - name: t\n      debug: { msg: hi }\n      vars: { __proto__: 1 }\n') },
    /task 't': vars: variable name '__proto__'/,
  ],
  [
    'set_fact',
    { 'site.yml': SITE('  tasks:\n    - name: sf\n      set_fact: { __proto__: 1, other: 2 }\n') },
    /task 'sf': set_fact: variable name '__proto__'/,
  ],
  [
    'set_fact with a template',
    { 'site.yml': SITE('  tasks:\n    - name: sf\n      set_fact: { __proto__: "{{ 1 }}" }\n') },
    /task 'sf': set_fact: variable name '__proto__'/,
  ],
  [
    'register',
    { 'site.yml': SITE('  tasks:\n    - name: reg\n      debug: { msg: hi }\n      register: __proto__\n') },
    /task 'reg': register: variable name '__proto__'/,
  ],
  [
    'loop_var',
    { 'site.yml': SITE('  tasks:\n    - name: lp\n      debug: { msg: hi }\n      loop: [1]\n      loop_control: { loop_var: __proto__ }\n') },
    /task 'lp': loop_control\.loop_var: variable name '__proto__'/,
  ],
  [
    'role defaults',
    { 'site.yml': SITE('  roles: [r]\n'), 'roles/r/tasks/main.yml': '- debug: { msg: hi }\n', 'roles/r/defaults/main.yml': '__proto__: 1\n' },
    /roles\/r\/defaults: role 'r': variable name '__proto__'/,
  ],
  [
    'role vars',
    { 'site.yml': SITE('  roles: [r]\n'), 'roles/r/tasks/main.yml': '- debug: { msg: hi }\n', 'roles/r/vars/main.yml': '__proto__: 1\n' },
    /roles\/r\/vars: role 'r': variable name '__proto__'/,
  ],
];

for (const [where, files, pattern] of PLAYBOOK_CASES) {
  test(`a variable named __proto__ in ${where} is refused by name (exit 4)`, async (t) => {
    const p = await makeProject(files);
    t.teardown(p.remove);
    const err = await t.throwsAsync(async () => validatePlaybook(await loadPlaybook(p.path('site.yml'))));
    t.true(err instanceof ProvError, String(err));
    t.is((err as ProvError).exitCode, 4);
    t.true(err!.message.startsWith(p.dir), err!.message);
    t.regex(err!.message, pattern);
  });
}

test('prov apply -e @ and -e @missing.yml: exit 5, one line naming -e/--extra-vars and the file', async (t) => {
  const p = await makeProject({
    'inv.yml': 'all:\n  hosts:\n    r1: { ansible_connection: local }\n',
    'site.yml': SITE('  tasks:\n    - debug: { msg: hi }\n'),
  });
  t.teardown(p.remove);
  const empty = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '-e', '@']);
  t.is(empty.code, 5, empty.stderr);
  t.is(empty.stderr.trim(), "ERROR! -e/--extra-vars '@': expected a file name after '@' (e.g. -e @vars.yml)");
  const missing = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '-e', '@missing.yml'], { cwd: p.dir });
  t.is(missing.code, 5, missing.stderr);
  t.is(missing.stderr.trim(), 'ERROR! -e/--extra-vars @missing.yml: cannot read missing.yml: no such file');
  t.is(missing.stdout, '');
});

test('hosts, groups and variables named constructor, prototype, toString, hasOwnProperty work end to end', async (t) => {
  const p = await makeProject({
    'inv.yml': [
      'all:',
      '  vars: { ansible_connection: local }',
      '  children:',
      '    prototype:',
      '      hosts:',
      '        constructor: { prototype: p-inv }',
      '        hasOwnProperty:',
      '',
    ].join('\n'),
    'site.yml': SITE(
      [
        '  vars: { toString: play-var }',
        '  tasks:',
        '    - name: show',
        `      debug: { msg: "{{ constructor }} {{ prototype | default('none') }} {{ toString }} {{ groups['prototype'] | join(',') }} {{ hostvars['constructor']['prototype'] }} {{ valueOf is defined }}" }`,
        '    - set_fact: { valueOf: sf }',
        '    - name: fact',
        '      debug: { msg: "{{ valueOf }}" }',
        '    - name: fail the host named constructor',
        '      fail: { msg: stop }',
        '      when: inventory_hostname == "constructor"',
        '',
      ].join('\n'),
    ),
  });
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inv.yml'), p.path('site.yml'), '-e', 'constructor=extra']);
  t.is(r.code, 2, r.stdout + r.stderr);
  t.regex(r.stdout, /ok: \[constructor\] extra p-inv play-var constructor,hasOwnProperty p-inv False/);
  t.regex(r.stdout, /ok: \[hasOwnProperty\] extra none play-var constructor,hasOwnProperty p-inv False/);
  t.regex(r.stdout, /ok: \[constructor\] sf/);
  t.regex(r.stdout, /constructor\s+: ok=3 changed=0 unreachable=0 failed=1 skipped=0/);
  t.regex(r.stdout, /hasOwnProperty\s+: ok=3 changed=0 unreachable=0 failed=0 skipped=1/);
});
