/** How `prov verify` prints its checks: an aligned table and a summary line, or one JSON document. */
import type { CheckRow } from '../verify/plan.js';

function table(rows: CheckRow[]): string {
  const w = (k: 'node' | 'check') => Math.max(k.length, ...rows.map((r) => r[k].length));
  const lines = [`${'NODE'.padEnd(w('node'))}  ${'CHECK'.padEnd(w('check'))}  RESULT  DETAIL`];
  for (const r of rows) lines.push(`${r.node.padEnd(w('node'))}  ${r.check.padEnd(w('check'))}  ${(r.ok ? 'ok' : 'FAIL').padEnd(6)}  ${r.detail}`);
  return lines.join('\n');
}

export function verifyText(rows: CheckRow[]): string {
  const failed = rows.filter((r) => !r.ok);
  const summary =
    failed.length === 0
      ? `verify: all ${rows.length} checks passed`
      : `verify: ${failed.length} of ${rows.length} checks failed: ${failed.map((f) => `${f.node} ${f.check}`).join('; ')}`;
  return `${table(rows)}\n\n${summary}\n`;
}

export function verifyJson(rows: CheckRow[]): string {
  return `${JSON.stringify({ ok: rows.every((r) => r.ok), checks: rows }, null, 2)}\n`;
}
