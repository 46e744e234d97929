import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/** True while the process exists and is not a zombie (a dead child not yet reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * True while /proc still lists the process, a zombie included: an exited process stays there
 * until its parent reaps it (for nodes detached by `lab up`, init, which may take a second or two).
 */
export function listed(pid: number): boolean {
  return existsSync(`/proc/${pid}`);
}

/** The parent pid from /proc/<pid>/stat, or 0 when the process is gone. */
function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) || 0;
  } catch {
    return 0;
  }
}

/** This process and its ancestors up to init: never to be signalled by a cleanup that runs inside them. */
export function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  for (let pid = process.pid; pid > 1 && !out.has(pid); pid = parentOf(pid)) out.add(pid);
  return out;
}

/** The `net:[inode]` name of a network namespace file (/run/netns/x), as /proc/<pid>/ns/net links to it. */
export function netnsId(file: string): string | undefined {
  try {
    return `net:[${statSync(file).ino}]`;
  } catch {
    return undefined;
  }
}

/** Pids whose network namespace is one of ids (from netnsId). */
export function pidsInNetns(ids: ReadonlySet<string>): number[] {
  if (ids.size === 0) return [];
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (ids.has(readlinkSync(`/proc/${entry}/ns/net`))) out.push(Number(entry));
    } catch {
      // exited meanwhile, or a kernel thread
    }
  }
  return out;
}
