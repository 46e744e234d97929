/**
 * What `prov verify` checks, decided from the inventory alone (no I/O): which routers and hosts
 * are contacted, what each should see (the whole set, whatever --limit checks), and where the
 * traffic checks send their connections.
 */
import { ProvError } from '../core/errors.js';
import { selectHosts } from '../inventory/patterns.js';
import type { Inventory, Vars } from '../inventory/types.js';
import { allHostVars, groupsMap } from '../inventory/vars.js';
import { parseTarget, type TcpTarget } from './connections.js';
import type { CheckResult, Peer } from './types.js';

/** One line of the verify report: a check on a node ("-" when it is about the inventory). */
export interface CheckRow extends CheckResult {
  node: string;
}

export interface VerifyScope {
  routersGroup?: string;
  hostsGroup?: string;
  /** Ansible host pattern: only these routers and hosts are contacted and checked. */
  limit?: string;
  /** TCP connections per host for the traffic check. */
  connections?: number;
}

export interface VerifyPlan {
  /** Routers and hosts to contact and check, in report order. */
  routers: string[];
  hosts: string[];
  vars: Record<string, Vars>;
  /** What every router and host should see: all of them, whatever --limit checks. */
  routerPeers: Peer[];
  hostPeers: Peer[];
  hostsGroup: string;
  limited: boolean;
  /** Traffic targets: unset, an address, or a failed row saying what is wrong with the setting. */
  internet?: TcpTarget | CheckRow;
  peer?: TcpTarget | CheckRow;
  connections: number;
}

function peers(names: string[], vars: Record<string, Vars>): Peer[] {
  return names.map((name) => ({ name, address: String(vars[name]?.subnet_address ?? vars[name]?.ansible_host ?? name) }));
}

function targetSetting(name: string, value: unknown, check: string): TcpTarget | CheckRow | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'string' ? parseTarget(value) : undefined;
  if (parsed) return parsed;
  return {
    node: '-',
    check,
    ok: false,
    detail: `${name} ${JSON.stringify(String(value).slice(0, 80))} is not address:port (a host name or IP address, then a port)`,
  };
}

export const isCheckRow = (v: TcpTarget | CheckRow | undefined): v is CheckRow => v !== undefined && 'check' in v;

/** The upstream interface of a router (where its NAT rule is). */
export function upstreamInterface(plan: VerifyPlan, router: string): string {
  return String(plan.vars[router]?.upstream_interface ?? 'eth1');
}

export function planVerify(inv: Inventory, inventoryName: string, scope: VerifyScope): VerifyPlan {
  const groups = groupsMap(inv);
  const routersGroup = scope.routersGroup ?? 'routers';
  const hostsGroup = scope.hostsGroup ?? 'hosts';
  const allRouters = groups[routersGroup] ?? [];
  const allHosts = groups[hostsGroup] ?? [];
  if (allRouters.length === 0) throw new ProvError('options', `${inventoryName}: group '${routersGroup}' has no hosts`);
  const limited = scope.limit === undefined ? undefined : new Set(selectHosts(inv, scope.limit));
  const routers = limited ? allRouters.filter((r) => limited.has(r)) : allRouters;
  const hosts = limited ? allHosts.filter((h) => limited.has(h)) : allHosts;
  if (limited && routers.length + hosts.length === 0) {
    throw new ProvError('options', `--limit '${scope.limit}' matches no host of groups '${routersGroup}' or '${hostsGroup}' in ${inventoryName}`);
  }
  const vars = allHostVars(inv);
  const any = vars[allHosts[0] ?? allRouters[0]!]!;
  const echo = (address: unknown) => (address ? `${address}:${any.lab_echo_port ?? 9000}` : undefined);
  return {
    routers,
    hosts,
    vars,
    routerPeers: peers(allRouters, vars),
    hostPeers: peers(allHosts, vars),
    hostsGroup,
    limited: limited !== undefined,
    internet: targetSetting('verify_internet_target', any.verify_internet_target ?? echo(any.lab_test_server), 'internet tcp'),
    peer: targetSetting('verify_peer_target', any.verify_peer_target ?? echo(any.lab_peer_address), 'peer subnet'),
    connections: scope.connections ?? 32,
  };
}

/** Rows in report order: routers, then hosts, then rows about the whole set. */
export function sortRows(plan: VerifyPlan, rows: CheckRow[]): CheckRow[] {
  const order = [...plan.routers, ...plan.hosts];
  const rank = (node: string) => (order.includes(node) ? order.indexOf(node) : order.length);
  return [...rows].sort((a, b) => rank(a.node) - rank(b.node));
}
