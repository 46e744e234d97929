/**
 * The controller's memory while a benchmarked tool runs: the summed RSS of a process tree, read
 * from /proc (Linux only). A tree is the root process, its descendants, the processes of its
 * session (ansible-playbook's forks) and, optionally, processes whose command line names a marker
 * (the SSH ControlPersist masters that detach from the tree but serve the run).
 */
import { readFileSync, readdirSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  sid: number;
}

/** pid, ppid and session of /proc/PID/stat (the command name may hold spaces and parentheses). */
export function parseStat(text: string): ProcInfo | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const pid = Number.parseInt(text, 10);
  return { pid, ppid: Number(fields[1]), sid: Number(fields[3]) };
}

/** VmRSS of /proc/PID/status in bytes (0 for kernel threads and zombies). */
export function parseStatusRss(text: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // the process ended between readdir and read
  }
}

/** The pids of the tree rooted at `root` (see the file's comment). */
export function treePids(root: number, marker?: string): number[] {
  const procs: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(name, 'stat');
    const info = stat ? parseStat(stat) : undefined;
    if (info) procs.push(info);
  }
  const rootInfo = procs.find((p) => p.pid === root);
  const inTree = new Set<number>([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (inTree.has(p.pid)) continue;
      if (inTree.has(p.ppid) || (rootInfo && p.sid === rootInfo.sid && rootInfo.sid === root)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  if (marker) {
    for (const p of procs) {
      if (!inTree.has(p.pid) && (readProc(String(p.pid), 'cmdline') ?? '').includes(marker)) inTree.add(p.pid);
    }
  }
  return [...inTree];
}

/** Summed RSS in bytes of the tree rooted at `root`. */
export function treeRss(root: number, marker?: string): number {
  let sum = 0;
  for (const pid of treePids(root, marker)) sum += parseStatusRss(readProc(String(pid), 'status') ?? '');
  return sum;
}

export interface RssSampler {
  /** Stops sampling; the highest sum seen, in bytes. */
  stop(): number;
}

/** Samples the tree's RSS every `intervalMs` until stop(). */
export function sampleTreeRss(root: number, intervalMs = 100, marker?: string): RssSampler {
  let peak = treeRss(root, marker);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(root, marker));
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** The 1-minute load average and the rest of /proc/loadavg's first three fields. */
export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
