/**
 * The chaos timeline as lanes: one lane per flow, a cell per bin coloured by the router that
 * carried the flow's packets in it (white = no packet, black = a packet lost there), the lanes
 * grouped by the router each flow was on before the fault, the fault and the recovery marked, and
 * the outage figures in the panel's title. Readable at 2 flows or 200: a lane is never hidden
 * under another, and a loaded machine's jitter does not turn it into spikes.
 */
import type { FaultReport, FlowRecord } from './types.js';
import type { TimelinePanel } from './timeline.js';

/** What one cell of a lane shows: the router that carried most of its packets, `lost`, or nothing. */
export type Cell = string | null;
export const LOST_CELL = '\u0000lost';

/**
 * A flow's cells, `bins` of `binMs` from `from`. UDP by send time (its losses placed at their
 * interpolated send time, and a lost packet wins its cell: it is what the picture is for); TCP by
 * the time echoes arrived (a TCP flow does not lose packets, its outage is a run of white).
 */
export function laneCells(flow: FlowRecord, from: number, binMs: number, bins: number): Cell[] {
  const counts: Map<string, number>[] = Array.from({ length: bins }, () => new Map());
  const add = (key: string, t: number) => {
    const i = Math.floor((t - from) / binMs);
    if (i < 0 || i >= bins) return;
    counts[i]!.set(key, (counts[i]!.get(key) ?? 0) + 1);
  };
  if (flow.kind === 'udp') {
    const bySeq = [...flow.echoes].sort((a, b) => a.seq - b.seq);
    bySeq.forEach((e, k) => {
      add(e.router, e.tsend);
      const next = bySeq[k + 1];
      if (!next) return;
      const step = (next.tsend - e.tsend) / (next.seq - e.seq);
      for (let seq = e.seq + 1; seq < next.seq; seq++) add(LOST_CELL, e.tsend + (seq - e.seq) * step);
    });
  } else {
    for (const e of flow.echoes) add(e.router, e.trecv);
  }
  return counts.map((c) => {
    if (c.has(LOST_CELL)) return LOST_CELL;
    let best: string | null = null;
    let n = 0;
    for (const [router, k] of c) if (k > n) [best, n] = [router, k];
    return best;
  });
}

/** Flow ids grouped by the router they were on before the fault (null: none), groups by router name. */
export function groupByRouterBefore(report: FaultReport, flows: FlowRecord[]): { router: string | null; ids: string[] }[] {
  const before = new Map(report.perFlow.map((v) => [v.id, v.routerBefore]));
  const groups = new Map<string | null, string[]>();
  for (const f of flows) {
    const r = before.get(f.id) ?? null;
    groups.set(r, [...(groups.get(r) ?? []), f.id]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([router, ids]) => ({ router, ids: ids.sort((x, y) => x.localeCompare(y, 'en', { numeric: true })) }));
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#17becf'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The panel's title, two lines: the fault and the flows it hit; the outage figures. */
export function panelTitle(report: FaultReport): [string, string] {
  const fig = (name: string, o: FaultReport['outageUdp']) => (o ? `, ${name} outage median ${o.median.toFixed(0)} ms, max ${o.max.toFixed(0)} ms` : '');
  const lost = report.perFlow.reduce((n, v) => n + v.lostOnFailure + v.lostOnRecovery, 0);
  return [
    `${report.fault} on ${report.router}: ${report.affected.tcp + report.affected.udp} of ${report.flows.tcp + report.flows.udp} flows affected`,
    `${fig('UDP', report.outageUdp)}${fig('TCP', report.outageTcp)}, ${lost} UDP packets lost, ${report.broken.onFailure + report.broken.onRecovery} TCP connections broken, moved on recovery ${report.movedOnRecovery.flows}/${report.movedOnRecovery.of}`.replace(
      /^, /,
      '',
    ),
  ];
}

/** One SVG with a lane panel per fault. Lanes shrink to fit many flows (at least 1 px each). */
export function laneTimelineSvg(panels: TimelinePanel[], binMs = 20): string {
  const width = 1200;
  const left = 170;
  const plotW = width - left - 20;
  const parts: string[] = [];
  const routerNames = [...new Set(panels.flatMap((p) => p.flows.flatMap((f) => f.echoes.map((e) => e.router))))].sort();
  const colorOf = (r: string) => (r === LOST_CELL ? '#000' : (COLORS[routerNames.indexOf(r) % COLORS.length] ?? '#777'));
  let top = 10;
  for (const { report, flows } of panels) {
    const from = report.times.start;
    const bins = Math.max(1, Math.ceil((report.times.end - from) / binMs));
    const cellW = plotW / bins;
    const groups = groupByRouterBefore(report, flows);
    const lanes = flows.length;
    const laneH = Math.max(1, Math.min(12, Math.floor(400 / Math.max(1, lanes))));
    const gap = 6;
    top += 38;
    const [title, figures] = panelTitle(report);
    parts.push(`<text x="${left}" y="${top - 22}" font-size="13" font-weight="bold">${esc(title)}</text>`);
    parts.push(`<text x="${left}" y="${top - 7}" font-size="12">${esc(figures)}</text>`);
    const plotTop = top;
    const byId = new Map(flows.map((f) => [f.id, f]));
    for (const g of groups) {
      const gTop = top;
      for (const id of g.ids) {
        const cells = laneCells(byId.get(id)!, from, binMs, bins);
        // Runs of equal cells as one rect each: a 200-flow picture stays small.
        let k = 0;
        while (k < bins) {
          let end = k + 1;
          while (end < bins && cells[end] === cells[k]) end++;
          const c = cells[k];
          if (c !== null && c !== undefined) {
            const w = Math.max((end - k) * cellW, c === LOST_CELL ? 1.5 : 0);
            parts.push(`<rect x="${(left + k * cellW).toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${laneH}" fill="${colorOf(c)}"/>`);
          }
          k = end;
        }
        if (laneH >= 8) parts.push(`<text x="${left - 4}" y="${top + laneH - 1}" font-size="${Math.min(10, laneH)}" text-anchor="end">${esc(id)}</text>`);
        top += laneH;
      }
      parts.push(`<rect x="${left}" y="${gTop}" width="${plotW}" height="${top - gTop}" fill="none" stroke="#999"/>`);
      parts.push(
        `<text x="4" y="${gTop + 11}" font-size="11" font-weight="bold" fill="${g.router ? colorOf(g.router) : '#777'}">${esc(`on ${g.router ?? 'none'} before`)}</text>`,
      );
      parts.push(`<text x="4" y="${gTop + 23}" font-size="10">${g.ids.length} flows</text>`);
      top += gap;
    }
    const plotBottom = top - gap;
    const xt = (t: number) => left + ((t - from) / binMs) * cellW;
    const marks = [
      [report.times.faultAt, report.times.faultDoneAt, 'fault', '#d00'],
      [report.times.recoverAt, report.times.recoverDoneAt, 'recovery', '#080'],
    ] as const;
    for (const [t, done, label, color] of marks) {
      const x = xt(t);
      if (done !== undefined && done > t)
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${plotTop}" width="${(xt(done) - x).toFixed(1)}" height="${plotBottom - plotTop}" fill="${color}" fill-opacity="0.15"/>`,
        );
      parts.push(
        `<line x1="${x.toFixed(1)}" y1="${plotTop - 4}" x2="${x.toFixed(1)}" y2="${plotBottom + 4}" stroke="${color}" stroke-width="1.5" stroke-dasharray="4 3"/>`,
      );
      parts.push(`<text x="${(x + 3).toFixed(1)}" y="${plotBottom + 14}" font-size="11" fill="${color}">${label}</text>`);
    }
    const span = (report.times.end - from) / 1000;
    const step = Math.max(1, Math.round(span / 12));
    for (let s = 0; s <= span; s += step) {
      const x = xt(from + s * 1000);
      parts.push(
        `<line x1="${x.toFixed(1)}" y1="${plotBottom}" x2="${x.toFixed(1)}" y2="${plotBottom + 4}" stroke="#999"/><text x="${x.toFixed(1)}" y="${plotBottom + 26}" font-size="10" text-anchor="middle">${s} s</text>`,
      );
    }
    top = plotBottom + 40;
  }
  const legend = [...routerNames.map((r) => [r, colorOf(r)]), ['lost', '#000'], ['no packet', '#fff']];
  legend.forEach(([name, color], i) => {
    parts.push(
      `<rect x="${left + i * 110}" y="${top}" width="12" height="12" fill="${color}" stroke="#999"/><text x="${left + i * 110 + 16}" y="${top + 10}" font-size="11">${esc(name!)}</text>`,
    );
  });
  const height = top + 24;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`
  );
}
