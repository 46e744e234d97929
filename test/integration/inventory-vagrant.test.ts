/**
 * `prov inventory vagrant` on `vagrant ssh-config` output in the exact format of the installed
 * Vagrant (2.3.4): the fixtures are what its own template renders (checked here byte for byte),
 * the inventory is read back by ansible-inventory 2.14 (the oracle for its structure) and by
 * `prov inventory --list` (same JSON), and the ssh arguments are read by OpenSSH itself
 * (`ssh -G`) and must describe the same connection as Vagrant's block.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prov } from '../helpers/cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/vagrant/', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

async function workDir(t: { teardown: (fn: () => Promise<void>) => void }): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const dir = await mkdtemp(join(tmpdir(), 'prov vagrant-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const config = join(dir, 'ansible.cfg');
  await writeFile(config, '[defaults]\n');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  return { dir, env: { ...env, HOME: dir, ANSIBLE_CONFIG: config, ANSIBLE_NOCOLOR: '1' } };
}

for (const name of ['seed', 'tricky']) {
  test(`fixture ${name} is what Vagrant's own ssh_config template prints`, async (t) => {
    const rendered = await run('ruby', [join(FIXTURES, 'render.rb'), name]);
    t.is(rendered.code, 0, rendered.stderr);
    t.is(rendered.stdout, await readFile(join(FIXTURES, `${name}.ssh-config`), 'utf8'));
  });
}

interface AnsibleList {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  [group: string]: unknown;
}

async function importAndList(t: Parameters<typeof workDir>[0], fixture: string, extra: string[] = []) {
  const { dir, env } = await workDir(t);
  const imported = await prov(['inventory', 'vagrant', '--ssh-config', join(FIXTURES, `${fixture}.ssh-config`), ...extra], { env });
  const out = join(dir, 'hosts.yml');
  await writeFile(out, imported.stdout);
  const ansible = await run('ansible-inventory', ['-i', out, '--list'], { cwd: dir, env });
  const mine = await prov(['inventory', out, '--list'], { cwd: dir, env });
  return { dir, env, out, imported, ansible, mine };
}

test('the seed demo: ansible-inventory reads the imported inventory, prov reads it the same', async (t) => {
  const { imported, ansible, mine } = await importAndList(t, 'seed');
  t.is(imported.code, 0, imported.stderr);
  t.is(ansible.code, 0, ansible.stderr);
  t.notRegex(ansible.stderr, /Failed to parse|Unable to parse|No inventory was parsed/);
  const list = JSON.parse(ansible.stdout) as AnsibleList;
  t.deepEqual(list['routers'], { hosts: ['r1', 'r2'] });
  t.deepEqual(list['hosts'], { hosts: ['host'] });
  t.deepEqual(list._meta.hostvars['r2'], {
    ansible_host: '192.168.121.121',
    ansible_port: 22,
    ansible_user: 'vagrant',
    ansible_ssh_private_key_file: '/home/dev/prov/.vagrant/machines/r2/libvirt/private_key',
    ansible_become: true,
    ansible_ssh_common_args: `-o 'UserKnownHostsFile="{{ inventory_dir }}/known_hosts"' -o StrictHostKeyChecking=accept-new`,
  });
  t.is(mine.code, 0, mine.stderr);
  t.deepEqual(JSON.parse(mine.stdout), list);
  t.regex(
    imported.stderr,
    /host, r1, r2: Vagrant does not check host keys .*trusted on first use and recorded in known_hosts beside this inventory, never in ~\/\.ssh\/known_hosts/,
  );
});

test('a space in the key path, several keys, ports, ProxyCommand: ansible-inventory and prov agree', async (t) => {
  const { imported, ansible, mine } = await importAndList(t, 'tricky', ['--routers', 'r[12]']);
  t.is(imported.code, 0, imported.stderr);
  t.is(ansible.code, 0, ansible.stderr);
  const list = JSON.parse(ansible.stdout) as AnsibleList;
  t.deepEqual(list['routers'], { hosts: ['r1', 'r2'] });
  t.deepEqual(list['hosts'], { hosts: ['app1'] });
  t.like(list._meta.hostvars['r1'], { ansible_port: 2222, ansible_ssh_private_key_file: '/home/dev/my vms/.vagrant/machines/r1/libvirt/private_key' });
  t.like(list._meta.hostvars['app1'], { ansible_port: 2200 });
  t.false('ansible_ssh_common_args' in list._meta.hostvars['app1']!);
  t.deepEqual(JSON.parse(mine.stdout), list);
  t.regex(imported.stderr, /r1: 2 IdentityFile lines; using \/home\/dev\/my vms\/.*private_key/);
});

/** `ssh -G` prints the configuration ssh would use, without connecting (the key as Ansible's ssh plugin passes it). */
async function sshG(args: string[]): Promise<Record<string, string>> {
  const r = await run('ssh', ['-G', ...args]);
  if (r.code !== 0) throw new Error(r.stderr);
  const conf: Record<string, string> = {};
  for (const line of r.stdout.split('\n')) {
    const [k, ...v] = line.split(' ');
    if (k) conf[k] = k in conf ? `${conf[k]}\n${v.join(' ')}` : v.join(' '); // identityfile repeats
  }
  return conf;
}

test('OpenSSH reads the inventory of each machine as the connection Vagrant described', async (t) => {
  const { dir, ansible } = await importAndList(t, 'tricky');
  const list = JSON.parse(ansible.stdout) as AnsibleList;
  for (const name of ['r1', 'r2', 'app1']) {
    const vars = list._meta.hostvars[name]!;
    const common = String(vars['ansible_ssh_common_args'] ?? '').replaceAll('{{ inventory_dir }}', dir);
    const shlex = await run('python3', ['-c', 'import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))', common]);
    const words = JSON.parse(shlex.stdout) as string[];
    const ours = await sshG([
      ...words,
      '-p',
      String(vars['ansible_port']),
      '-l',
      String(vars['ansible_user']),
      '-o',
      `IdentityFile="${String(vars['ansible_ssh_private_key_file'])}"`,
      String(vars['ansible_host']),
    ]);
    const vagrants = await sshG(['-F', join(FIXTURES, 'tricky.ssh-config'), name]);
    for (const key of ['hostname', 'port', 'user', 'proxycommand']) t.is(ours[key], vagrants[key], `${name}: ${key}`);
    t.true(ours['identityfile']!.split('\n').includes(vagrants['identityfile']!.split('\n')[0]!), `${name}: identityfile`);
    if (name === 'app1') {
      t.is(ours['userknownhostsfile'], vagrants['userknownhostsfile'], 'a checked machine keeps the default known_hosts');
    } else {
      t.is(vagrants['userknownhostsfile'], '/dev/null');
      t.is(ours['userknownhostsfile'], `${dir}/known_hosts`, "the inventory's own file, never /dev/null or ~/.ssh/known_hosts");
      t.is(ours['stricthostkeychecking'], 'accept-new');
    }
  }
  t.is(
    (await sshG(['-F', join(FIXTURES, 'tricky.ssh-config'), 'r2']))['proxycommand'],
    "ssh 'hv.example.net' -l 'lab ops' -i '/home/dev/.ssh/id_ed25519' -W %h:%p",
  );
});

test('stdin with -, the same inventory as from the file', async (t) => {
  const { env } = await workDir(t);
  const fixture = join(FIXTURES, 'seed.ssh-config');
  const fromFile = await prov(['inventory', 'vagrant', '--ssh-config', fixture], { env });
  const fromStdin = await run(process.execPath, [fileURLToPath(new URL('../../bin/prov.js', import.meta.url)), 'inventory', 'vagrant', '--ssh-config', '-'], {
    env,
    input: await readFile(fixture, 'utf8'),
  });
  t.is(fromStdin.code, 0, fromStdin.stderr);
  t.is(fromStdin.stdout.split('\n').slice(1).join('\n'), fromFile.stdout.split('\n').slice(1).join('\n'));
  t.regex(fromStdin.stdout, /^# Written by `prov inventory vagrant` from <stdin>\.\n/);
});

test('without --ssh-config it runs the real `vagrant ssh-config`: outside a Vagrant project, one clear error', async (t) => {
  const { dir, env } = await workDir(t);
  const r = await prov(['inventory', 'vagrant'], { cwd: dir, env: { ...env, VAGRANT_HOME: join(dir, '.vagrant.d'), VAGRANT_CWD: dir } });
  t.is(r.code, 5, r.stderr);
  t.regex(r.stderr, /^ERROR! vagrant ssh-config failed: .*; run it where the Vagrantfile is, once the machines are up, or give --ssh-config FILE\n$/);
  t.is(r.stdout, '');
});

test('a missing --ssh-config file and a file that is not ssh-config output are one-line errors', async (t) => {
  const { dir, env } = await workDir(t);
  const missing = await prov(['inventory', 'vagrant', '--ssh-config', join(dir, 'nope')], { env });
  t.is(missing.code, 5);
  t.regex(missing.stderr, /^ERROR! .*nope: cannot read ssh config: /);
  await writeFile(join(dir, 'inv.yml'), 'all:\n  hosts: {}\n');
  const wrong = await prov(['inventory', 'vagrant', '--ssh-config', join(dir, 'inv.yml')], { env });
  t.is(wrong.code, 4);
  t.regex(wrong.stderr, /^ERROR! .*inv\.yml:1: 'all:' has no value\n$/);
});
