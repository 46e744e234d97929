/** What a chaos run needs from the inventory, checked before anything is started (no I/O). */
import { ProvError } from '../core/errors.js';
import type { Inventory, Vars } from '../inventory/types.js';
import { allHostVars, groupsMap } from '../inventory/vars.js';
import type { ChaosOptions } from './options.js';

export interface ChaosPlan {
  routers: string[];
  hosts: string[];
  vars: Record<string, Vars>;
  /** The lab the inventory belongs to (lab_name), when it is a lab's. */
  lab?: string;
  /** Each router's subnet address: every host's default route must have all of them. */
  routerAddrs: string[];
  /** The router each NAT address belongs to: the receiver sees the router's upstream address. */
  routerByAddress: Map<string, string>;
  /** Where the flows go: --target, or a receiver to start in the lab's test-server namespace. */
  receiver: { address: string; port: number; start: boolean };
}

export function planChaos(inv: Inventory, inventoryPath: string, options: ChaosOptions): ChaosPlan {
  const groups = groupsMap(inv);
  const routers = groups[options.routersGroup] ?? [];
  const hosts = groups[options.hostsGroup] ?? [];
  if (routers.length < 2) throw new ProvError('options', `${inventoryPath}: chaos needs at least 2 routers in group '${options.routersGroup}'`);
  if (hosts.length === 0) throw new ProvError('options', `${inventoryPath}: group '${options.hostsGroup}' has no hosts`);
  if (!routers.includes(options.router)) throw new ProvError('options', `${inventoryPath}: ${options.router} is not in group '${options.routersGroup}'`);
  const vars = allHostVars(inv);
  const first = vars[hosts[0]!]!;
  const lab = typeof first.lab_name === 'string' ? first.lab_name : undefined;
  const routerByAddress = new Map<string, string>();
  for (const r of routers) for (const k of ['upstream_address', 'public_address', 'ansible_host']) if (vars[r]![k]) routerByAddress.set(String(vars[r]![k]), r);
  const routerAddrs = routers.map((r) => String(vars[r]!.subnet_address ?? ''));
  if (routerAddrs.some((a) => !a)) throw new ProvError('options', `${inventoryPath}: every router needs subnet_address`);
  let receiver: ChaosPlan['receiver'];
  if (options.target) {
    const m = /^([\d.]+):(\d+)$/.exec(options.target);
    if (!m) throw new ProvError('options', `chaos: --target must be ADDRESS:PORT, got '${options.target}'`);
    receiver = { address: m[1]!, port: Number(m[2]), start: false };
  } else {
    if (!lab)
      throw new ProvError(
        'options',
        `${inventoryPath}: not a lab inventory (no lab_name): run receiver.mjs next to your test server and pass --target ADDRESS:PORT`,
      );
    receiver = { address: String(first.lab_test_server ?? '198.51.100.10'), port: options.receiverPort, start: true };
  }
  return { routers, hosts, vars, lab, routerAddrs, routerByAddress, receiver };
}
