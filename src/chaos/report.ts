import type { ChaosResult } from './run.js';
import type { FaultReport, Stats } from './types.js';

const ms = (s: Stats | null) => (s ? `${s.min.toFixed(0)}/${s.median.toFixed(0)}/${s.max.toFixed(0)}` : '-');

/** The human table: one row per fault. */
export function chaosTable(result: ChaosResult): string {
  const head = ['FAULT', 'ON', 'AFFECTED', 'UDP OUTAGE ms min/med/max', 'TCP OUTAGE ms', 'NOT RECOVERED', 'SURVIVOR LOSS', 'SURVIVOR BROKEN', 'BROKEN fail/recov', 'MOVED ON RECOVERY'];
  const rows = result.faults.map((f: FaultReport) => [
    f.fault,
    f.router,
    `${f.affected.tcp + f.affected.udp}/${f.flows.tcp + f.flows.udp}`,
    ms(f.outageUdp),
    ms(f.outageTcp),
    String(f.notRecovered),
    `${f.survivors.lostPackets} pkts`,
    String(f.survivors.brokenTcp),
    `${f.broken.onFailure}/${f.broken.onRecovery}`,
    `${f.movedOnRecovery.flows}/${f.movedOnRecovery.of}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line)];
  if (result.load) {
    const l = result.load;
    out.push('', `CPU load ${l.seconds} s on every node, no fault: ${l.falseFlaps} BFD flaps, ${l.lostPackets} packets lost, ${l.brokenTcp} TCP broken, largest gap ${l.maxGapMs.toFixed(0)} ms`);
  }
  return out.join('\n');
}

/** --json: everything but the raw echoes. */
export function chaosJson(result: ChaosResult): unknown {
  return { inventory: result.inventory, options: result.options, faults: result.faults, load: result.load };
}
