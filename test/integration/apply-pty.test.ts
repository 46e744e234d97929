import test from 'ava';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { provInPty } from '../helpers/pty.js';
import { startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * prov apply in a real pseudo-terminal (util-linux `script`, 160x50, CI unset) against a real
 * sshd: the interactive reporter must end the run exactly as the plain one does. Many short tasks
 * on several inventory hosts (all the same sshd) make the reporter's rendering lag behind the
 * runner, which is where it used to hang.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-pty-it-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const HOSTS = ['box1', 'box2', 'box3'];

function inventory(names: readonly string[] = HOSTS): string {
  const hosts = names.map((h) => `    ${h}:\n      ansible_host: 127.0.0.1\n      ansible_port: ${sshd.port}\n`).join('');
  return `all:
  hosts:
${hosts}  vars:
    ansible_user: root
    ansible_ssh_private_key_file: ${sshd.keyFile}
    prov_known_hosts_file: ${sshd.knownHostsFile}
    work: ${work}
`;
}

const TASKS = 24;
/** Every other task is a read-only command: one quick round trip each, faster than a render tick. */
function playbook(): string {
  const tasks = Array.from({ length: TASKS }, (_, i) =>
    i % 2 === 0
      ? `    - name: file ${i}
      copy: { dest: "{{ work }}/{{ inventory_hostname }}-${i}.txt", content: "${i}{{ suffix | default('') }}\\n" }
      tags: [even]
`
      : `    - name: probe ${i}
      command: "true"
      changed_when: false
      check_mode: false
      tags: [odd]
`,
  ).join('');
  return `- hosts: all
  gather_facts: false
  tasks:
${tasks}`;
}
const FILES = TASKS / 2;

async function project(names: readonly string[] = HOSTS) {
  return makeProject({ 'inventory.yml': inventory(names), 'site.yml': playbook() });
}

const recapOf = (text: string, host: string) => new RegExp(`${host}\\s+: ok=(\\d+) changed=(\\d+) unreachable=0 failed=0`).exec(text);

for (const [title, extra, changed] of [
  ['apply', [], FILES],
  ['a converged rerun', [], 0],
  ['--check --diff', ['--check', '--diff', '-e', 'suffix=x'], FILES],
  ['--limit box2', ['--limit', 'box2'], 0],
  ['--tags even', ['--tags', 'even'], 0],
] as const) {
  test.serial(`in a terminal, ${title} ends and prints the recap`, async (t) => {
    const p = await project();
    t.teardown(p.remove);
    const r = await provInPty(['apply', p.path('inventory.yml'), p.path('site.yml'), ...extra], { timeoutMs: 60_000 });
    t.false(r.hung, `prov apply ${title} never ended in a terminal; the screen showed:\n${r.text.slice(-1500)}`);
    t.is(r.code, 0, r.text.slice(-3000));
    t.regex(r.text, /PLAY RECAP/);
    const hosts = title.startsWith('--limit') ? ['box2'] : HOSTS;
    for (const h of hosts) {
      const m = recapOf(r.text, h);
      t.truthy(m, `${h} has a recap line:\n${r.text.slice(-2000)}`);
      if (m && changed >= 0) t.is(Number(m[2]), changed, `${h} changed`);
    }
    t.notRegex(r.text, /\n\s+at .*\.(ts|js):\d+/, 'no stack trace');
  });
}

/**
 * 20 inventory hosts (all the same sshd) x 24 tasks: in a terminal each finished task is one line
 * with counts, and only the hosts that changed get a line of their own; -v brings every host back.
 */
const MANY = Array.from({ length: 20 }, (_, i) => `m${String(i + 1).padStart(2, '0')}`);
const DRIFTED = ['m03', 'm17'];

/** The screen's lines from the first task to the recap (the play banner and recap name every host anyway). */
function taskLines(screen: string[]): string[] {
  const recap = screen.findIndex((l) => l.startsWith('PLAY RECAP'));
  const first = screen.findIndex((l) => /TASK \[/.test(l));
  return screen.slice(first, recap < 0 ? undefined : recap).filter((l) => l !== '');
}
const mentioning = (lines: string[], host: string) => lines.filter((l) => new RegExp(`\\b${host}\\b`).test(l));

test.serial('in a terminal, 20 hosts: each finished task is one line with counts, only changed hosts are listed, -v lists every host', async (t) => {
  const p = await project(MANY);
  t.teardown(p.remove);
  const args = ['apply', p.path('inventory.yml'), p.path('site.yml')];

  const first = await provInPty(args, { timeoutMs: 180_000 });
  t.false(first.hung, first.text.slice(-1500));
  t.is(first.code, 0, first.text.slice(-3000));
  const firstLines = taskLines(first.screen);
  for (let i = 0; i < TASKS; i++) {
    const name = i % 2 === 0 ? `file ${i}` : `probe ${i}`;
    const shown = firstLines.filter((l) => l.includes(`TASK [${name}]`));
    t.deepEqual(shown, [i % 2 === 0 ? `✔ TASK [${name}] changed=20` : `✔ TASK [${name}] ok=20`], `task ${name}:\n${firstLines.join('\n')}`);
  }
  t.true(firstLines.includes(`    changed: [all 20 hosts] created`), firstLines.join('\n'));
  t.is(firstLines.length, TASKS + FILES, `one line per task, one per changed group:\n${firstLines.join('\n')}`);

  // Two hosts drift: only they are listed under the task that repairs them.
  for (const h of DRIFTED) await rm(join(work, `${h}-0.txt`));
  const rerun = await provInPty(args, { timeoutMs: 180_000 });
  t.is(rerun.code, 0, rerun.text.slice(-3000));
  const lines = taskLines(rerun.screen);
  const repaired = lines.findIndex((l) => l.startsWith('✔ TASK [file 0]'));
  t.is(lines[repaired], '✔ TASK [file 0] ok=18 changed=2', lines.join('\n'));
  t.regex(lines[repaired + 1] ?? '', /^ {4}changed: \[m03, m17\] created$/);
  t.true(lines.filter((l) => /ok=\d+/.test(l)).length >= TASKS, 'every finished task shows its counts');
  t.deepEqual(mentioning(lines, 'm05'), [], `a host that was ok everywhere is on no task line:\n${lines.join('\n')}`);
  t.is(mentioning(lines, 'm03').length, 1);
  t.true(lines.length <= TASKS + 1, `${lines.length} lines for ${TASKS} tasks:\n${lines.join('\n')}`);

  const verbose = await provInPty([...args, '-v'], { timeoutMs: 180_000 });
  t.is(verbose.code, 0, verbose.text.slice(-3000));
  const all = taskLines(verbose.screen);
  t.is(mentioning(all, 'm05').length, TASKS, `-v: a line per task for each host:\n${all.slice(0, 30).join('\n')}`);
  t.regex(all.join('\n'), /✔ TASK \[file 0\] ok=20\n {4}ok: \[m01\] \(\d+(\.\d+)? ms\)\n {4}ok: \[m02\]/);
});

test.serial("without a terminal, -v changes nothing: Ansible's line per host", async (t) => {
  const p = await project();
  t.teardown(p.remove);
  const r = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '-v']);
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /TASK \[file 0\] \*+\n((ok|changed): \[box\d\]( created)? \(\d+(\.\d+)? ms\)\n){3}/);
  t.notRegex(r.stdout, /✔|ok=\d+ changed=\d+\n/, 'no collapsed task lines');
});
