/**
 * The live part of `prov verify`: runs the read-only commands on the open nodes and the traffic
 * checks from the hosts, and turns their outputs into check rows with the pure checks.
 */
import { mapLimit } from '../runner/batches.js';
import type { Transport } from '../core/transport.js';
import { verifyCommands } from './commands.js';
import { connectionsScript, type TcpTarget } from './connections.js';
import { verifyHost } from './host-checks.js';
import { isCheckRow, upstreamInterface, type CheckRow, type VerifyPlan } from './plan.js';
import { verifyRouter } from './router-checks.js';
import { natConnectionCount, verifySpread } from './traffic-checks.js';
import type { CommandOutputs } from './types.js';

/** How many nodes are read at once. */
export const PARALLEL_NODES = 10;

async function runAll(t: Transport, commands: { key: string; command: string }[]): Promise<CommandOutputs> {
  const out: CommandOutputs = {};
  for (const c of commands) out[c.key] = await t.exec(c.command);
  return out;
}

/** Opens `count` TCP connections from a host to `target`; returns how many were answered. */
async function openConnections(t: Transport, target: TcpTarget, count: number): Promise<number> {
  const res = await t.exec('bash -s | grep -c ok', { stdin: connectionsScript(target, count) });
  return Number(res.stdout.trim()) || 0;
}

async function nodeRows(plan: VerifyPlan, open: Map<string, Transport>): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  await mapLimit(
    plan.routers.filter((r) => open.has(r)),
    PARALLEL_NODES,
    async (r) => {
      const out = await runAll(open.get(r)!, verifyCommands('router'));
      rows.push(...verifyRouter(out, { hosts: plan.hostPeers, upstreamInterface: upstreamInterface(plan, r) }).map((c) => ({ node: r, ...c })));
    },
  );
  await mapLimit(
    plan.hosts.filter((h) => open.has(h)),
    PARALLEL_NODES,
    async (h) => {
      const vpcSupernet = String(plan.vars[h]!.vpc_supernet ?? '');
      const out = await runAll(open.get(h)!, verifyCommands('host', { vpcSupernet }));
      const expect = { routers: plan.routerPeers, vpcSupernet, subnetGateway: String(plan.vars[h]!.subnet_gateway ?? '') };
      rows.push(...verifyHost(out, expect).map((c) => ({ node: h, ...c })));
    },
  );
  return rows;
}

/** Enough TCP connections from every host that each router carries some, then the NAT spread. */
async function internetRows(plan: VerifyPlan, open: Map<string, Transport>, target: TcpTarget): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const liveRouters = plan.routers.filter((r) => open.has(r));
  const natRules = verifyCommands('router').find((c) => c.key === 'natRules')!.command;
  const natCounts = async () =>
    Object.fromEntries(
      await Promise.all(liveRouters.map(async (r) => [r, natConnectionCount((await open.get(r)!.exec(natRules)).stdout, upstreamInterface(plan, r))] as const)),
    );
  const before = await natCounts();
  for (const h of plan.hosts.filter((x) => open.has(x))) {
    const ok = await openConnections(open.get(h)!, target, plan.connections);
    rows.push({
      node: h,
      check: 'internet tcp',
      ok: ok === plan.connections,
      detail: `${ok}/${plan.connections} connections to ${target.address}:${target.port} answered`,
    });
  }
  if (liveRouters.length > 0) rows.push({ node: liveRouters.join(','), ...verifySpread(before, await natCounts()) });
  return rows;
}

async function trafficRows(plan: VerifyPlan, open: Map<string, Transport>): Promise<CheckRow[]> {
  const rows: CheckRow[] = [];
  const liveHosts = plan.hosts.filter((h) => open.has(h));
  const { internet, peer } = plan;
  if (isCheckRow(internet)) rows.push(internet);
  else if (internet && liveHosts.length > 0) rows.push(...(await internetRows(plan, open, internet)));
  else if (!internet)
    rows.push({ node: '-', check: 'traffic', ok: true, detail: 'not checked: set verify_internet_target (address:port of a TCP echo server) to check it' });
  else
    rows.push({
      node: '-',
      check: 'traffic',
      ok: true,
      detail: `not checked: no reachable host of group '${plan.hostsGroup}'${plan.limited ? ' within --limit' : ''} to send it from`,
    });
  if (isCheckRow(peer)) rows.push(peer);
  else if (peer) {
    for (const h of liveHosts) {
      const ok = (await openConnections(open.get(h)!, peer, 1)) === 1;
      rows.push({ node: h, check: 'peer subnet', ok, detail: `${peer.address}:${peer.port} ${ok ? 'reachable' : 'unreachable'} via the subnet gateway` });
    }
  }
  return rows;
}

/** Every check on the nodes that could be opened. */
export async function collectChecks(plan: VerifyPlan, open: Map<string, Transport>): Promise<CheckRow[]> {
  return [...(await nodeRows(plan, open)), ...(await trafficRows(plan, open))];
}
