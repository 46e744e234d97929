import { mkdirSync, readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One cgroup per node. systemd-nspawn with --keep-unit runs the container in the caller's
 * cgroup; without a systemd on the host every node would then share one cgroup, and the nodes'
 * systemds would create and remove each other's unit cgroups ("Failed at step CGROUP"). The
 * lab moves each nspawn into its own cgroup in the hierarchies systemd uses (the named
 * `systemd` v1 hierarchy and the unified v2 one).
 */
export function systemdCgroupMounts(): string[] {
  const out: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const point = left.split(' ')[4];
    const [fstype, , options = ''] = right.split(' ');
    if (!point) continue;
    if (fstype === 'cgroup2' || (fstype === 'cgroup' && options.split(',').includes('name=systemd'))) out.push(point);
  }
  return out;
}

export function labCgroupDirs(name: string): string[] {
  return systemdCgroupMounts().map((m) => join(m, `prov-lab-${name}`));
}

/** Creates the node's cgroups; returns the cgroup.procs files to write the nspawn pid into. */
export function makeNodeCgroups(name: string, node: string): string[] {
  return labCgroupDirs(name).map((dir) => {
    const d = join(dir, node);
    mkdirSync(d, { recursive: true });
    return join(d, 'cgroup.procs');
  });
}

/** Removes the lab's cgroups (empty once its processes are gone), deepest first. */
export function removeLabCgroups(name: string): number {
  let removed = 0;
  const walk = (dir: string): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir).filter((e) => statSync(join(dir, e)).isDirectory());
    } catch {
      return;
    }
    for (const e of entries) walk(join(dir, e));
    try {
      rmdirSync(dir);
      removed++;
    } catch {
      // still busy or already gone
    }
  };
  for (const dir of labCgroupDirs(name)) walk(dir);
  return removed;
}

/** The pids in the lab's cgroups (every node's processes, nspawn included), from cgroup.procs. */
export function labCgroupPids(name: string): number[] {
  const out = new Set<number>();
  const walk = (dir: string): void => {
    try {
      for (const line of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')) if (line) out.add(Number(line));
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(join(dir, e.name));
    } catch {
      // gone meanwhile
    }
  };
  for (const dir of labCgroupDirs(name)) walk(dir);
  return [...out];
}
