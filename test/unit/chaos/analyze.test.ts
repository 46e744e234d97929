import test from 'ava';
import { analyzeFault, analyzeQuiet, lostIn, outageIn, stats } from '../../../src/chaos/analyze.js';
import { defaultGateways } from '../../../src/chaos/routes.js';
import { binUdpBySend, LOST, timelineSvg } from '../../../src/chaos/timeline.js';
import type { Echo, FlowRecord } from '../../../src/chaos/types.js';

const T = { start: 0, faultAt: 1000, recoverAt: 3000, end: 5000, intervalMs: 10 };

/** A UDP flow echoed every 10 ms by `routerAt(t)`, with the packets sent in `lost` missing. */
function udp(id: string, routerAt: (t: number) => string, lost: [number, number][] = []): FlowRecord {
  const echoes: Echo[] = [];
  let seq = 0;
  for (let t = 0; t < T.end; t += 10) {
    seq++;
    if (lost.some(([a, b]) => t >= a && t < b)) continue;
    echoes.push({ seq, tsend: t, trecv: t + 1, router: routerAt(t) });
  }
  return { id, host: 'h', kind: 'udp', sent: seq, echoes, conns: [] };
}

test('stats: min, median, max', (t) => {
  t.deepEqual(stats([3, 1, 2]), { count: 3, min: 1, median: 2, max: 3 });
  t.deepEqual(stats([1, 2, 3, 10]), { count: 4, min: 1, median: 2.5, max: 10 });
  t.is(stats([]), null);
});

test('a flow on the failed router: outage is the lost time, its packets are counted', (t) => {
  const f = udp('h:u0', (x) => (x < 1300 ? 'r1' : x < 3500 ? 'r2' : 'r2'), [[1000, 1300]]);
  t.is(outageIn('udp', f.echoes, T.faultAt, T.recoverAt, 10), 300);
  t.is(lostIn(f.echoes, T.faultAt - 10, T.recoverAt), 30);
});

test('analyzeFault separates affected flows, survivors, and flows moved back on recovery', (t) => {
  const a = udp('h:u0', (x) => (x < 1300 ? 'r1' : x < 3500 ? 'r2' : 'r1'), [[1000, 1300]]); // moved back
  const b = udp('h:u1', (x) => (x < 1200 ? 'r1' : 'r2'), [[1000, 1200]]); // stayed on r2 (pinned)
  const c = udp('h:u2', () => 'r2'); // survivor
  const r = analyzeFault('link', 'r1', T, [a, b, c]);
  t.deepEqual(r.affected, { tcp: 0, udp: 2, ids: ['h:u0', 'h:u1'] });
  t.deepEqual(r.outageUdp, { count: 2, min: 200, median: 250, max: 300 });
  t.deepEqual(r.survivors, { flows: 1, lostPackets: 0, brokenTcp: 0, maxGapMs: 0 });
  t.deepEqual(r.movedOnRecovery, { flows: 1, of: 3 });
  t.is(r.notRecovered, 0);
});

test('a survivor that loses packets is reported', (t) => {
  const c = udp('h:u2', () => 'r2', [[2000, 2050]]);
  const r = analyzeFault('link', 'r1', T, [c]);
  t.is(r.survivors.lostPackets, 5);
  t.is(r.survivors.maxGapMs, 50);
});

test('a TCP connection reset during the fault is broken on failure, one at recovery on recovery', (t) => {
  const echoes: Echo[] = [];
  for (let x = 0; x < T.end; x += 10) if (x < 1000 || x > 1400) echoes.push({ seq: x / 10, tsend: x, trecv: x + 1, router: x < 1000 ? 'r1' : 'r2' });
  const f: FlowRecord = {
    id: 'h:t0',
    host: 'h',
    kind: 'tcp',
    sent: 500,
    echoes,
    conns: [
      { start: 0, established: 1, end: 1350, reason: 'recv: ECONNRESET' },
      { start: 1360, established: 1370, end: 3200, reason: 'recv: ECONNRESET' },
      { start: 3210, established: 3220, end: 5000, reason: 'open' },
    ],
  };
  const r = analyzeFault('link', 'r1', T, [f]);
  t.deepEqual(r.broken, { onFailure: 1, onRecovery: 1 });
  t.is(r.outageTcp?.max, 410); // last echo at 991, next at 1411, minus one interval
});

test('a flow with no echo after the fault did not recover', (t) => {
  const f = udp('h:u0', () => 'r1', [[1000, 5000]]);
  t.is(analyzeFault('link', 'r1', T, [f]).notRecovered, 1);
});

test('defaultGateways reads single and multipath routes', (t) => {
  t.deepEqual(defaultGateways('[{"dst":"default","nexthops":[{"gateway":"192.168.100.21"},{"gateway":"192.168.100.20"}]}]'), [
    '192.168.100.20',
    '192.168.100.21',
  ]);
  t.deepEqual(defaultGateways('[{"dst":"default","gateway":"192.168.100.1"}]'), ['192.168.100.1']);
  t.deepEqual(defaultGateways(''), []);
});

test('the timeline has one line per router and marks fault and recovery', (t) => {
  const r = analyzeFault('link', 'r1', T, [udp('h:u0', (x) => (x < 1000 ? 'r1' : 'r2'))]);
  const svg = timelineSvg([{ report: r, flows: [udp('h:u0', (x) => (x < 1000 ? 'r1' : 'r2'))] }]);
  t.is((svg.match(/<polyline/g) ?? []).length, 2);
  t.regex(svg, />fault</);
  t.regex(svg, />recovery</);
  t.regex(svg, />r1</);
});

test('the timeline bins UDP packets by send time and places the lost ones where they were sent', (t) => {
  // r1 until 1000, lost 1000-1300, then r2; 10 ms per packet, bins of 100 ms.
  const f = udp('h:u0', (x) => (x < 1000 ? 'r1' : 'r2'), [[1000, 1300]]);
  const tcp: FlowRecord = { ...udp('h:t0', () => 'r1'), id: 'h:t0', kind: 'tcp' };
  const series = binUdpBySend([f, tcp], 0, 100, 50);
  t.deepEqual(
    series.map((s) => s.router),
    ['r1', 'r2', LOST],
  );
  const [r1, r2, lost] = series.map((s) => s.counts);
  t.is(r1![9], 10, 'a full bin before the fault');
  t.is(r1![10], 0);
  t.deepEqual(lost!.slice(9, 14), [0, 10, 10, 10, 0], 'the 30 lost packets sit in the three bins they were sent in');
  t.is(r2![13], 10);
  t.is(
    lost!.reduce((a, b) => a + b, 0),
    30,
  );
  t.is(
    r1!.reduce((a, b) => a + b, 0),
    100,
    'the TCP flow is not counted',
  );
  const svg = timelineSvg([{ report: analyzeFault('link', 'r1', T, [f]), flows: [f] }]);
  t.is((svg.match(/<polyline/g) ?? []).length, 3);
  t.regex(svg, /lost \(never echoed\)/);
});

test('the timeline shades the time the fault and recovery commands took', (t) => {
  const f = udp('h:u0', (x) => (x < 1000 ? 'r1' : 'r2'));
  const times = { ...T, faultDoneAt: T.faultAt + 150, recoverDoneAt: T.recoverAt + 40 };
  const svg = timelineSvg([{ report: analyzeFault('link', 'r1', times, [f]), flows: [f] }]);
  const bands = [...svg.matchAll(/<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="\d+" fill="#(d00|080)" fill-opacity/g)];
  t.is(bands.length, 2);
  t.true(Number(bands[0]![1]) > Number(bands[1]![1]), 'the longer command has the wider band');
  t.notRegex(timelineSvg([{ report: analyzeFault('link', 'r1', T, [f]), flows: [f] }]), /fill-opacity/);
});

test('analyzeQuiet: a no-fault phase counts the losses and gaps of the flows answered at its start', (t) => {
  const W = { start: 0, end: 5000, intervalMs: 10 };
  const clean = udp('h:u0', () => 'r1');
  const gap = udp('h:u1', () => 'r2', [[2000, 2250]]);
  const late = udp('h:u2', () => 'r1', [[0, 1500]]); // never answered in the first second: not counted
  t.deepEqual(analyzeQuiet([clean], W), { lostPackets: 0, brokenTcp: 0, maxGapMs: 0 });
  t.deepEqual(analyzeQuiet([clean, gap, late], W), { lostPackets: 25, brokenTcp: 0, maxGapMs: 250 });
});
