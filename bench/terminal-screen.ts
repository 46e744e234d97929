/**
 * `npx tsx bench/terminal-screen.ts [hosts] [-v]`: what `prov apply` shows in a terminal for many
 * hosts (the README's 100-host screen comes from here). N inventory hosts all point at one local
 * sshd (test/helpers/sshd.ts); a 5-task playbook with a handler is applied once to converge, then
 * 3 hosts drift (their app.conf is edited) and one loses a file a check needs; the second apply runs
 * in a real tmux terminal (160x50) and the whole screen, scrollback included, is printed.
 * Needs tmux; writes only under a temp dir.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROV_BIN, prov } from '../test/helpers/cli.js';
import { makeProject } from '../test/helpers/project.js';
import { startSshd } from '../test/helpers/sshd.js';

const run = promisify(execFile);
const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100);
const verbose = process.argv.includes('-v');
const names = Array.from({ length: count }, (_, i) => `web${String(i + 1).padStart(3, '0')}`);
const drifted = [names[6], names[40], names[76]].filter(Boolean) as string[];
const broken = names[Math.min(41, count - 1)]!;

const sshd = await startSshd();
const work = await mkdtemp(join(tmpdir(), 'prov-screen-'));
const socket = `prov-screen-${process.pid}`;
try {
  const hosts = names.map((h) => `    ${h}: { ansible_host: 127.0.0.1, ansible_port: ${sshd.port} }\n`).join('');
  const p = await makeProject({
    'inventory.yml': `all:\n  hosts:\n${hosts}  vars:\n    ansible_user: root\n    ansible_ssh_private_key_file: ${sshd.keyFile}\n    prov_known_hosts_file: ${sshd.knownHostsFile}\n    work: ${work}\n`,
    'site.yml': `- name: web servers
  hosts: all
  gather_facts: false
  tasks:
    - name: app directory
      file: { path: "{{ work }}/{{ inventory_hostname }}", state: directory }
    - name: write app.conf
      copy: { dest: "{{ work }}/{{ inventory_hostname }}/app.conf", content: "listen 8080\\nname {{ inventory_hostname }}\\n" }
      notify: reload app
    - name: kernel release
      command: uname -r
      changed_when: false
    - name: the app is ready
      command: "test -e {{ work }}/{{ inventory_hostname }}/ready"
      changed_when: false
    - name: write motd
      copy: { dest: "{{ work }}/{{ inventory_hostname }}/motd", content: "managed by prov\\n" }
  handlers:
    - name: reload app
      command: "true"
`,
  });
  for (const h of names) {
    await mkdir(join(work, h), { recursive: true });
    await writeFile(join(work, h, 'ready'), '');
  }
  const first = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  if (first.code !== 0) throw new Error(`the converging apply failed:\n${first.stdout.slice(-2000)}${first.stderr}`);
  for (const h of drifted) await writeFile(join(work, h, 'app.conf'), 'listen 80\n');
  await rm(join(work, broken, 'ready'));

  const command = [process.execPath, PROV_BIN, 'apply', p.path('inventory.yml'), p.path('site.yml'), ...(verbose ? ['-v'] : [])].join(' ');
  await run('tmux', [
    '-L',
    socket,
    '-f',
    '/dev/null',
    'start-server',
    ';',
    'set-option',
    '-g',
    'history-limit',
    '20000',
    ';',
    'new-session',
    '-d',
    '-x',
    '160',
    '-y',
    '50',
    `env -u CI ${command}; echo "exit code $?"; sleep 600`,
  ]);
  const deadline = Date.now() + 120_000;
  let screen = '';
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    screen = (await run('tmux', ['-L', socket, 'capture-pane', '-p', '-S', '-', '-E', '-'])).stdout;
    if (/exit code \d+/.test(screen)) break;
  }
  process.stdout.write(`$ prov apply inventory.yml site.yml${verbose ? ' -v' : ''}    # ${count} hosts\n`);
  process.stdout.write(`${screen.replace(/\n+$/, '')}\n`);
  await p.remove();
} finally {
  await run('tmux', ['-L', socket, 'kill-server']).catch(() => undefined);
  await sshd.stop();
  await rm(work, { recursive: true, force: true });
}
