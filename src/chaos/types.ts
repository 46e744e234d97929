import type { ProbeDrops } from './probe-drops.js';

/** Data of one chaos run, as pure values (decoded from the flow generators, analysed on the controller). */

/** Faults on the router under test, and `host-reconfigure`: `networkctl reconfigure` on every host (the router is only a label). */
export const FAULT_KINDS = ['link', 'frr-stop', 'frr-kill', 'power', 'host-reconfigure'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One echo received by a flow generator. Times are epoch milliseconds. */
export interface Echo {
  seq: number;
  tsend: number;
  trecv: number;
  /** Router name (or the source address the receiver saw when no router has it). */
  router: string;
}

/** One TCP connection of a flow; a broken one is replaced by the next (same flow). */
export interface Conn {
  start: number;
  /** When the handshake finished, or null if it never did. */
  established: number | null;
  end: number;
  /** "open" (still up at the end), "stalled", "recv: ECONNRESET", "closed by peer", … */
  reason: string;
}

export interface FlowRecord {
  /** `host:t3` or `host:u7`. */
  id: string;
  host: string;
  kind: 'tcp' | 'udp';
  sent: number;
  echoes: Echo[];
  conns: Conn[];
}

/** When things happened during one fault scenario (epoch ms). */
export interface FaultTimes {
  start: number;
  /** When the fault was started, and when the command that made it returned. */
  faultAt: number;
  faultDoneAt?: number;
  /** When the recovery was started, and when its command returned (power: the boot started). */
  recoverAt: number;
  recoverDoneAt?: number;
  /** When the generators stopped sending. */
  end: number;
  intervalMs: number;
}

export interface Stats {
  count: number;
  min: number;
  median: number;
  max: number;
}

export interface FlowVerdict {
  id: string;
  kind: 'tcp' | 'udp';
  routerBefore: string | null;
  routerDuringFault: string | null;
  routerAtRecovery: string | null;
  routerAtEnd: string | null;
  affected: boolean;
  /** Longest outage in the fault window, ms; null when the flow never recovered. */
  outageMs: number | null;
  lostOnFailure: number;
  lostOnRecovery: number;
  brokenOnFailure: number;
  brokenOnRecovery: number;
  movedOnRecovery: boolean;
}

export interface FaultReport {
  fault: FaultKind;
  router: string;
  times: FaultTimes;
  flows: { tcp: number; udp: number };
  /** Flows that were on the failed router when the fault hit. */
  affected: { tcp: number; udp: number; ids: string[] };
  /** Outage of each affected flow (ms). */
  outageUdp: Stats | null;
  outageTcp: Stats | null;
  /** Affected flows that had no echo at all after the fault. */
  notRecovered: number;
  survivors: { flows: number; lostPackets: number; brokenTcp: number; maxGapMs: number };
  broken: { onFailure: number; onRecovery: number };
  /** Flows alive across the recovery whose router changed after it. */
  movedOnRecovery: { flows: number; of: number };
  lostOnRecovery: number;
  /** UDP datagrams the measurement's own sockets dropped in this phase (see probe-drops.ts). */
  probeDrops: ProbeDrops;
  perFlow: FlowVerdict[];
}
