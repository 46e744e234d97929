import test from 'ava';
import { access, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * Every YAML file is read as Ansible reads it (YAML 1.1), proven with the real CLI over real SSH:
 * a role default `flag: no` makes a `when: flag` task skipped, and `mode: 0644` in group_vars, in
 * a role default and in a task gives the file mode Ansible gives (checked against ansible-playbook
 * 2.14). A duplicate key warns on stderr naming the file, line and key. An alias bomb and a
 * non-UTF-8 inventory stop the run at once with a one-line parse error (exit 4) naming the file.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-yaml-it-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const inventory = (s: Sshd): string => loopbackInventory(s, { vars: { work } });

const ROLE_TASKS = `
- name: only when flag
  copy: { dest: "{{ work }}/flag.txt", content: "flag\\n" }
  when: flag
- name: mode from group_vars
  copy: { dest: "{{ work }}/gv.txt", content: "gv\\n", mode: "{{ gv_mode }}" }
- name: mode from a role default
  copy: { dest: "{{ work }}/rd.txt", content: "rd\\n", mode: "{{ rd_mode }}" }
- name: literal mode
  copy:
    dest: "{{ work }}/lit.txt"
    content: "lit\\n"
    mode: 0640
    mode: 0604
`;

test.serial("role default `no` is false, octal modes are Ansible's, a duplicate key warns with file and line", async (t) => {
  const p = await makeProject({
    'inventory.yml': inventory(sshd),
    'group_vars/all.yml': 'gv_mode: 0644\n',
    'site.yml': '- hosts: all\n  gather_facts: no\n  roles: [r]\n',
    'roles/r/defaults/main.yml': 'flag: no\nrd_mode: 0600\n',
    'roles/r/tasks/main.yml': ROLE_TASKS,
  });
  t.teardown(p.remove);
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, /box\s+: ok=3 changed=3 unreachable=0 failed=0 skipped=1/);
  await t.throwsAsync(access(join(work, 'flag.txt')), undefined, 'the `when: flag` task was skipped');
  const modeOf = async (name: string) => ((await stat(join(work, name))).mode & 0o7777).toString(8);
  t.is(await modeOf('gv.txt'), '644');
  t.is(await modeOf('rd.txt'), '600');
  t.is(await modeOf('lit.txt'), '604');
  t.true(
    run.stderr.includes(
      `[WARNING]: While constructing a mapping from ${p.path('roles/r/tasks/main.yml')}, line 11, column 5, found a duplicate dict key (mode). Using last defined value only.\n`,
    ),
    run.stderr,
  );
});

function billionLaughs(): string {
  const lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i < 9; i++)
    lines.push(
      `a${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\n';
}

test.serial('an alias bomb in group_vars or in task args stops the run at once: exit 4, one line naming the file', async (t) => {
  const p = await makeProject({
    'inventory.yml': inventory(sshd),
    'group_vars/all.yml': billionLaughs(),
    'site.yml': '- hosts: all\n  gather_facts: no\n  tasks:\n    - debug: { msg: hi }\n',
    'bomb.yml': `- hosts: all\n  gather_facts: no\n  tasks:\n    - debug:\n        msg:\n${billionLaughs().replace(/^/gm, '          ').trimEnd()}\n`,
  });
  t.teardown(p.remove);
  const started = Date.now();
  const vars = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')], { timeoutMs: 60_000 });
  t.is(vars.code, 4, vars.stdout + vars.stderr);
  t.regex(vars.stderr, new RegExp(`^ERROR! ${p.path('group_vars/all.yml')}:\\d+: YAML aliases expand to more than \\d+ nodes[^\\n]*\\n$`));
  await writeFile(p.path('group_vars/all.yml'), 'x: 1\n');
  const args = await prov(['apply', p.path('inventory.yml'), p.path('bomb.yml')], { timeoutMs: 60_000 });
  t.is(args.code, 4, args.stdout + args.stderr);
  t.regex(args.stderr, new RegExp(`^ERROR! ${p.path('bomb.yml')}:\\d+: YAML aliases expand to more than \\d+ nodes[^\\n]*\\n$`));
  t.true(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
});

test.serial('a non-UTF-8 inventory is refused: exit 4, one line naming the file and line', async (t) => {
  const p = await makeProject({ 'site.yml': '- hosts: all\n  tasks:\n    - debug: { msg: hi }\n' });
  t.teardown(p.remove);
  await writeFile(p.path('inventory.yml'), Buffer.from(inventory(sshd).replace('box:', 'caf\xe9:'), 'latin1'));
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.is(run.code, 4, run.stdout + run.stderr);
  t.regex(run.stderr, new RegExp(`^ERROR! ${p.path('inventory.yml')}:3: not valid UTF-8 text[^\\n]*\\n$`));
});
