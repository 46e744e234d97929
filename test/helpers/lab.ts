import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: repoRoot, env: opts.env ?? process.env, uid: opts.uid, gid: opts.gid });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (code) => done({ code: code ?? 1, stdout, stderr, ms: Date.now() - started }));
  });
}

/** `prov lab ARGS…` through the lab's own entry point (the same commands as `prov lab`). */
export function lab(args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return run(process.execPath, ['--import', 'tsx', join(repoRoot, 'src/cli/lab-main.ts'), 'lab', ...args], { env });
}

export interface LabInventory {
  vars: Record<string, string | number>;
  routers: Record<string, { ansible_host: string; subnet_address: string; upstream_address: string }>;
  hosts: Record<string, { ansible_host: string; subnet_address: string }>;
  routerVars: Record<string, string>;
}

export function readInventory(name: string): LabInventory {
  // biome-ignore lint/suspicious/noExplicitAny: the lab's own inventory, read back as the test expects it
  const doc = load(readFileSync(join(repoRoot, 'inventory', `${name}.yml`), 'utf8')) as any;
  return {
    vars: doc.all.vars,
    routers: doc.all.children.routers.hosts,
    hosts: doc.all.children.hosts.hosts,
    routerVars: doc.all.children.routers.vars,
  };
}

/** One command on a node with the plain ssh client: strict host key checking, lab known_hosts, batch mode. */
export function ssh(inv: LabInventory, address: string, command: string): Promise<Run> {
  return run('ssh', [
    '-i',
    String(inv.vars.ansible_ssh_private_key_file),
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${inv.vars.prov_known_hosts_file}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ConnectTimeout=5',
    `root@${address}`,
    command,
  ]);
}

/** Everything of a lab that could be left behind on the machine; all lists empty when it is gone. */
export function leftovers(name: string, id: string): Record<string, string[]> {
  const runtime = `/run/prov/${name}/`;
  const netns = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(`prov-${name}_`)) : [];
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p.startsWith(runtime) || p.startsWith(`/run/netns/prov-${name}_`));
  const processes: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(runtime)) processes.push(`${pid} ${cmd.replace(/\0/g, ' ')}`);
    } catch {
      // gone
    }
  }
  const links = readdirSync('/sys/class/net').filter((l) => l.startsWith(id));
  const files = existsSync(runtime) ? [runtime] : [];
  const cgroups = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified', '/sys/fs/cgroup'].map((m) => join(m, `prov-lab-${name}`)).filter((d) => existsSync(d));
  return { netns, mounts, processes, links, files, cgroups };
}

/**
 * Every process of a running lab: the ones its state file names (nspawn, dnsmasq, servers), the
 * members of its cgroups (each node's processes) and of its network namespaces.
 */
export function labProcesses(name: string): number[] {
  const pids = new Set<number>(Object.values(JSON.parse(readFileSync(`/run/prov/${name}/state.json`, 'utf8')).pids as Record<string, number>));
  const netns = new Set(
    readdirSync('/run/netns')
      .filter((n) => n.startsWith(`prov-${name}_`))
      .map((n) => `net:[${statSync(`/run/netns/${n}`).ino}]`),
  );
  const cgroups = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified', '/sys/fs/cgroup'].map((m) => join(m, `prov-lab-${name}`));
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const l of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (l) pids.add(Number(l));
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
  };
  for (const dir of cgroups) walk(dir);
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (netns.has(readlinkSync(`/proc/${pid}/ns/net`))) pids.add(Number(pid));
    } catch {
      // gone
    }
  }
  return [...pids];
}

/** The pids that /proc still lists (running, exiting or a zombie not yet reaped), with their state. */
export function stillListed(pids: number[]): string[] {
  return pids.flatMap((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return [`${pid} ${stat.slice(stat.indexOf('('), stat.lastIndexOf(')') + 3)}`];
    } catch {
      return [];
    }
  });
}
