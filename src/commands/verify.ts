import { loadAnsibleConfig } from '../config/ansible-config.js';
import { ProvError, errorMessage } from '../errors.js';
import { connectionOf } from '../inventory/connection.js';
import { loadInventory } from '../inventory/load.js';
import { selectHosts } from '../inventory/patterns.js';
import type { Inventory, Vars } from '../inventory/types.js';
import { groupsMap, hostVars } from '../inventory/vars.js';
import { mapLimit } from '../runner/batches.js';
import { createTransport } from '../transport/create.js';
import type { Transport } from '../transport/transport.js';
import { connectionsScript, parseTarget, type TcpTarget } from '../verify/connections.js';
import { connectionDefaults, inventorySources, positiveSetting, trustNewHostKeys } from './settings.js';
import { natConnectionCount, verifyCommands, verifyHost, verifyRouter, verifySpread, type CheckResult, type CommandOutputs, type Peer } from '../verify/index.js';

export interface VerifyFlags {
  json?: boolean;
  trustNewHostKeys?: boolean;
  timeout?: number;
  routersGroup?: string;
  hostsGroup?: string;
  connections?: number;
  /** Ansible host pattern: only these routers and hosts are contacted and checked. */
  limit?: string;
  /** -i, repeatable. */
  inventory?: string[];
}

interface Row extends CheckResult {
  node: string;
}

function peers(names: string[], vars: Record<string, Vars>): Peer[] {
  return names.map((name) => ({ name, address: String(vars[name]?.subnet_address ?? vars[name]?.ansible_host ?? name) }));
}

async function runAll(t: Transport, commands: { key: string; command: string }[]): Promise<CommandOutputs> {
  const out: CommandOutputs = {};
  for (const c of commands) out[c.key] = await t.exec(c.command);
  return out;
}

/** Runs the connections from a host; returns how many were answered. */
async function openConnections(t: Transport, target: TcpTarget, count: number): Promise<number> {
  const res = await t.exec('bash -s | grep -c ok', { stdin: connectionsScript(target, count) });
  return Number(res.stdout.trim()) || 0;
}

/** A traffic target variable: unset, valid, or a failed check row saying what is wrong with it. */
function targetSetting(name: string, value: unknown, check: string): TcpTarget | Row | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const parsed = typeof value === 'string' ? parseTarget(value) : undefined;
  if (parsed) return parsed;
  return { node: '-', check, ok: false, detail: `${name} ${JSON.stringify(String(value).slice(0, 80))} is not address:port (a host name or IP address, then a port)` };
}

const isRow = (v: TcpTarget | Row | undefined): v is Row => v !== undefined && 'check' in v;

function table(rows: Row[]): string {
  const w = (k: 'node' | 'check') => Math.max(k.length, ...rows.map((r) => r[k].length));
  const lines = [`${'NODE'.padEnd(w('node'))}  ${'CHECK'.padEnd(w('check'))}  RESULT  DETAIL`];
  for (const r of rows) lines.push(`${r.node.padEnd(w('node'))}  ${r.check.padEnd(w('check'))}  ${(r.ok ? 'ok' : 'FAIL').padEnd(6)}  ${r.detail}`);
  return lines.join('\n');
}

/** `prov verify [inventory]` (or -i, or the configured inventory): live checks of a deployed gateway set. Returns the exit code. */
export async function verifyCommand(positional: string | undefined, flags: VerifyFlags): Promise<number> {
  const config = loadAnsibleConfig();
  const sources = inventorySources(positional, flags.inventory, config);
  const inventoryPath = sources.join(', ');
  const timeout = positiveSetting(flags.timeout, config.timeout, 10, '--timeout');
  const trust = trustNewHostKeys(flags.trustNewHostKeys, config);
  const defaults = connectionDefaults(config);
  const inv: Inventory = await loadInventory(sources);
  const groups = groupsMap(inv);
  const routersGroup = flags.routersGroup ?? 'routers';
  const hostsGroup = flags.hostsGroup ?? 'hosts';
  const allRouters = groups[routersGroup] ?? [];
  const allHosts = groups[hostsGroup] ?? [];
  if (allRouters.length === 0) throw new ProvError('options', `${inventoryPath}: group '${routersGroup}' has no hosts`);
  const limited = flags.limit === undefined ? undefined : new Set(selectHosts(inv, flags.limit));
  const routers = limited ? allRouters.filter((r) => limited.has(r)) : allRouters;
  const hosts = limited ? allHosts.filter((h) => limited.has(h)) : allHosts;
  if (limited && routers.length + hosts.length === 0) {
    throw new ProvError('options', `--limit '${flags.limit}' matches no host of groups '${routersGroup}' or '${hostsGroup}' in ${inventoryPath}`);
  }
  const vars: Record<string, Vars> = {};
  for (const h of inv.hosts.keys()) vars[h] = hostVars(inv, h);
  const rows: Row[] = [];
  const transports = new Map<string, Transport>();
  let unreachable = false;
  await mapLimit([...routers, ...hosts], 10, async (name) => {
    const conn = connectionOf(vars[name]!, name, { defaults });
    const t = createTransport(name, conn, { trustNewHostKeys: trust, connectTimeoutMs: timeout * 1000 });
    try {
      await t.connect();
      transports.set(name, t);
    } catch (err) {
      unreachable = true;
      rows.push({ node: name, check: 'reachable', ok: false, detail: errorMessage(err) });
    }
  });
  try {
    // What a router or host should see is the whole set, whatever --limit checks.
    const routerPeers = peers(allRouters, vars);
    const hostPeers = peers(allHosts, vars);
    const upstream = (r: string) => String(vars[r]?.upstream_interface ?? 'eth1');
    await mapLimit(routers.filter((r) => transports.has(r)), 10, async (r) => {
      const out = await runAll(transports.get(r)!, verifyCommands('router'));
      rows.push(...verifyRouter(out, { hosts: hostPeers, upstreamInterface: upstream(r) }).map((c) => ({ node: r, ...c })));
    });
    await mapLimit(hosts.filter((h) => transports.has(h)), 10, async (h) => {
      const v = vars[h]!;
      const out = await runAll(transports.get(h)!, verifyCommands('host', { vpcSupernet: String(v.vpc_supernet ?? '') }));
      rows.push(...verifyHost(out, { routers: routerPeers, vpcSupernet: String(v.vpc_supernet ?? ''), subnetGateway: String(v.subnet_gateway ?? '') }).map((c) => ({ node: h, ...c })));
    });
    // Traffic: enough TCP connections from every host that each router carries some.
    const anyVars = vars[allHosts[0] ?? allRouters[0]!]!;
    const internet = targetSetting('verify_internet_target', anyVars.verify_internet_target ?? (anyVars.lab_test_server ? `${anyVars.lab_test_server}:${anyVars.lab_echo_port ?? 9000}` : undefined), 'internet tcp');
    const peer = targetSetting('verify_peer_target', anyVars.verify_peer_target ?? (anyVars.lab_peer_address ? `${anyVars.lab_peer_address}:${anyVars.lab_echo_port ?? 9000}` : undefined), 'peer subnet');
    const count = flags.connections ?? 32;
    const liveHosts = hosts.filter((h) => transports.has(h));
    const liveRouters = routers.filter((r) => transports.has(r));
    if (isRow(internet)) {
      rows.push(internet);
    } else if (internet && liveHosts.length > 0) {
      const nat = async () => Object.fromEntries(await Promise.all(liveRouters.map(async (r) => [r, natConnectionCount((await transports.get(r)!.exec(verifyCommands('router').find((c) => c.key === 'natRules')!.command)).stdout, upstream(r))] as const)));
      const before = await nat();
      for (const h of liveHosts) {
        const ok = await openConnections(transports.get(h)!, internet, count);
        rows.push({ node: h, check: 'internet tcp', ok: ok === count, detail: `${ok}/${count} connections to ${internet.address}:${internet.port} answered` });
      }
      if (liveRouters.length > 0) rows.push({ node: liveRouters.join(','), ...verifySpread(before, await nat()) });
    } else if (!internet) {
      rows.push({ node: '-', check: 'traffic', ok: true, detail: 'not checked: set verify_internet_target (address:port of a TCP echo server) to check it' });
    } else {
      rows.push({ node: '-', check: 'traffic', ok: true, detail: `not checked: no reachable host of group '${hostsGroup}'${limited ? ' within --limit' : ''} to send it from` });
    }
    if (isRow(peer)) {
      rows.push(peer);
    } else if (peer) {
      for (const h of liveHosts) {
        const ok = (await openConnections(transports.get(h)!, peer, 1)) === 1;
        rows.push({ node: h, check: 'peer subnet', ok, detail: `${peer.address}:${peer.port} ${ok ? 'reachable' : 'unreachable'} via the subnet gateway` });
      }
    }
  } finally {
    await Promise.all([...transports.values()].map((t) => t.close().catch(() => undefined)));
  }
  const order = [...routers, ...hosts];
  const rank = (node: string) => (order.includes(node) ? order.indexOf(node) : order.length);
  rows.sort((a, b) => rank(a.node) - rank(b.node));
  const failed = rows.filter((r) => !r.ok);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, checks: rows }, null, 2)}\n`);
  } else {
    process.stdout.write(`${table(rows)}\n`);
    process.stdout.write(failed.length === 0 ? `\nverify: all ${rows.length} checks passed\n` : `\nverify: ${failed.length} of ${rows.length} checks failed: ${failed.map((f) => `${f.node} ${f.check}`).join('; ')}\n`);
  }
  if (unreachable) return 3;
  return failed.length === 0 ? 0 : 2;
}
