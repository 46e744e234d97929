/** What a chaos run does (flows, faults, timings) and what it reports. */
import type { ProbeDrops } from './probe-drops.js';
import type { FaultKind, FaultReport, FlowRecord } from './types.js';

export interface ChaosOptions {
  /** Flows per host. */
  tcp: number;
  udp: number;
  faults: FaultKind[];
  router: string;
  /** Seconds of flows before the fault, fault duration, and seconds after the router is back. */
  warmupS: number;
  holdS: number;
  settleS: number;
  intervalMs: number;
  /** A TCP connection with no echo for this long counts as broken (stalled). */
  stallS: number;
  /** Also run a no-fault phase with busy loops on every node, counting BFD flaps. */
  cpuLoadS: number;
  receiverPort: number;
  /** address:port of a receiver.mjs you run yourself (outside a lab). */
  target?: string;
  routersGroup: string;
  hostsGroup: string;
  timeoutS: number;
}

export const DEFAULT_OPTIONS: ChaosOptions = {
  tcp: 64,
  udp: 64,
  faults: ['link', 'frr-stop', 'frr-kill', 'power'],
  router: 'r1',
  warmupS: 3,
  holdS: 5,
  settleS: 4,
  intervalMs: 10,
  stallS: 3,
  cpuLoadS: 0,
  receiverPort: 9100,
  routersGroup: 'routers',
  hostsGroup: 'hosts',
  timeoutS: 10,
};

/** Flows during an action that should break nothing (runChaosDuring). */
export interface DuringReport {
  /** How long the action ran. */
  seconds: number;
  flows: { tcp: number; udp: number };
  /** Flows per router that carried most of their echoes. */
  flowsPerRouter: Record<string, number>;
  /** BFD session-down events on every node while the action ran. */
  bfdDowns: number;
  lostPackets: number;
  brokenTcp: number;
  maxGapMs: number;
  probeDrops: ProbeDrops;
}

export interface LoadReport {
  seconds: number;
  /** BFD session-down events on every node while nothing was broken on purpose. */
  falseFlaps: number;
  lostPackets: number;
  brokenTcp: number;
  maxGapMs: number;
  probeDrops: ProbeDrops;
}

export interface ChaosResult {
  inventory: string;
  options: ChaosOptions;
  faults: FaultReport[];
  load: LoadReport | null;
  /** The lab receiver's UDP receive buffer in bytes (null with --target). */
  receiverBufferBytes: number | null;
  /** Flows of each fault, for the timeline (not in --json). */
  flows: FlowRecord[][];
}
