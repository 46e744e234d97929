import test from 'ava';
import { analyzeFault } from '../../../src/chaos/analyze.js';
import { droppedBetween, parseUdpCounters, sumDrops } from '../../../src/chaos/probe-drops.js';
import { chaosTable } from '../../../src/chaos/report.js';
import { DEFAULT_OPTIONS, type ChaosResult } from '../../../src/chaos/run.js';

// /proc/net/snmp as Linux 6.x prints it (other protocols trimmed), and as 4.x did (fewer columns).
const SNMP_6 = `Ip: Forwarding DefaultTTL InReceives
Ip: 1 64 1234
Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
Udp: 3000 2 417 3002 415 0 2 0 0
UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors
UdpLite: 0 0 0 0 0 0 0 0 0
`;
const SNMP_4 = `Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors
Udp: 10 0 7 10 7 0
`;

test('parseUdpCounters reads InErrors and RcvbufErrors by column name, not UdpLite', (t) => {
  t.deepEqual(parseUdpCounters(SNMP_6), { inErrors: 417, rcvbufErrors: 415 });
  t.deepEqual(parseUdpCounters(SNMP_4), { inErrors: 7, rcvbufErrors: 7 });
});

test('parseUdpCounters returns null for text without the Udp counters', (t) => {
  t.is(parseUdpCounters(''), null);
  t.is(parseUdpCounters('Udp: InDatagrams NoPorts\nUdp: 1 2\n'), null);
  t.is(parseUdpCounters('cat: /proc/net/snmp: No such file or directory'), null);
});

test('droppedBetween is the growth of InErrors; null when a reading is missing', (t) => {
  t.is(droppedBetween({ inErrors: 10, rcvbufErrors: 9 }, { inErrors: 25, rcvbufErrors: 24 }), 15);
  t.is(droppedBetween({ inErrors: 10, rcvbufErrors: 9 }, { inErrors: 10, rcvbufErrors: 9 }), 0);
  t.is(droppedBetween(null, { inErrors: 1, rcvbufErrors: 1 }), null);
  t.is(sumDrops([1, 2, 0]), 3);
  t.is(sumDrops([1, null]), null);
});

function result(receiver: number | null, generators: number | null): ChaosResult {
  const report = analyzeFault('link', 'r1', { start: 0, faultAt: 1000, recoverAt: 3000, end: 5000, intervalMs: 10 }, [], { receiver, generators });
  return { inventory: 'inv.yml', options: DEFAULT_OPTIONS, faults: [report], load: null, receiverBufferBytes: 425984, flows: [[]] };
}

test('the table shows the probe drops and warns when the measurement itself dropped packets', (t) => {
  const clean = chaosTable(result(0, 0));
  t.regex(clean, /PROBE DROPS rx\/gen/);
  t.regex(clean.split('\n')[1]!, /0\/0$/);
  t.notRegex(clean, /WARNING/);
  const dropped = chaosTable(result(380, 4));
  t.regex(dropped.split('\n')[1]!, /380\/4$/);
  t.regex(dropped, /WARNING: the measurement's own UDP sockets dropped 384 datagrams \(the receiver's buffer was 416 KiB\)/);
  t.regex(chaosTable(result(null, 0)).split('\n')[1]!, /-\/0$/);
});
