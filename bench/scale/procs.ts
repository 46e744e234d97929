/** Memory and CPU of FRR daemons, read from /proc: the peers' (by pid file) and the routers' (by namespace). */
import { readFileSync } from 'node:fs';
import { parseStatusRss } from '../proc-rss.js';

/** Those of `pids` whose command is one of `names` (a lab node's FRR daemons among all its processes). */
export function named(pids: readonly number[], names: readonly string[]): number[] {
  return pids.filter((pid) => {
    try {
      return names.includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
    } catch {
      return false;
    }
  });
}

/** The sum of `read(pid)` over processes, skipping those that exited meanwhile. */
function sumOverPids(pids: readonly number[], read: (pid: number) => number): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += read(pid);
    } catch {
      // exited
    }
  }
  return total;
}

/** Resident memory of processes, in bytes (0 for one that is gone). */
export function rssOf(pids: readonly number[]): number {
  return sumOverPids(pids, (pid) => parseStatusRss(readFileSync(`/proc/${pid}/status`, 'utf8')));
}

/** CPU time (user + system) of processes, in clock ticks, from /proc/<pid>/stat. */
export function cpuTicksOf(pids: readonly number[]): number {
  return sumOverPids(pids, (pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  });
}
