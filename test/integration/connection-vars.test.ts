import test from 'ava';
import { readFile } from 'node:fs/promises';
import { prov } from '../helpers/cli.js';
import { freePort, startSshd, type Sshd } from '../helpers/sshd.js';
import { makeProject } from '../helpers/project.js';

/**
 * --extra-vars are the highest precedence for the connection variables too, as in Ansible:
 * `-e ansible_port=…` decides where prov connects, over the inventory's value.
 */
let sshd: Sshd;
let closedPort: number;

test.before(async () => {
  sshd = await startSshd();
  closedPort = await freePort();
});
test.after.always(async () => {
  await sshd?.stop();
});

async function project(port: number) {
  return makeProject({
    'inventory.yml': `all:
  hosts:
    box:
      ansible_host: 127.0.0.1
      ansible_port: ${port}
      ansible_user: root
      ansible_ssh_private_key_file: ${sshd.keyFile}
      prov_known_hosts_file: ${sshd.knownHostsFile}
`,
    'site.yml': `
- hosts: all
  tasks:
    - name: mark
      copy: { dest: "{{ mark_file }}", content: "port {{ ansible_port }}\\n" }
`,
  });
}

test.serial('-e ansible_port reaches a host whose inventory port is wrong', async (t) => {
  const p = await project(closedPort);
  t.teardown(p.remove);
  const mark = p.path('mark.txt');
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '-e', `ansible_port=${sshd.port}`, '-e', `mark_file=${mark}`]);
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, /box\s+: ok=1 changed=1 unreachable=0 failed=0/);
  t.is(await readFile(mark, 'utf8'), `port ${sshd.port}\n`);
});

test.serial('-e ansible_port to a closed port makes a good inventory host unreachable', async (t) => {
  const p = await project(sshd.port);
  t.teardown(p.remove);
  const run = await prov(['apply', p.path('inventory.yml'), p.path('site.yml'), '-e', `ansible_port=${closedPort}`, '-e', `mark_file=${p.path('mark.txt')}`]);
  t.is(run.code, 3, run.stdout + run.stderr);
  t.regex(run.stdout + run.stderr, new RegExp(`cannot connect to 127\\.0\\.0\\.1:${closedPort}: connection refused`));
  t.regex(run.stdout, /box\s+: ok=0 changed=0 unreachable=1/);
});

test.serial('-e ansible_host overrides the inventory address', async (t) => {
  const p = await makeProject({
    'inventory.yml': `all:
  hosts:
    box:
      ansible_host: 127.0.0.2
      ansible_port: ${sshd.port}
      ansible_user: nobody
      ansible_ssh_private_key_file: /nonexistent/key
      prov_known_hosts_file: ${sshd.knownHostsFile}
`,
    'site.yml': `
- hosts: all
  tasks:
    - name: whoami
      command: id -un
      register: who
    - name: mark
      copy: { dest: "{{ mark_file }}", content: "{{ who.stdout }}\\n" }
`,
  });
  t.teardown(p.remove);
  const mark = p.path('mark.txt');
  const run = await prov([
    'apply',
    p.path('inventory.yml'),
    p.path('site.yml'),
    '-e',
    'ansible_host=127.0.0.1',
    '-e',
    'ansible_user=root',
    '-e',
    `ansible_ssh_private_key_file=${sshd.keyFile}`,
    '-e',
    `mark_file=${mark}`,
  ]);
  t.is(run.code, 0, run.stdout + run.stderr);
  t.is(await readFile(mark, 'utf8'), 'root\n');
});
