/** The no-fault phase: flows while busy loops load every node's CPU; counts BFD flaps and losses. */
import { analyzeQuiet, QUIET_SETTLE_MS } from './analyze.js';
import { Flows, commonWindow } from './flows.js';
import { bfdDowns, exec, sleep, waitConverged, type Nodes } from './nodes.js';
import type { ChaosOptions, LoadReport } from './options.js';
import type { ChaosPlan } from './plan.js';

export async function runLoadPhase(ctx: {
  nodes: Nodes;
  plan: ChaosPlan;
  options: ChaosOptions;
  flows: Flows;
  log: (line: string) => void;
}): Promise<LoadReport> {
  const { nodes, plan, options, flows } = ctx;
  const seconds = options.cpuLoadS;
  ctx.log(`chaos: ${seconds} s of CPU load on every node, no fault`);
  await waitConverged(nodes, plan.hosts, plan.routerAddrs, 60_000);
  const all = [...plan.routers, ...plan.hosts];
  const before = await bfdDowns(nodes, all);
  const probeBefore = await flows.readProbe();
  const running = flows.start(seconds + 60);
  await sleep(QUIET_SETTLE_MS);
  const busy = `for i in $(seq $(nproc)); do timeout ${seconds} sh -c 'while :; do :; done' >/dev/null 2>&1 & done; wait`;
  await Promise.all(all.map((n) => exec(nodes, n, busy)));
  await sleep(1000);
  await flows.stop();
  const runs = await running;
  const after = await bfdDowns(nodes, all);
  const probeDrops = Flows.dropsBetween(probeBefore, await flows.readProbe());
  const quiet = analyzeQuiet(
    runs.flatMap((r) => r.flows),
    commonWindow(runs),
  );
  return { seconds, falseFlaps: after - before, ...quiet, probeDrops };
}
