import type { ChaosResult } from './run.js';
import type { ProbeDrops } from './probe-drops.js';
import type { FaultReport, Stats } from './types.js';

const n = (v: number | null) => (v === null ? '-' : String(v));
const probe = (p: ProbeDrops) => `${n(p.receiver)}/${n(p.generators)}`;
const probeTotal = (p: ProbeDrops) => (p.receiver ?? 0) + (p.generators ?? 0);
const ms = (s: Stats | null) => (s ? `${s.min.toFixed(0)}/${s.median.toFixed(0)}/${s.max.toFixed(0)}` : '-');

/** The human table: one row per fault. */
export function chaosTable(result: ChaosResult): string {
  const head = [
    'FAULT',
    'ON',
    'AFFECTED',
    'UDP OUTAGE ms min/med/max',
    'TCP OUTAGE ms',
    'NOT RECOVERED',
    'SURVIVOR LOSS',
    'SURVIVOR BROKEN',
    'BROKEN fail/recov',
    'MOVED ON RECOVERY',
    'PROBE DROPS rx/gen',
  ];
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
    probe(f.probeDrops),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...rows.map(line)];
  if (result.load) {
    const l = result.load;
    out.push(
      '',
      `CPU load ${l.seconds} s on every node, no fault: ${l.falseFlaps} BFD flaps, ${l.lostPackets} packets lost, ${l.brokenTcp} TCP broken, largest gap ${l.maxGapMs.toFixed(0)} ms, probe drops ${probe(l.probeDrops)}`,
    );
  }
  const dropped = [...result.faults.map((f) => probeTotal(f.probeDrops)), result.load ? probeTotal(result.load.probeDrops) : 0].reduce((a, b) => a + b, 0);
  if (dropped > 0) {
    const buffer = result.receiverBufferBytes ? ` (the receiver's buffer was ${Math.round(result.receiverBufferBytes / 1024)} KiB)` : '';
    out.push(
      '',
      `WARNING: the measurement's own UDP sockets dropped ${dropped} datagrams${buffer}: the loss figures above include them, so they overstate what the routers lost. Use fewer flows (--tcp, --udp), raise net.core.rmem_max, or run on a less busy machine.`,
    );
  }
  return out.join('\n');
}

/** --json: everything but the raw echoes. */
export function chaosJson(result: ChaosResult): unknown {
  return { inventory: result.inventory, options: result.options, receiverBufferBytes: result.receiverBufferBytes, faults: result.faults, load: result.load };
}
