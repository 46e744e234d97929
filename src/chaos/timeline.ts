import type { FaultReport, FlowRecord } from './types.js';

export interface TimelinePanel {
  report: FaultReport;
  flows: FlowRecord[];
}

export interface Series {
  router: string;
  counts: number[];
}

/** Name of the series of packets that were sent and never echoed. */
export const LOST = 'lost';

/**
 * UDP packets per router per bin, by the time they were sent (a flow sends one per interval, so
 * a steady flow is a flat line and an outage is a gap exactly where it happened, not smeared by
 * receive jitter), plus a `lost` series: packets never echoed, placed at their send time
 * interpolated between the echoed packets around them. TCP is left out: a retransmitted segment's
 * send time says nothing about when the path worked (its outage is in the table).
 */
export function binUdpBySend(flows: FlowRecord[], from: number, binMs: number, bins: number): Series[] {
  const byRouter = new Map<string, number[]>();
  const add = (router: string, t: number) => {
    const i = Math.floor((t - from) / binMs);
    if (i < 0 || i >= bins) return;
    let counts = byRouter.get(router);
    if (!counts) byRouter.set(router, (counts = new Array<number>(bins).fill(0)));
    counts[i]!++;
  };
  for (const f of flows) {
    if (f.kind !== 'udp') continue;
    const bySeq = [...f.echoes].sort((a, b) => a.seq - b.seq);
    bySeq.forEach((e, k) => {
      add(e.router, e.tsend);
      const next = bySeq[k + 1];
      if (!next) return;
      const step = (next.tsend - e.tsend) / (next.seq - e.seq);
      for (let seq = e.seq + 1; seq < next.seq; seq++) add(LOST, e.tsend + (seq - e.seq) * step);
    });
  }
  const routers = [...byRouter.keys()].filter((r) => r !== LOST).sort();
  const series = routers.map((router) => ({ router, counts: byRouter.get(router)! }));
  const lost = byRouter.get(LOST);
  return lost ? [...series, { router: LOST, counts: lost }] : series;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
const LOST_COLOR = '#444';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The timeline picture: one panel per fault, UDP packets per router per 10 ms by send time and
 * the packets lost, the fault and the recovery marked. Hand-written SVG: a few polylines and lines, no charting library needed.
 */
export function timelineSvg(panels: TimelinePanel[], binMs = 10): string {
  const width = 1100;
  const panelH = 190;
  const left = 60;
  const plotW = width - left - 20;
  const parts: string[] = [];
  panels.forEach((panel, p) => {
    const { report, flows } = panel;
    const from = report.times.start;
    const bins = Math.max(1, Math.ceil((report.times.end - from) / binMs));
    const series = binUdpBySend(flows, from, binMs, bins);
    const top = 30 + p * (panelH + 40);
    const plotH = panelH - 40;
    const maxY = Math.max(1, ...series.flatMap((s) => s.counts));
    const x = (i: number) => left + (i / bins) * plotW;
    const y = (v: number) => top + plotH - (v / maxY) * plotH;
    const xt = (t: number) => x((t - from) / binMs);
    const aff = report.affected.tcp + report.affected.udp;
    const o = report.outageUdp ?? report.outageTcp;
    const title =
      `${report.fault} on ${report.router}: ${aff} of ${report.flows.tcp + report.flows.udp} flows affected` +
      (o ? `, outage median ${o.median.toFixed(0)} ms, max ${o.max.toFixed(0)} ms` : '') +
      `, moved on recovery ${report.movedOnRecovery.flows}/${report.movedOnRecovery.of}`;
    parts.push(`<text x="${left}" y="${top - 8}" font-size="13" font-weight="bold">${esc(title)}</text>`);
    parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
    parts.push(`<text x="${left - 6}" y="${top + 4}" font-size="10" text-anchor="end">${maxY}</text>`);
    parts.push(`<text x="${left - 6}" y="${top + plotH}" font-size="10" text-anchor="end">0</text>`);
    parts.push(
      `<text x="12" y="${top + plotH / 2}" font-size="10" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">UDP pkts sent / ${binMs} ms</text>`,
    );
    for (let s = 0; s <= (report.times.end - from) / 1000; s += Math.max(1, Math.round((report.times.end - from) / 10000))) {
      const xx = xt(from + s * 1000);
      parts.push(
        `<line x1="${xx}" y1="${top + plotH}" x2="${xx}" y2="${top + plotH + 4}" stroke="#999"/><text x="${xx}" y="${top + plotH + 15}" font-size="10" text-anchor="middle">${s} s</text>`,
      );
    }
    series.forEach((s, i) => {
      const points = s.counts.map((c, k) => `${x(k + 0.5).toFixed(1)},${y(c).toFixed(1)}`).join(' ');
      const color = s.router === LOST ? LOST_COLOR : COLORS[i % COLORS.length];
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="${s.router === LOST ? 1.5 : 1}"${s.router === LOST ? ' stroke-dasharray="3 2"' : ''} points="${points}"/>`,
      );
      parts.push(
        `<rect x="${left + plotW - 150}" y="${top + 8 + i * 14}" width="10" height="10" fill="${color}"/><text x="${left + plotW - 135}" y="${top + 17 + i * 14}" font-size="11">${esc(s.router === LOST ? 'lost (never echoed)' : s.router)}</text>`,
      );
    });
    const marks = [
      [report.times.faultAt, report.times.faultDoneAt, 'fault', '#d00'],
      [report.times.recoverAt, report.times.recoverDoneAt, 'recovery', '#080'],
    ] as const;
    for (const [t, done, label, color] of marks) {
      const xx = xt(t).toFixed(1);
      // The band: from the command's start to its return (the fault took effect somewhere in it).
      if (done !== undefined && done > t)
        parts.push(`<rect x="${xx}" y="${top}" width="${(xt(done) - xt(t)).toFixed(1)}" height="${plotH}" fill="${color}" fill-opacity="0.12"/>`);
      parts.push(
        `<line x1="${xx}" y1="${top}" x2="${xx}" y2="${top + plotH}" stroke="${color}" stroke-dasharray="4 3"/><text x="${Number(xx) + 3}" y="${top + 12}" font-size="11" fill="${color}">${label}</text>`,
      );
    }
  });
  const height = 30 + panels.length * (panelH + 40);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n</svg>\n`
  );
}
