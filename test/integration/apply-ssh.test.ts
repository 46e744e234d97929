import test from 'ava';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshdTarget, stopSshdTarget, type Sshd } from '../helpers/sshd.js';

/**
 * prov apply over real SSH: Debian's sshd on 127.0.0.1, a small playbook writing under a temp
 * dir with copy, template, lineinfile, blockinfile, sysctl (to a file only), command with
 * creates, and a handler. Then a no-op rerun, then --check --diff after a variable change.
 */
let sshd: Sshd;
let work: string;

test.before(async () => {
  ({ sshd, work } = await startSshdTarget('prov-it-'));
});
test.after.always(() => stopSshdTarget({ sshd, work }));

const inventory = (s: Sshd, knownHosts = s.knownHostsFile): string =>
  loopbackInventory(s, { host: { prov_known_hosts_file: knownHosts }, vars: { work, listen_port: 8080 } });

const PLAYBOOK = `
- hosts: all
  tasks:
    - name: config dir
      file: { path: "{{ work }}/etc", state: directory, mode: "0755" }
    - name: static file
      copy: { dest: "{{ work }}/etc/static.txt", content: "static\\n", mode: "0600" }
    - name: rendered config
      template: { src: app.conf.ejs, dest: "{{ work }}/etc/app.conf" }
      notify: reload app
    - name: a line
      lineinfile: { path: "{{ work }}/etc/ports.txt", regexp: "^port=", line: "port={{ listen_port }}", create: true }
    - name: a block
      blockinfile: { path: "{{ work }}/etc/block.txt", create: true, block: "one\\ntwo" }
    - name: sysctl into a file only
      sysctl: { name: net.ipv4.ip_forward, value: "1", sysctl_file: "{{ work }}/etc/99-test.conf", sysctl_set: false, reload: false }
    - name: command with creates
      command: { cmd: "touch {{ work }}/created", creates: "{{ work }}/created" }
  handlers:
    - name: reload app
      shell: "echo reloaded >> {{ work }}/handler.log"
`;

async function project(knownHosts?: string) {
  const p = await makeProject({
    'inventory.yml': inventory(sshd, knownHosts),
    'site.yml': PLAYBOOK,
    'templates/app.conf.ejs': 'listen <%= listen_port %>\nname <%= inventory_hostname %>\n',
  });
  return p;
}

test.serial('apply, then a no-op rerun, then --check --diff after a variable change', async (t) => {
  const p = await project();
  t.teardown(p.remove);
  const first = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.is(first.code, 0, first.stdout + first.stderr);
  t.regex(first.stdout, /box\s+: ok=8 changed=8 unreachable=0 failed=0/);
  t.is(await readFile(join(work, 'etc/app.conf'), 'utf8'), 'listen 8080\nname box\n');
  t.is(await readFile(join(work, 'etc/static.txt'), 'utf8'), 'static\n');
  t.is(await readFile(join(work, 'etc/ports.txt'), 'utf8'), 'port=8080\n');
  t.is((await stat(join(work, 'etc/static.txt'))).mode & 0o777, 0o600);
  t.regex(await readFile(join(work, 'etc/block.txt'), 'utf8'), /# BEGIN ANSIBLE MANAGED BLOCK\none\ntwo\n# END ANSIBLE MANAGED BLOCK/);
  t.regex(await readFile(join(work, 'etc/99-test.conf'), 'utf8'), /net\.ipv4\.ip_forward\s*=\s*1/);
  t.is(await readFile(join(work, 'handler.log'), 'utf8'), 'reloaded\n');

  const second = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '--json']);
  t.is(second.code, 0, second.stderr);
  const doc = JSON.parse(second.stdout) as { stats: Record<string, { changed: number; ok: number }> };
  t.is(doc.stats.box!.changed, 0);
  t.is(await readFile(join(work, 'handler.log'), 'utf8'), 'reloaded\n', 'handler did not run again');

  const before = await readFile(join(work, 'etc/app.conf'), 'utf8');
  const check = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '--check', '--diff', '-e', 'listen_port=9090']);
  t.is(check.code, 0, check.stderr);
  t.regex(check.stdout, /-listen 8080\n\+listen 9090/);
  t.regex(check.stdout, /-port=8080\n\+port=9090/);
  // template, lineinfile, and the handler the template notifies: exactly what a real apply would change
  t.regex(check.stdout, /box\s+: ok=\d+ changed=3 /);
  t.is(await readFile(join(work, 'etc/app.conf'), 'utf8'), before, 'check mode changed nothing');
  t.is(await readFile(join(work, 'handler.log'), 'utf8'), 'reloaded\n');
});

test.serial('a wrong host key in known_hosts stops the run for that host', async (t) => {
  const wrong = join(work, 'wrong_known_hosts');
  // A valid ed25519 key that is not this server's.
  await writeFile(wrong, `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`);
  const p = await project(wrong);
  t.teardown(p.remove);
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml')]);
  t.is(run.code, 3);
  t.regex(run.stdout + run.stderr, /host key .*does not match/);
  t.regex(run.stdout, /box\s+: ok=0 changed=0 unreachable=1/);
});
