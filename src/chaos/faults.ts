import { ProvError } from '../core/errors.js';
import { shellQuote, type Transport } from '../core/transport.js';
import { powerOff, powerOn } from './lab-power.js';
import type { FaultKind } from './types.js';
import { failureReason } from '../core/text.js';

/** The router under test: how to reach it, and what a power fault needs (a lab node). */
export interface FaultTarget {
  router: string;
  /** Its host-facing interface (subnet_interface). */
  subnetInterface: string;
  transport: () => Transport;
  /** Lab name when the router is a lab node (needed for `power`). */
  lab?: string;
  /** The hosts the flows run on (needed for `host-reconfigure`). */
  hosts?: { name: string; subnetInterface: string; transport: () => Transport }[];
}

const FRR_DAEMONS = 'watchfrr|zebra|bgpd|bfdd|staticd|mgmtd';

/** Shell commands that inject and undo each fault (power is not a command: see lab-power.ts). */
export function faultCommands(kind: Exclude<FaultKind, 'power' | 'host-reconfigure'>, subnetInterface: string): { inject: string; recover: string } {
  const dev = shellQuote(subnetInterface);
  switch (kind) {
    case 'link':
      return { inject: `ip link set dev ${dev} down`, recover: `ip link set dev ${dev} up` };
    case 'frr-stop':
      return { inject: 'systemctl stop frr', recover: 'systemctl start frr' };
    case 'frr-kill':
      // SIGKILL leaves no chance to clean up (no BGP notification, no BFD down message).
      return { inject: `pkill -KILL -x '${FRR_DAEMONS}'`, recover: 'systemctl reset-failed frr; systemctl restart frr' };
  }
}

async function execOrFail(t: Transport, router: string, command: string, what: string): Promise<void> {
  const r = await t.exec(command);
  if (r.code !== 0) throw new ProvError('failed', `chaos: ${what} on ${router} failed (${command}): ${failureReason(r)}`);
}

/** The command a host runs for `host-reconfigure`: systemd-networkd gives the DHCP lease up and takes it again. */
export function hostReconfigureCommand(subnetInterface: string): string {
  return `networkctl reconfigure ${shellQuote(subnetInterface)}`;
}

export async function injectFault(kind: FaultKind, target: FaultTarget): Promise<void> {
  if (kind === 'host-reconfigure') {
    const hosts = target.hosts ?? [];
    if (hosts.length === 0) throw new ProvError('options', 'chaos: the host-reconfigure fault needs hosts');
    await Promise.all(hosts.map((h) => execOrFail(h.transport(), h.name, hostReconfigureCommand(h.subnetInterface), `injecting ${kind}`)));
    return;
  }
  if (kind === 'power') {
    if (!target.lab) throw new ProvError('options', `chaos: the power fault needs a lab node; ${target.router} is not one`);
    await powerOff(target.lab, target.router);
    return;
  }
  await execOrFail(target.transport(), target.router, faultCommands(kind, target.subnetInterface).inject, `injecting ${kind}`);
}

export async function recoverFault(kind: FaultKind, target: FaultTarget): Promise<void> {
  if (kind === 'host-reconfigure') return; // nothing to undo: networkd takes the lease again by itself
  if (kind === 'power') {
    await powerOn(target.lab!, target.router);
    return;
  }
  await execOrFail(target.transport(), target.router, faultCommands(kind, target.subnetInterface).recover, `recovering from ${kind}`);
}
