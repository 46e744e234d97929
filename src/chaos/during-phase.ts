/**
 * Flows through the routers while an action runs that should break nothing (an apply that rolls
 * a change over the routers): what the flows lost, which routers carried them, BFD flaps.
 */
import { analyzeQuiet, QUIET_SETTLE_MS, routerIn } from './analyze.js';
import { Flows, commonWindow } from './flows.js';
import { bfdDowns, sleep, waitConverged, type Nodes } from './nodes.js';
import type { ChaosOptions, DuringReport } from './options.js';
import type { ChaosPlan } from './plan.js';

export async function runDuringPhase<T>(
  ctx: { nodes: Nodes; plan: ChaosPlan; options: ChaosOptions; flows: Flows; log: (line: string) => void },
  action: () => Promise<T>,
): Promise<{ report: DuringReport; result: T }> {
  const { nodes, plan, options, flows } = ctx;
  ctx.log(`chaos: ${plan.hosts.length} host(s) x ${options.tcp} TCP + ${options.udp} UDP flows while the action runs`);
  await waitConverged(nodes, plan.hosts, plan.routerAddrs, 90_000);
  const all = [...plan.routers, ...plan.hosts];
  const downsBefore = await bfdDowns(nodes, all);
  const probeBefore = await flows.readProbe();
  // The generators stop at stop(); the cap only bounds a run whose action never returns.
  const running = flows.start(3600);
  await sleep(QUIET_SETTLE_MS + options.warmupS * 1000);
  const started = Date.now();
  let result: T;
  try {
    result = await action();
  } finally {
    await sleep(options.settleS * 1000);
    await flows.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  const runs = await running;
  const flowRecords = runs.flatMap((r) => r.flows);
  const window = commonWindow(runs);
  const carried: Record<string, number> = {};
  for (const f of flowRecords) {
    const router = routerIn(f.echoes, window.start, window.end + 1);
    if (router) carried[router] = (carried[router] ?? 0) + 1;
  }
  const report: DuringReport = {
    seconds,
    flows: { tcp: flowRecords.filter((f) => f.kind === 'tcp').length, udp: flowRecords.filter((f) => f.kind === 'udp').length },
    flowsPerRouter: carried,
    bfdDowns: (await bfdDowns(nodes, all)) - downsBefore,
    ...analyzeQuiet(flowRecords, window),
    probeDrops: Flows.dropsBetween(probeBefore, await flows.readProbe()),
  };
  return { report, result };
}
