/** One fault phase: flows through the routers, the fault on one router, its recovery, the figures. */
import { analyzeFault } from './analyze.js';
import type { FaultTarget } from './faults.js';
import { injectFault, recoverFault } from './faults.js';
import { Flows, commonWindow } from './flows.js';
import { sleep, waitConverged, waitSsh, type Nodes } from './nodes.js';
import type { ChaosOptions } from './options.js';
import type { ChaosPlan } from './plan.js';
import type { FaultKind, FaultReport, FlowRecord } from './types.js';

export async function runFaultPhase(
  fault: FaultKind,
  ctx: { nodes: Nodes; plan: ChaosPlan; options: ChaosOptions; flows: Flows; target: FaultTarget; log: (line: string) => void },
): Promise<{ report: FaultReport; flows: FlowRecord[] }> {
  const { nodes, plan, options, flows, target } = ctx;
  ctx.log(`chaos: ${fault} on ${options.router}: ${plan.hosts.length} host(s) x ${options.tcp} TCP + ${options.udp} UDP flows`);
  await waitConverged(nodes, plan.hosts, plan.routerAddrs, 90_000);
  const probeBefore = await flows.readProbe();
  const running = flows.start(options.warmupS + options.holdS + options.settleS + 120);
  await sleep(options.warmupS * 1000);
  const faultAt = Date.now();
  await injectFault(fault, target);
  const faultDoneAt = Date.now();
  if (fault === 'power') await nodes.drop(options.router);
  await sleep(options.holdS * 1000);
  const recoverAt = Date.now();
  await recoverFault(fault, target);
  const recoverDoneAt = Date.now();
  if (fault === 'power') await waitSsh(nodes, options.router, 60_000);
  await waitConverged(nodes, plan.hosts, plan.routerAddrs, 60_000);
  ctx.log(`chaos: ${options.router} back in every host's route ${((Date.now() - recoverAt) / 1000).toFixed(1)} s after recovery`);
  await sleep(options.settleS * 1000);
  await flows.stop();
  const runs = await running;
  const all = runs.flatMap((r) => r.flows);
  const { start, end, intervalMs } = commonWindow(runs);
  const probeDrops = Flows.dropsBetween(probeBefore, await flows.readProbe());
  const times = { start, faultAt, faultDoneAt, recoverAt, recoverDoneAt, end, intervalMs };
  return { report: analyzeFault(fault, options.router, times, all, probeDrops), flows: all };
}
