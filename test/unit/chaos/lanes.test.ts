import test from 'ava';
import { analyzeFault } from '../../../src/chaos/analyze.js';
import { groupByRouterBefore, LOST_CELL, laneCells, laneTimelineSvg, panelTitle } from '../../../src/chaos/lanes.js';
import type { FlowRecord } from '../../../src/chaos/types.js';

const T = { start: 0, faultAt: 1000, faultDoneAt: 1010, recoverAt: 2000, recoverDoneAt: 2100, end: 3000, intervalMs: 10 };

/** A flow sending every 10 ms; `route(t)` names its router, or null for a lost packet. */
function flow(id: string, kind: 'udp' | 'tcp', route: (t: number) => string | null): FlowRecord {
  const echoes = [];
  let seq = 0;
  for (let t = 0; t < 3000; t += 10, seq++) {
    const router = route(t);
    if (router) echoes.push({ seq, tsend: t, trecv: t + 1, router });
  }
  return { id, host: 'h', kind, sent: seq, echoes, conns: [{ start: 0, established: 1, end: 3000, reason: 'open' }] };
}

const failover = (t: number) => (t < 1000 ? 'r1' : t < 1200 ? null : 'r2');

test('a lane is coloured by the router per bin, lost packets marked where they were sent, white where nothing came', (t) => {
  const udp = laneCells(flow('h:u0', 'udp', failover), 0, 100, 30);
  t.deepEqual(udp.slice(8, 14), ['r1', 'r1', LOST_CELL, LOST_CELL, 'r2', 'r2']);
  const tcp = laneCells(flow('h:t0', 'tcp', failover), 0, 100, 30);
  t.deepEqual(tcp.slice(9, 13), ['r1', null, null, 'r2'], 'TCP: no packet is white, never lost');
});

test('lanes are grouped by the router before the fault, and the title carries the outage figures', (t) => {
  const flows = [flow('h:u1', 'udp', failover), flow('h:u0', 'udp', () => 'r2'), flow('h:t2', 'tcp', failover)];
  const report = analyzeFault('link', 'r1', T, flows);
  t.deepEqual(groupByRouterBefore(report, flows), [
    { router: 'r1', ids: ['h:t2', 'h:u1'] },
    { router: 'r2', ids: ['h:u0'] },
  ]);
  const [title, figures] = panelTitle(report);
  t.is(title, 'link on r1: 2 of 3 flows affected');
  t.regex(figures, /UDP outage median 200 ms, max 200 ms/);
  t.regex(figures, /20 UDP packets lost/);
  const svg = laneTimelineSvg([{ report, flows }]);
  t.regex(svg, /on r1 before/);
  t.regex(svg, /on r2 before/);
  t.regex(svg, />fault</);
  t.regex(svg, />recovery</);
  t.regex(svg, /fill="#000"/, 'lost packets drawn');
});

test('200 flows: one lane each, runs of one router drawn as one rectangle', (t) => {
  const flows = Array.from({ length: 200 }, (_, i) => flow(`h:u${i}`, 'udp', i % 2 ? failover : () => 'r2'));
  const svg = laneTimelineSvg([{ report: analyzeFault('link', 'r1', T, flows), flows }]);
  // Per lane: r1 run + lost run + r2 run (failed over) or one r2 run; plus the fault and
  // recovery bands and the 4 legend boxes.
  t.is((svg.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="\d+" fill="#/g) ?? []).length, 100 * 3 + 100 * 1 + 2 + 4);
});
