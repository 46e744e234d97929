import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { removeLabCgroups } from './cgroups.js';
import { alive } from './proc.js';
import { ipBatchForce, runCapture } from './run.js';
import { readState, runtimeDir } from './state.js';
import { isLabRootLink, labId, netnsPrefix } from './topology.js';

/**
 * How long nodes get to shut down cleanly before SIGKILL. A lab node holds nothing worth a
 * clean shutdown (its overlay is deleted next), so this stays short.
 */
const GRACE_MS = 2500;

export interface DownReport {
  processes: number;
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
  //    whatever is still inside the lab's namespaces, with SIGKILL after a timeout.
  const supervised = new Set<number>([...Object.values(state?.pids ?? {}), ...processesUsing(runtime + '/')]);
  supervised.delete(process.pid);
  const found = [...supervised].filter(alive);
  for (const pid of found) signal(pid, 'SIGTERM');
  await waitGone(found, GRACE_MS);
  const rest = new Set(found.filter(alive));
  for (const ns of namespaces) for (const pid of await namespacePids(ns)) rest.add(pid);
  rest.delete(process.pid);
  for (const pid of rest) signal(pid, 'SIGKILL');
  await waitGone([...rest], 3000);

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
  return { processes: found.length + [...rest].filter((p) => !found.includes(p)).length, mounts: mounts.length, namespaces: namespaces.length, links: links.length };
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

async function namespacePids(ns: string): Promise<number[]> {
  const r = await runCapture('ip', ['netns', 'pids', ns]);
  return r.stdout.split(/\s+/).filter(Boolean).map(Number);
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

async function waitGone(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await sleep(25);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
