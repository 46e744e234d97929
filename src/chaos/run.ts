/**
 * `prov chaos`: long-lived flows through the routers while faults are injected on one, and
 * optionally a no-fault phase under CPU load. Plan from the inventory (plan.ts), then one phase
 * per fault (fault-phase.ts) and the load phase (load-phase.ts) over the same open nodes.
 */
import { loadInventory } from '../inventory/load.js';
import { runDuringPhase } from './during-phase.js';
import { runFaultPhase } from './fault-phase.js';
import type { FaultTarget } from './faults.js';
import { Flows } from './flows.js';
import { runLoadPhase } from './load-phase.js';
import { Nodes } from './nodes.js';
import type { ChaosOptions, ChaosResult, DuringReport, LoadReport } from './options.js';
import { planChaos } from './plan.js';
import { startLabReceiver, type Receiver } from './receiver-process.js';
import type { FaultReport, FlowRecord } from './types.js';

export { DEFAULT_OPTIONS, type ChaosOptions, type ChaosResult, type DuringReport, type LoadReport } from './options.js';

/** The open chaos session that every phase runs in: the plan, the nodes, the flow generators. */
interface Session {
  plan: ReturnType<typeof planChaos>;
  nodes: Nodes;
  flows: Flows;
  receiver: Receiver | undefined;
}

async function withSession<T>(inventoryPath: string, options: ChaosOptions, body: (s: Session) => Promise<T>): Promise<T> {
  const plan = planChaos(await loadInventory(inventoryPath), inventoryPath, options);
  const receiver: Receiver | undefined = plan.receiver.start ? await startLabReceiver(plan.lab!, plan.receiver.port) : undefined;
  const nodes = new Nodes(plan.vars, options.timeoutS);
  try {
    const flows = new Flows(nodes, plan, options, receiver);
    await flows.preflight();
    return await body({ plan, nodes, flows, receiver });
  } finally {
    receiver?.stop();
    await nodes.closeAll();
  }
}

export async function runChaos(inventoryPath: string, options: ChaosOptions, log: (line: string) => void): Promise<ChaosResult> {
  const faults: FaultReport[] = [];
  const allFlows: FlowRecord[][] = [];
  let load: LoadReport | null = null;
  let receiverBufferBytes: number | null = null;
  await withSession(inventoryPath, options, async ({ plan, nodes, flows, receiver }) => {
    const target: FaultTarget = {
      router: options.router,
      subnetInterface: String(plan.vars[options.router]!.subnet_interface ?? 'ens6'),
      transport: () => nodes.get(options.router),
      lab: plan.lab,
      hosts: plan.hosts.map((name) => ({ name, subnetInterface: String(plan.vars[name]!.subnet_interface ?? 'ens6'), transport: () => nodes.get(name) })),
    };
    for (const fault of options.faults) {
      const phase = await runFaultPhase(fault, { nodes, plan, options, flows, target, log });
      faults.push(phase.report);
      allFlows.push(phase.flows);
    }
    if (options.cpuLoadS > 0) load = await runLoadPhase({ nodes, plan, options, flows, log });
    receiverBufferBytes = receiver?.recvBufferBytes ?? null;
  });
  return { inventory: inventoryPath, options, faults, load, receiverBufferBytes, flows: allFlows };
}

/**
 * Flows through the routers while `action` runs (for example an apply that rolls a change over
 * the routers), with nothing broken on purpose: what they lost, and which routers carried them.
 */
export async function runChaosDuring<T>(
  inventoryPath: string,
  options: ChaosOptions,
  action: () => Promise<T>,
  log: (line: string) => void,
): Promise<{ report: DuringReport; result: T }> {
  return withSession(inventoryPath, options, ({ plan, nodes, flows }) => runDuringPhase({ nodes, plan, options, flows, log }, action));
}
