import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { labCgroupPids, removeLabCgroups } from './cgroups.js';
import { alive, listed, netnsId, pidsInNetns, selfAndAncestors } from './proc.js';
import { ipBatchForce, runCapture } from './run.js';
import { readState, runtimeDir } from './state.js';
import { isLabRootLink, labId, netnsPrefix } from './topology.js';

/**
 * How long nodes get to shut down cleanly before SIGKILL. A lab node holds nothing worth a
 * clean shutdown (its overlay is deleted next), so this stays short.
 */
const GRACE_MS = 2500;
/** After SIGKILL, how long the kernel gets to end them (a process in uninterruptible I/O ends later). */
const KILL_MS = 10_000;
/** How long their parent (init, for the nodes `lab up` detached) gets to reap them: until then /proc still lists them. */
const REAP_MS = 5000;

export interface DownReport {
  processes: number;
  /** Processes of the lab that had exited but were still listed in /proc when down gave up waiting. */
  lingering: number[];
  mounts: number;
  namespaces: number;
  links: number;
}

/**
 * Removes everything lab `name` made. It works from the state file AND from naming conventions
 * (namespace prefix, root link names, runtime path in process command lines and mount points),
 * so it is safe to run twice, after a crash, or when the state file is gone.
 */
export async function labDown(name: string): Promise<DownReport> {
  const runtime = runtimeDir(name);
  const state = readState(name);
  const id = state?.topology.id ?? labId(name);
  const prefix = netnsPrefix(name);
  const namespaces = await labNamespaces(prefix);

  // 1. Processes: the supervised ones first (SIGTERM to nspawn lets the node shut down), then
  //    whatever is still in the lab's namespaces or cgroups (looked up again each round: a node
  //    that shuts down starts new processes), with SIGKILL; then down waits until /proc no longer
  //    lists any of them, so that when it returns no process of the lab is left, not even a zombie.
  const spare = selfAndAncestors();
  const netnsIds = new Set(namespaces.map((ns) => netnsId(`/run/netns/${ns}`)).filter((x): x is string => !!x));
  const members = () => [...new Set([...processesUsing(runtime + '/'), ...pidsInNetns(netnsIds), ...labCgroupPids(name)])].filter((p) => !spare.has(p));
  const supervised = [...new Set([...Object.values(state?.pids ?? {}), ...processesUsing(runtime + '/')])].filter((p) => !spare.has(p) && alive(p));
  const seen = new Set(supervised);
  for (const pid of supervised) signal(pid, 'SIGTERM');
  await waitUntil(() => !supervised.some(alive), GRACE_MS);
  await waitUntil(() => {
    const left = [...new Set([...supervised, ...members()])].filter(alive);
    for (const pid of left) {
      seen.add(pid);
      signal(pid, 'SIGKILL');
    }
    return left.length === 0;
  }, KILL_MS);
  await waitUntil(() => ![...seen].some(listed), REAP_MS);
  const lingering = [...seen].filter(listed);

  // 2. Overlay mounts under the runtime directory (deepest first).
  const mounts = mountsUnder(runtime + '/');
  await Promise.all(
    mounts.map(async (m) => {
      const r = await runCapture('umount', [m]);
      if (r.code !== 0) await runCapture('umount', ['-l', m]);
    }),
  );

  // 3. Namespaces (their veths and bridges go with them), then the lab's root-namespace links.
  await ipBatchForce(namespaces.map((ns) => `netns del ${ns}`));
  const links = rootLinks().filter((l) => isLabRootLink(id, l));
  await ipBatchForce(links.map((l) => `link del ${l}`));

  // 4. The nodes' cgroups and the runtime files.
  removeLabCgroups(name);
  if (existsSync(runtime)) rmSync(runtime, { recursive: true, force: true });
  return { processes: seen.size, lingering, mounts: mounts.length, namespaces: namespaces.length, links: links.length };
}

export async function labNamespaces(prefix: string): Promise<string[]> {
  let names: string[] = [];
  try {
    names = readdirSync('/run/netns');
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix));
}

/** Processes whose command line names the lab's runtime directory (nspawn -D, dnsmasq, servers). */
export function processesUsing(path: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(path)) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Mount points at or below `path`, deepest first (from /proc/self/mountinfo). */
export function mountsUnder(path: string): string[] {
  const text = readFileSync('/proc/self/mountinfo', 'utf8');
  const points = text
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\040/g, ' '))
    .filter((p) => p.startsWith(path) || p + '/' === path);
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

export function rootLinks(): string[] {
  try {
    return readdirSync('/sys/class/net');
  } catch {
    return [];
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Polls cond every 25 ms until it holds or ms have passed. */
async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(25);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
