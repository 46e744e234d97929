/**
 * The flows of one chaos phase: flowgen.py on every host (TCP and UDP flows to the receiver),
 * stopped by a file, decoded into per-flow echoes; plus the probe's own UDP drop counters.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shellJoin } from '../core/transport.js';
import { decodeRun, type DecodedRun } from './decode.js';
import { exec, type Nodes } from './nodes.js';
import type { ChaosOptions } from './options.js';
import type { ChaosPlan } from './plan.js';
import { droppedBetween, parseUdpCounters, sumDrops, type ProbeDrops, type UdpErrorCounters } from './probe-drops.js';
import type { Receiver } from './receiver-process.js';

const FLOWGEN = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'flowgen.py'), 'utf8');
const STOP_FILE = '/run/prov-chaos.stop';

interface ProbeReading {
  receiver: UdpErrorCounters | null;
  hosts: (UdpErrorCounters | null)[];
}

export class Flows {
  constructor(
    private readonly nodes: Nodes,
    private readonly plan: ChaosPlan,
    private readonly options: ChaosOptions,
    private readonly receiver: Receiver | undefined,
  ) {}

  /** Checks once that every host can run the generator. */
  async preflight(): Promise<void> {
    for (const h of this.plan.hosts)
      await exec(
        this.nodes,
        h,
        'command -v python3 >/dev/null || { echo "python3 is missing (the host role installs it with host_connection_pinning)" >&2; exit 1; }',
      );
  }

  /** Starts the generators (they run until stop() or maxS); resolves with their decoded runs. */
  start(maxS: number): Promise<DecodedRun[]> {
    const { plan, options } = this;
    const outs = Promise.all(
      plan.hosts.map(async (h) => {
        await exec(this.nodes, h, `rm -f ${STOP_FILE}`);
        const args = [
          '--server',
          plan.receiver.address,
          '--port',
          String(plan.receiver.port),
          '--tcp',
          String(options.tcp),
          '--udp',
          String(options.udp),
          '--interval-ms',
          String(options.intervalMs),
          '--duration',
          String(maxS),
          '--stall',
          String(options.stallS),
          '--stop',
          STOP_FILE,
          '--tag',
          h,
        ];
        return { host: h, out: await exec(this.nodes, h, `python3 - ${shellJoin(args)}`, FLOWGEN) };
      }),
    );
    return outs.then((all) => all.map((o) => decodeRun(o.host, o.out, (a) => plan.routerByAddress.get(a) ?? a)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.plan.hosts.map((h) => exec(this.nodes, h, `touch ${STOP_FILE}`)));
  }

  /** The probe's own UDP drops (socket overflows) in the receiver's and the hosts' namespaces. */
  async readProbe(): Promise<ProbeReading> {
    return {
      receiver: this.receiver ? await this.receiver.udpCounters() : null,
      hosts: await Promise.all(this.plan.hosts.map((h) => exec(this.nodes, h, 'cat /proc/net/snmp').then(parseUdpCounters, () => null))),
    };
  }

  static dropsBetween(a: ProbeReading, b: ProbeReading): ProbeDrops {
    return {
      receiver: droppedBetween(a.receiver, b.receiver),
      generators: sumDrops(a.hosts.map((x, i) => droppedBetween(x ?? null, b.hosts[i] ?? null))),
    };
  }
}

/** The window of a phase: from the first generator start to the first generator end. */
export function commonWindow(runs: DecodedRun[]): { start: number; end: number; intervalMs: number } {
  return { start: Math.min(...runs.map((r) => r.start)), end: Math.min(...runs.map((r) => r.end)), intervalMs: runs[0]!.intervalMs };
}
