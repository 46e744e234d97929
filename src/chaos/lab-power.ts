import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ProvError } from '../core/errors.js';
import { labCgroupDirs, makeNodeCgroups } from '../lab/cgroups.js';
import { bootNode, nodePaths } from '../lab/nodes.js';
import { runCapture } from '../lab/run.js';
import { NODE_IFACES } from '../lab/topology.js';
import { readState, runtimeDir, writeState, type LabState } from '../lab/state.js';

/**
 * Power control of one lab node, for the "power off" fault: the node's processes (its
 * systemd-nspawn and everything inside the container) are SIGKILLed at once, like pulling the
 * plug, and its links go down (a killed container's namespace would otherwise keep forwarding
 * and NATing in the kernel). Its namespace, addresses, static routes and overlay stay, as a
 * VM's disk and NICs would.
 * Power on boots the same overlay again and records the new nspawn pid in the lab state so that
 * `prov lab down` still finds it.
 */
function labState(lab: string): LabState {
  const state = readState(lab);
  if (!state) throw new ProvError('options', `chaos: lab ${lab} is not running (no state in ${runtimeDir(lab)})`);
  return state;
}

function cgroupPids(dir: string): number[] {
  const out: number[] = [];
  const walk = (d: string): void => {
    try {
      for (const line of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n')) if (line.trim()) out.push(Number(line));
      for (const e of readdirSync(d)) if (statSync(join(d, e)).isDirectory()) walk(join(d, e));
    } catch {
      // the cgroup went away meanwhile
    }
  };
  walk(dir);
  return out;
}

/** Every process of the node, from its cgroups (nspawn joined them before exec). */
export function nodePids(lab: string, node: string): number[] {
  const pids = new Set<number>();
  for (const dir of labCgroupDirs(lab)) for (const pid of cgroupPids(join(dir, node))) pids.add(pid);
  return [...pids];
}

const savedRoutes = new Map<string, string[]>();
const ifaces = () => Object.values(NODE_IFACES);

export async function powerOff(lab: string, node: string): Promise<number> {
  const state = labState(lab);
  const labNode = state.topology.nodes.find((n) => n.name === node);
  if (!labNode) throw new ProvError('options', `chaos: lab ${lab} has no node ${node}`);
  // Routes the lab set from outside (a link going down deletes them); FRR's come back with FRR.
  const routes = await runCapture('ip', ['-n', labNode.netns, '-4', 'route', 'show', 'table', 'main']);
  savedRoutes.set(
    `${lab}/${node}`,
    routes.stdout.split('\n').filter((l) => l.trim() && !/proto (kernel|bgp|zebra)/.test(l)),
  );
  await Promise.all(ifaces().map((dev) => runCapture('ip', ['-n', labNode.netns, 'link', 'set', 'dev', dev, 'down'])));
  let killed = 0;
  const deadline = Date.now() + 5000;
  // Repeat: a dying systemd may still fork; stop once the cgroups are empty.
  for (;;) {
    const pids = nodePids(lab, node);
    if (pids.length === 0) return killed;
    if (Date.now() > deadline) throw new ProvError('internal', `chaos: ${node} still has ${pids.length} processes after SIGKILL`);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function powerOn(lab: string, node: string): Promise<number> {
  const state = labState(lab);
  const labNode = state.topology.nodes.find((n) => n.name === node);
  if (!labNode) throw new ProvError('options', `chaos: lab ${lab} has no node ${node}`);
  if (nodePids(lab, node).length > 0) throw new ProvError('internal', `chaos: ${node} is still running; power it off first`);
  const paths = nodePaths(runtimeDir(lab), node);
  for (const dev of ifaces()) await runCapture('ip', ['-n', labNode.netns, 'link', 'set', 'dev', dev, 'up']);
  for (const route of savedRoutes.get(`${lab}/${node}`) ?? []) await runCapture('ip', ['-n', labNode.netns, 'route', 'replace', ...route.trim().split(/\s+/)]);
  if (!existsSync(join(paths.root, 'etc'))) throw new ProvError('internal', `chaos: the overlay of ${node} is not mounted at ${paths.root}`);
  const pid = bootNode(labNode, paths, makeNodeCgroups(lab, node));
  state.pids[`node:${node}`] = pid;
  writeState(state);
  return pid;
}
