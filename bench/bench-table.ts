/** The table `npm run bench:ansible` prints: one row per tool and run, ratios against prov's row of the same phase. */

export type Phase = 'first apply' | 'no-op rerun' | '--check' | 'first apply + packages';

export interface Measured {
  tool: string;
  phase: Phase;
  wallMs: number;
  hosts: number;
  peakRssBytes: number;
  /** /proc/loadavg's three averages when the run started. */
  load: string;
}

export interface NotMeasurable {
  tool: string;
  phase: Phase;
  reason: string;
  load: string;
}

export type Row = Measured | NotMeasurable;

export function isMeasured(r: Row): r is Measured {
  return 'wallMs' in r;
}

/** tool / prov for the same phase, e.g. "2.5x"; "-" for prov itself or when prov has no row. */
export function ratio(row: Measured, rows: Row[], baseline = 'prov'): string {
  if (row.tool === baseline) return '-';
  const base = rows.find((r): r is Measured => isMeasured(r) && r.tool === baseline && r.phase === row.phase);
  return base && base.wallMs > 0 ? `${(row.wallMs / base.wallMs).toFixed(1)}x` : '-';
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

export function formatTable(rows: Row[]): string {
  const header = ['tool', 'run', 'wall s', 'per host ms', 'tool/prov', 'peak RSS MB', 'load at start'];
  const body = rows.map((r) =>
    isMeasured(r)
      ? [r.tool, r.phase, (r.wallMs / 1000).toFixed(1), (r.wallMs / r.hosts).toFixed(0), ratio(r, rows), (r.peakRssBytes / 2 ** 20).toFixed(0), r.load]
      : [r.tool, r.phase, `not measurable: ${r.reason}`, '', '', '', r.load],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...body.filter((b) => !b[2]!.startsWith('not measurable')).map((b) => b[i]!.length)));
  const lines = [pad(header, widths), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const b of body)
    lines.push(b[2]!.startsWith('not measurable') ? `${b[0]!.padEnd(widths[0]!)}  ${b[1]!.padEnd(widths[1]!)}  ${b[2]}  (load ${b[6]})` : pad(b, widths));
  return lines.join('\n');
}
