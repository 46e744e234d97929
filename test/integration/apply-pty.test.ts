import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeProject } from '../helpers/project.js';
import { provInPty } from '../helpers/pty.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

/**
 * prov apply in a real pseudo-terminal (util-linux `script`, 160x50, CI unset) against a real
 * sshd: the interactive reporter must end the run exactly as the plain one does. Many short tasks
 * on several inventory hosts (all the same sshd) make the reporter's rendering lag behind the
 * runner, which is where it used to hang.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  sshd = await startSshd();
  work = await mkdtemp(join(tmpdir(), 'prov-pty-it-'));
});
test.after.always(async () => {
  await sshd?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

const HOSTS = ['box1', 'box2', 'box3'];

function inventory(): string {
  const hosts = HOSTS.map((h) => `    ${h}:\n      ansible_host: 127.0.0.1\n      ansible_port: ${sshd.port}\n`).join('');
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
  const tasks = Array.from({ length: TASKS }, (_, i) => (i % 2 === 0
    ? `    - name: file ${i}
      copy: { dest: "{{ work }}/{{ inventory_hostname }}-${i}.txt", content: "${i}{{ suffix | default('') }}\\n" }
      tags: [even]
`
    : `    - name: probe ${i}
      command: "true"
      changed_when: false
      check_mode: false
      tags: [odd]
`)).join('');
  return `- hosts: all
  gather_facts: false
  tasks:
${tasks}`;
}
const FILES = TASKS / 2;

async function project() {
  return makeProject({ 'inventory.yml': inventory(), 'site.yml': playbook() });
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
