/**
 * `-o StrictHostKeyChecking=accept-new` with `-o UserKnownHostsFile=…` in ansible_ssh_common_args
 * (what `prov inventory vagrant` writes for Vagrant's machines), against the real sshd: the
 * first apply records the unknown host key in that file (a path with a space), never in
 * ~/.ssh/known_hosts, and a later apply checks against it: a different key is refused.
 */
import test from 'ava';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prov } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { loopbackInventory, startSshd, type Sshd } from '../helpers/sshd.js';

let sshd: Sshd;
test.before(async () => {
  sshd = await startSshd();
});
test.after.always(async () => {
  await sshd?.stop();
});

const inventory = (args: string): string => loopbackInventory(sshd, { host: { prov_known_hosts_file: undefined, ansible_ssh_common_args: args } });

const SITE = `
- hosts: all
  gather_facts: false
  tasks:
    - name: whoami
      command: id -un
`;

test.serial('accept-new records the key in the inventory known_hosts, then checks it', async (t) => {
  const p = await makeProject({ 'vagrant inv/hosts.yml': '', 'site.yml': SITE });
  t.teardown(p.remove);
  const home = p.path('home');
  await mkdir(home);
  await writeFile(p.path('vagrant inv/hosts.yml'), inventory(`-o 'UserKnownHostsFile="{{ inventory_dir }}/known_hosts"' -o StrictHostKeyChecking=accept-new`));
  const env = { HOME: home };
  const first = await prov(['apply', p.path('vagrant inv/hosts.yml'), p.path('site.yml')], { env });
  t.is(first.code, 0, first.stdout + first.stderr);
  const recorded = await readFile(p.path('vagrant inv/known_hosts'), 'utf8');
  const hostKey = (await readFile(`${sshd.hostKeyFile}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
  t.is(recorded, `[127.0.0.1]:${sshd.port} ${hostKey}\n`);
  t.false(existsSync(join(home, '.ssh', 'known_hosts')), "the user's known_hosts is never written");
  const again = await prov(['apply', p.path('vagrant inv/hosts.yml'), p.path('site.yml')], { env });
  t.is(again.code, 0, again.stdout + again.stderr);
  t.is(await readFile(p.path('vagrant inv/known_hosts'), 'utf8'), recorded, 'a known key is not recorded twice');
  // A changed key (a machine rebuilt, or someone in the middle) is refused even with accept-new.
  await writeFile(p.path('vagrant inv/known_hosts'), recorded.replace(/ \S+\n$/, ' AAAAC3NzaC1lZDI1NTE5AAAAIBmC8yJ4PQj3ZQ5vK3Q1bS3L6p6z9Fq0rJ6d0i9xYy7n\n'));
  const changed = await prov(['apply', p.path('vagrant inv/hosts.yml'), p.path('site.yml')], { env });
  t.is(changed.code, 3, changed.stdout + changed.stderr);
  t.regex(changed.stdout + changed.stderr, /host key for \[127\.0\.0\.1\]:\d+ does not match .*vagrant inv\/known_hosts:1/);
});

test.serial('without accept-new an unknown key is refused, as before', async (t) => {
  const p = await makeProject({ 'hosts.yml': '', 'site.yml': SITE });
  t.teardown(p.remove);
  await mkdir(p.path('home'));
  await writeFile(p.path('hosts.yml'), inventory(`-o UserKnownHostsFile=${p.path('kh')} -o StrictHostKeyChecking=no`));
  const r = await prov(['apply', p.path('hosts.yml'), p.path('site.yml')], { env: { HOME: p.path('home') } });
  t.is(r.code, 3, r.stdout + r.stderr);
  t.regex(r.stdout + r.stderr, /host key for \[127\.0\.0\.1\]:\d+ is not known/);
  t.false(existsSync(p.path('kh')));
});
