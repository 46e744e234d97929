/**
 * --list-hosts / --list-tasks / --list-tags / --start-at-task: prov prints what ansible-playbook
 * prints for the same playbook and inventory, and connects to nothing (the hosts do not exist).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const FILES = {
  'ansible.cfg': '[defaults]\n',
  // TEST-NET addresses: nothing answers there, so any connection attempt would fail the run.
  'inventory.yml': `all:
  children:
    web:
      hosts:
        web1: { ansible_host: 192.0.2.1 }
        web2: { ansible_host: 192.0.2.2 }
    db:
      hosts:
        db1: { ansible_host: 192.0.2.3 }
`,
  'roles/base/tasks/main.yml': '- name: base task\n  debug: { msg: base }\n  tags: [base]\n- debug: { msg: unnamed }\n',
  'site.yml': `- hosts: web
  name: web play
  gather_facts: false
  tags: [webplay]
  roles: [base]
  tasks:
    - name: first
      debug: { msg: one }
      tags: [a, b]
    - name: grouped
      block:
        - name: in block
          debug: { msg: two }
        - name: never by default
          debug: { msg: n }
          tags: [never, special]
      rescue:
        - name: in rescue
          debug: { msg: r }
      always:
        - name: in always
          debug: { msg: a }
      tags: blk
    - include_tasks: more.yml
    - import_tasks: more.yml
- hosts: all
  tasks:
    - name: last one
      debug: { msg: three }
      tags: always
`,
  'more.yml': '- name: more task\n  debug: { msg: more }\n',
};

function ansiblePlaybook(args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('ansible-playbook', args, { cwd, env: { ...process.env, ANSIBLE_CONFIG: `${cwd}/ansible.cfg`, ANSIBLE_NOCOLOR: '1' } }, (err, stdout) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout });
    });
  });
}

/** ansible-playbook prints a play's hosts in the order of a Python set: compared as sorted lists. */
function hostsSorted(listing: string): string {
  const lines = listing.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^ {4}hosts \(\d+\):$/.test(lines[i]!)) continue;
    let end = i + 1;
    while (end < lines.length && /^ {6}\S/.test(lines[end]!)) end++;
    lines.splice(i + 1, end - i - 1, ...lines.slice(i + 1, end).sort());
  }
  return lines.join('\n');
}

const FLAG_SETS = [
  ['--list-tasks'],
  ['--list-tags'],
  ['--list-hosts'],
  ['--list-hosts', '--list-tasks', '--limit', 'web1:db1'],
  ['--list-tasks', '--tags', 'a,special'],
  ['--list-tasks', '--list-tags', '--skip-tags', 'blk'],
];

for (const flags of FLAG_SETS) {
  test.serial(`${flags.join(' ')} lists what ansible-playbook lists, connecting to nothing`, async (t) => {
    const p = await makeProject(FILES);
    t.teardown(p.remove);
    const [ansible, ours] = await Promise.all([
      ansiblePlaybook(['-i', 'inventory.yml', 'site.yml', ...flags], p.dir),
      prov(['apply', 'inventory.yml', 'site.yml', ...flags], { cwd: p.dir }),
    ]);
    t.is(ansible.code, 0);
    t.is(ours.code, 0, ours.stderr);
    t.is(hostsSorted(ours.stdout), hostsSorted(ansible.stdout));
  });
}

test.serial('--start-at-task with a name no play has is refused before any host is touched', async (t) => {
  const p = await makeProject(FILES);
  t.teardown(p.remove);
  const r = await prov(['apply', 'inventory.yml', 'site.yml', '--start-at-task', 'no such task'], { cwd: p.dir });
  t.is(r.code, 5);
  t.regex(r.stderr, /--start-at-task: no task named 'no such task'/);
});
