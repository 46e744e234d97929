import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Release } from './image.js';
import type { HostNetwork } from './topology.js';
import type { Topology } from './topology.js';

/** Runtime files of a lab: overlays, logs, leases, pids. Removed by `lab down`. */
export function runtimeDir(name: string): string {
  return join(process.env.PROV_LAB_RUN_DIR || '/run/prov', name);
}

export interface LabState {
  name: string;
  release: Release;
  image: string;
  createdAt: string;
  inventoryPath: string;
  keyDir: string;
  topology: Topology;
  /** Hosts' DHCP on ens6 (`--host-network`); absent in states written before the option existed. */
  hostNetwork?: HostNetwork;
  /** Supervised processes: systemd-nspawn per node, dnsmasq, the test servers. */
  pids: Record<string, number>;
  /** Overlay mount points, so that down unmounts them even if the process table lies. */
  mounts: string[];
}

export function statePath(name: string): string {
  return join(runtimeDir(name), 'state.json');
}

export function readState(name: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(statePath(name), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

/** Written atomically: a crash mid-write leaves the previous state, never half a file. */
export function writeState(state: LabState): void {
  const dir = runtimeDir(state.name);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `state.json.${process.pid}`);
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, statePath(state.name));
}
