import type { ProbeDrops } from './probe-drops.js';
import type { Echo, FaultKind, FaultReport, FaultTimes, FlowRecord, FlowVerdict, Stats } from './types.js';

/** Window before the fault in which a flow's router is decided (ms). */
const BEFORE_MS = 1500;

export function stats(values: number[]): Stats | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { count: s.length, min: s[0]!, median, max: s[s.length - 1]! };
}

/** The router that carried most of the echoes received in [from, to), or null if none. */
export function routerIn(echoes: Echo[], from: number, to: number): string | null {
  const counts = new Map<string, number>();
  for (const e of echoes) if (e.trecv >= from && e.trecv < to) counts.set(e.router, (counts.get(e.router) ?? 0) + 1);
  let best: string | null = null;
  let n = 0;
  for (const [r, c] of counts) if (c > n) [best, n] = [r, c];
  return best;
}

/**
 * Packets lost (sequence numbers never echoed) whose loss started in [from, to): a run of
 * missing numbers is attributed to the time the last echoed packet before it was sent.
 */
export function lostIn(echoes: Echo[], from: number, to: number): number {
  const bySeq = [...echoes].sort((a, b) => a.seq - b.seq);
  let lost = 0;
  for (let i = 1; i < bySeq.length; i++) {
    const prev = bySeq[i - 1]!;
    if (prev.tsend >= from && prev.tsend < to) lost += Math.max(0, bySeq[i]!.seq - prev.seq - 1);
  }
  return lost;
}

/**
 * Longest outage of a flow that starts in [from, to), in ms. UDP: time of the longest run of lost
 * packets (send time of the next echoed packet minus that of the last one before the run, minus
 * one interval; 0 when nothing was lost, so a late sender is not an outage). TCP never loses at this level, so it is the longest
 * silence between echoes as received (retransmission and reconnection included).
 * null when nothing was echoed after `from`.
 */
export function outageIn(kind: 'tcp' | 'udp', echoes: Echo[], from: number, to: number, intervalMs: number): number | null {
  if (!echoes.some((e) => e.trecv >= from)) return null;
  let worst = 0;
  if (kind === 'udp') {
    const bySeq = [...echoes].sort((a, b) => a.seq - b.seq);
    for (let i = 1; i < bySeq.length; i++) {
      const prev = bySeq[i - 1]!;
      if (prev.tsend < from - intervalMs || prev.tsend >= to || bySeq[i]!.seq - prev.seq < 2) continue;
      worst = Math.max(worst, bySeq[i]!.tsend - prev.tsend - intervalMs);
    }
    return Math.max(0, worst);
  }
  const byTime = [...echoes].sort((a, b) => a.trecv - b.trecv);
  for (let i = 1; i < byTime.length; i++) {
    const prev = byTime[i - 1]!;
    if (prev.trecv < from - intervalMs || prev.trecv >= to) continue;
    worst = Math.max(worst, byTime[i]!.trecv - prev.trecv - intervalMs);
  }
  return Math.max(0, worst);
}

function brokenIn(flow: FlowRecord, from: number, to: number): number {
  return flow.conns.filter((c) => c.reason !== 'open' && c.end >= from && c.end < to).length;
}

/** The TCP connection alive at `t`, if any (index into conns). */
function connAt(flow: FlowRecord, t: number): number {
  return flow.conns.findIndex((c) => c.start <= t && (c.end > t || c.reason === 'open'));
}

export function verdictOf(flow: FlowRecord, router: string, t: FaultTimes): FlowVerdict {
  const routerBefore = routerIn(flow.echoes, t.faultAt - BEFORE_MS, t.faultAt);
  const routerDuringFault = routerIn(flow.echoes, t.recoverAt - BEFORE_MS, t.recoverAt);
  const routerAtRecovery = routerDuringFault;
  const routerAtEnd = routerIn(flow.echoes, t.end - BEFORE_MS, t.end + 1);
  const affected = routerBefore === router;
  // Established across the recovery: a UDP flow that was answered, or the same TCP connection.
  const tcpSame = flow.kind === 'tcp' && connAt(flow, t.recoverAt - 1) >= 0 && connAt(flow, t.recoverAt - 1) === connAt(flow, t.end - 1);
  const alive = flow.kind === 'udp' || tcpSame;
  return {
    id: flow.id,
    kind: flow.kind,
    routerBefore,
    routerDuringFault,
    routerAtRecovery,
    routerAtEnd,
    affected,
    outageMs: outageIn(flow.kind, flow.echoes, t.faultAt, t.recoverAt, t.intervalMs),
    lostOnFailure: flow.kind === 'udp' ? lostIn(flow.echoes, t.faultAt - t.intervalMs, t.recoverAt) : 0,
    lostOnRecovery: flow.kind === 'udp' ? lostIn(flow.echoes, t.recoverAt, t.end + 1) : 0,
    brokenOnFailure: flow.kind === 'tcp' ? brokenIn(flow, t.faultAt, t.recoverAt) : 0,
    brokenOnRecovery: flow.kind === 'tcp' ? brokenIn(flow, t.recoverAt, Infinity) : 0,
    movedOnRecovery: alive && routerAtRecovery !== null && routerAtEnd !== null && routerAtRecovery !== routerAtEnd,
  };
}

/** The per-fault figures the issue asks for, from the flows of every host. */
export function analyzeFault(
  fault: FaultKind,
  router: string,
  times: FaultTimes,
  flows: FlowRecord[],
  probeDrops: ProbeDrops = { receiver: null, generators: null },
): FaultReport {
  const perFlow = flows.map((f) => verdictOf(f, router, times));
  const affected = perFlow.filter((v) => v.affected);
  const survivors = perFlow.filter((v) => !v.affected && v.routerBefore !== null);
  const outage = (kind: 'tcp' | 'udp') => stats(affected.filter((v) => v.kind === kind && v.outageMs !== null).map((v) => v.outageMs!));
  const sum = (vs: FlowVerdict[], f: (v: FlowVerdict) => number) => vs.reduce((n, v) => n + f(v), 0);
  const aliveAcross = perFlow.filter((v) => v.routerAtRecovery !== null && v.routerAtEnd !== null && (v.kind === 'udp' || v.brokenOnRecovery === 0));
  return {
    fault,
    router,
    times,
    flows: { tcp: perFlow.filter((v) => v.kind === 'tcp').length, udp: perFlow.filter((v) => v.kind === 'udp').length },
    affected: { tcp: affected.filter((v) => v.kind === 'tcp').length, udp: affected.filter((v) => v.kind === 'udp').length, ids: affected.map((v) => v.id) },
    outageUdp: outage('udp'),
    outageTcp: outage('tcp'),
    notRecovered: affected.filter((v) => v.outageMs === null).length,
    survivors: {
      flows: survivors.length,
      lostPackets: sum(survivors, (v) => v.lostOnFailure + v.lostOnRecovery),
      brokenTcp: sum(survivors, (v) => v.brokenOnFailure + v.brokenOnRecovery),
      maxGapMs: Math.max(0, ...survivors.map((v) => v.outageMs ?? 0)),
    },
    broken: { onFailure: sum(perFlow, (v) => v.brokenOnFailure), onRecovery: sum(perFlow, (v) => v.brokenOnRecovery) },
    movedOnRecovery: { flows: aliveAcross.filter((v) => v.movedOnRecovery).length, of: aliveAcross.length },
    lostOnRecovery: sum(perFlow, (v) => v.lostOnRecovery),
    probeDrops,
    perFlow,
  };
}

/** A no-fault phase's flows settle for this long after the generators start before they count. */
export const QUIET_SETTLE_MS = 1000;

/**
 * A phase where nothing was broken on purpose: every flow answered in its first second should
 * lose nothing, break no TCP connection and see no gap. Returns the sums over those flows.
 */
export function analyzeQuiet(
  flows: FlowRecord[],
  window: { start: number; end: number; intervalMs: number },
): { lostPackets: number; brokenTcp: number; maxGapMs: number } {
  const from = window.start + QUIET_SETTLE_MS;
  const counted = flows.filter((f) => routerIn(f.echoes, from - BEFORE_MS, from) !== null);
  return {
    lostPackets: counted.reduce((n, f) => n + (f.kind === 'udp' ? lostIn(f.echoes, from - window.intervalMs, window.end + 1) : 0), 0),
    brokenTcp: counted.reduce((n, f) => n + (f.kind === 'tcp' ? brokenIn(f, from, Infinity) : 0), 0),
    maxGapMs: Math.max(0, ...counted.map((f) => outageIn(f.kind, f.echoes, from, window.end, window.intervalMs) ?? 0)),
  };
}
