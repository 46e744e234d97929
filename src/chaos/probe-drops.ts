/**
 * UDP datagrams dropped by the measurement itself: a socket whose receive buffer overflowed
 * (the receiver or a flow generator was not scheduled in time) loses packets that the routers
 * delivered. The kernel counts them per network namespace in /proc/net/snmp ("Udp:" InErrors,
 * RcvbufErrors); `prov chaos` reads them before and after each phase so that a packet lost by
 * the probe is never blamed on a router.
 */

export interface UdpErrorCounters {
  inErrors: number;
  rcvbufErrors: number;
}

/** The Udp InErrors and RcvbufErrors of a /proc/net/snmp text, or null if it has none. */
export function parseUdpCounters(snmp: string): UdpErrorCounters | null {
  const lines = snmp.split('\n').filter((l) => l.startsWith('Udp:'));
  if (lines.length < 2) return null;
  const names = lines[0]!.trim().split(/\s+/).slice(1);
  const values = lines[1]!.trim().split(/\s+/).slice(1).map(Number);
  const get = (name: string) => {
    const i = names.indexOf(name);
    return i >= 0 && Number.isFinite(values[i]) ? values[i]! : null;
  };
  const inErrors = get('InErrors');
  const rcvbufErrors = get('RcvbufErrors');
  if (inErrors === null || rcvbufErrors === null) return null;
  return { inErrors, rcvbufErrors };
}

/**
 * Datagrams the probe dropped between two readings: InErrors covers buffer overflows and bad
 * checksums alike (RcvbufErrors is a subset of it). null when either reading is missing.
 */
export function droppedBetween(before: UdpErrorCounters | null, after: UdpErrorCounters | null): number | null {
  if (!before || !after) return null;
  return Math.max(0, after.inErrors - before.inErrors);
}

/** Probe drops of one phase: the receiver (null when it is not ours to read) and the generators. */
export interface ProbeDrops {
  receiver: number | null;
  generators: number | null;
}

export const sumDrops = (values: (number | null)[]): number | null => (values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + b!, 0));
