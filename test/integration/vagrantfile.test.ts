/**
 * The top-level Vagrantfile (the seed's demo), checked by the installed Vagrant 2.3.4 and
 * vagrant-libvirt without booting anything: `vagrant validate` passes (and fails on a broken
 * libvirt option, so the provider's own validation ran), the machines, networks and the one
 * trigger are what the seed describes, and the trigger's script imports an inventory that,
 * with the group_vars and host_vars shipped beside it, loads with the site playbook. Vagrant
 * runs in a network namespace of its own (`unshare -rn`): it needs no network and no box.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prov } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A copy of the Vagrantfile and its trigger's script in a temp dir (Vagrant writes .vagrant/ beside it) and an env with a temp VAGRANT_HOME. */
async function project(t: { teardown: (fn: () => Promise<void>) => void }, edit: (text: string) => string = (s) => s) {
  const dir = await mkdtemp(join(tmpdir(), 'prov-vagrantfile-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'Vagrantfile'), edit(await readFile(join(ROOT, 'Vagrantfile'), 'utf8')));
  await cp(join(ROOT, 'vagrant/provision.sh'), join(dir, 'vagrant/provision.sh')); // validate checks that the trigger's script exists
  const env = { ...process.env, VAGRANT_HOME: join(dir, '.vagrant.d'), VAGRANT_DEFAULT_PROVIDER: 'libvirt', VAGRANT_CHECKPOINT_DISABLE: '1', VAGRANT_CWD: dir };
  return { dir, env };
}

const offline = (args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) => run('unshare', ['-rn', ...args], options);

test('vagrant validate passes on the Vagrantfile, offline, without a box', async (t) => {
  const { dir, env } = await project(t);
  const r = await offline(['vagrant', 'validate'], { cwd: dir, env });
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, /Vagrantfile validated successfully\./);
});

test('vagrant validate fails on a broken libvirt option: the provider plugin checks its config', async (t) => {
  const { dir, env } = await project(t, (s) => s.replace('libvirt.memory = 512', 'libvirt.memory = 512\n    libvirt.memroy = 512'));
  const r = await offline(['vagrant', 'validate'], { cwd: dir, env });
  t.not(r.code, 0);
  t.regex(r.stdout + r.stderr, /memroy/);
});

interface Machine {
  name: string;
  box: string;
  hostname: string;
  networks: Array<{ type: string; options: Record<string, unknown> }>;
  after: Array<{ command: string; name: string; run: { path: string | null; inline: string | null } | null }>;
}

test('host, r1, r2 on Debian bookworm, testnet open without DHCP, one trigger after the last machine', async (t) => {
  const { dir, env } = await project(t);
  const r = await offline(['ruby', join(ROOT, 'test/helpers/vagrant-machines.rb'), dir], { cwd: dir, env });
  t.is(r.code, 0, r.stderr);
  const { machines, no_parallel } = JSON.parse(r.stdout) as { machines: Machine[]; no_parallel: string | null };
  t.deepEqual(
    machines.map((m) => m.name),
    ['host', 'r1', 'r2'],
  );
  t.is(no_parallel, 'yes', 'one machine after the other, so that the trigger of the last one runs once all are up');
  const addresses: Record<string, string> = { host: '192.168.100.100', r1: '192.168.100.20', r2: '192.168.100.21' };
  for (const m of machines) {
    t.is(m.box, 'debian/bookworm64');
    t.is(m.hostname, m.name);
    const testnet = m.networks.filter((n) => n.type === 'private_network');
    t.deepEqual(testnet, [
      {
        type: 'private_network',
        options: {
          ip: addresses[m.name],
          libvirt__network_name: 'testnet',
          libvirt__forward_mode: 'open',
          libvirt__dhcp_enabled: false,
          netmask: '255.255.255.0',
          protocol: 'tcp',
        },
      },
    ]);
  }
  t.deepEqual(machines[0]!.after, []);
  t.deepEqual(machines[1]!.after, []);
  t.deepEqual(machines[2]!.after, [{ command: 'up', name: 'prov apply', run: { path: 'vagrant/provision.sh', inline: null } }]);
  await access(join(ROOT, 'vagrant/provision.sh'), constants.X_OK);
});

test("the trigger's script: `prov inventory vagrant` then `prov apply` on it with the site playbook", async (t) => {
  const script = await readFile(join(ROOT, 'vagrant/provision.sh'), 'utf8');
  const commands = script.split('\n').filter((l) => /^npx prov /.test(l));
  t.deepEqual(commands, ['npx prov inventory vagrant > vagrant/inventory/hosts.yml', 'npx prov apply vagrant/inventory/hosts.yml playbooks/site.yml']);
});

test('the imported inventory with the shipped group_vars and host_vars: what the roles need, and the site playbook loads on it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'prov-vagrant-inv-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await cp(join(ROOT, 'vagrant/inventory'), join(dir, 'inventory'), { recursive: true });
  const imported = await prov(['inventory', 'vagrant', '--ssh-config', join(ROOT, 'test/fixtures/vagrant/seed.ssh-config')]);
  t.is(imported.code, 0, imported.stderr);
  const inventory = join(dir, 'inventory', 'hosts.yml');
  await writeFile(inventory, imported.stdout);
  const list = await prov(['inventory', inventory, '--list']);
  t.is(list.code, 0, list.stderr);
  const hostvars = (JSON.parse(list.stdout) as { _meta: { hostvars: Record<string, Record<string, unknown>> } })._meta.hostvars;
  t.like(hostvars['host'], { subnet_address: '192.168.100.100', subnet_interface: 'eth1', subnet_gateway: '192.168.100.1', vpc_supernet: '192.168.100.0/23' });
  t.like(hostvars['r1'], {
    subnet_address: '192.168.100.20',
    upstream_interface: 'eth0',
    subnet_cidr: '192.168.100.0/24',
    bgp_listen_range: '192.168.100.96/27',
  });
  t.like(hostvars['r2'], { subnet_address: '192.168.100.21', ansible_host: '192.168.121.121', ansible_become: true });
  t.false('upstream_interface' in hostvars['host']!);
  const plays = await prov(['apply', inventory, join(ROOT, 'playbooks/site.yml'), '--list-hosts'], { cwd: ROOT });
  t.is(plays.code, 0, plays.stdout + plays.stderr);
  t.regex(plays.stdout, /r1/);
  t.regex(plays.stdout, /host\b/);
});
